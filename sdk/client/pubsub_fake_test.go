package client_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// wait is the generous bound of every wait in these tests.
const wait = 10 * time.Second

// fakeGateway is a fake of the gateway's GET /v1/pubsub/ws: it records
// each handshake, answers it with the next queued refusal (an HTTP status
// with a JSON error body) or accepts it, and hands each accepted socket to
// the test, which sends API.md frames and closes or drops it.
type fakeGateway struct {
	*httptest.Server
	t     *testing.T
	conns chan *fakeSocket

	mu      sync.Mutex
	dials   []url.Values
	apiKeys []string
	refuse  []int // statuses for the next handshakes; 0 accepts
	always  int   // status for every handshake once refuse is empty; 0 accepts
}

// fakeSocket is one accepted socket.
type fakeSocket struct {
	c      *websocket.Conn
	query  url.Values
	frames chan clientFrame // what the client sent
	closed chan websocket.StatusCode
}

type clientFrame struct {
	typ  websocket.MessageType
	data []byte
}

func newFakeGateway(t *testing.T) *fakeGateway {
	t.Helper()
	g := &fakeGateway{t: t, conns: make(chan *fakeSocket, 16)}
	g.Server = httptest.NewServer(http.HandlerFunc(g.serve))
	t.Cleanup(g.Close)
	return g
}

func (g *fakeGateway) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/pubsub/ws" {
		http.NotFound(w, r)
		return
	}
	g.mu.Lock()
	g.dials = append(g.dials, r.URL.Query())
	g.apiKeys = append(g.apiKeys, r.Header.Get("X-API-Key"))
	status := g.always
	if len(g.refuse) > 0 {
		status, g.refuse = g.refuse[0], g.refuse[1:]
	}
	g.mu.Unlock()
	if status != 0 {
		codes := map[int]string{400: "invalid", 401: "unauthorized", 403: "forbidden", 429: "rate_limited", 503: "unavailable"}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "refused by the fake", "code": codes[status]})
		return
	}
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	c.SetReadLimit(2 << 20)
	s := &fakeSocket{c: c, query: r.URL.Query(), frames: make(chan clientFrame, 16), closed: make(chan websocket.StatusCode, 1)}
	g.conns <- s
	for {
		typ, data, err := c.Read(context.Background())
		if err != nil {
			s.closed <- websocket.CloseStatus(err)
			return
		}
		s.frames <- clientFrame{typ, data}
	}
}

// refuseNext answers the next handshakes with statuses.
func (g *fakeGateway) refuseNext(statuses ...int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.refuse = append(g.refuse, statuses...)
}

func (g *fakeGateway) refuseAll(status int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.always = status
}

func (g *fakeGateway) dialCount() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.dials)
}

// accepted waits for the next accepted socket.
func (g *fakeGateway) accepted() *fakeSocket {
	g.t.Helper()
	select {
	case s := <-g.conns:
		return s
	case <-time.After(wait):
		g.t.Fatal("no WebSocket was accepted")
		return nil
	}
}

// send writes a frame (a JSON text).
func (s *fakeSocket) send(t *testing.T, frame string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := s.c.Write(ctx, websocket.MessageText, []byte(frame)); err != nil {
		t.Fatalf("fake gateway write: %v", err)
	}
}

// received waits for the next frame the client sent.
func (s *fakeSocket) received(t *testing.T) clientFrame {
	t.Helper()
	select {
	case f := <-s.frames:
		return f
	case <-time.After(wait):
		t.Fatal("the client sent no frame")
		return clientFrame{}
	}
}
