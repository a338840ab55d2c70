package server

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/storage/storagetest"
)

// slowBody sends headers announcing a body of size bytes and then only
// its first byte; it returns the server's answer, or an error when the
// connection closed without one. The client waits up to a minute: a
// liveness guard, far above the deadlines under test.
func slowBody(t *testing.T, addr, path string, size int) (*http.Response, string, error) {
	t.Helper()
	conn := dial(t, addr)
	head := "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
		strconv.Itoa(size) + "\r\n\r\n{"
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(time.Minute))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	// The server closes the connection after the answer.
	if _, err := conn.Read(make([]byte, 1)); err == nil {
		t.Errorf("%s: the connection stayed open after the body deadline", path)
	}
	return resp, string(b), nil
}

// A body that trickles is cut at ReadBodyTimeout with 400 naming it, on
// JSON routes; an upload whose body stops is cut by its own idle rule.
func TestBodyDeadline(t *testing.T) {
	e := newTestEnv(t, func(o *Options) {
		o.ReadBodyTimeout = 200 * time.Millisecond
		o.RequestTimeout = 300 * time.Millisecond
	})
	e.plugins.Store = storagetest.NewMemory() // for the upload
	addr := serveLimited(t, e)
	for _, path := range []string{"/v1/cache/put", "/v1/rqlite/query", "/v1/storage/pin", "/v1/nope"} {
		resp, body, err := slowBody(t, addr, path, 1000000/100)
		if path == "/v1/nope" {
			// No handler reads it: the answer comes at once, and the
			// deadline bounds net/http's discarding of the rest.
			if err != nil || resp.StatusCode != 404 {
				t.Errorf("%s: %v %v", path, resp, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: no answer to a trickling body: %v", path, err)
		}
		if resp.StatusCode != 400 || !strings.Contains(body, "server.read_body_timeout") {
			t.Errorf("%s: %d %s, want 400 naming server.read_body_timeout", path, resp.StatusCode, body)
		}
	}
	resp, body, err := slowBody(t, addr, "/v1/storage/upload", 1000)
	if err != nil || resp.StatusCode != 400 || !strings.Contains(body, "reading the upload") {
		t.Errorf("stalled upload: %v %s %v, want 400 reading the upload", resp, body, err)
	}
}

// Once the body has been read, the deadline is lifted: a handler that
// works on for longer than ReadBodyTimeout completes, its request
// context intact.
func TestBodyDeadlineLiftedAfterTheBody(t *testing.T) {
	e := newTestEnv(t, func(o *Options) { o.ReadBodyTimeout = 100 * time.Millisecond })
	addr := serveLimited(t, e)
	if resp, err := http.Post("http://"+addr+"/v1/cache/put", "application/json", strings.NewReader(`{"dmap":"d","key":"k","value":1}`)); err != nil || resp.StatusCode != 200 {
		t.Fatalf("put: %v %v", resp, err)
	}
	gate := make(chan struct{})
	e.cache.SetGate(gate)
	go func() {
		time.Sleep(500 * time.Millisecond) // well past the body deadline
		close(gate)
	}()
	resp, err := http.Post("http://"+addr+"/v1/cache/get", "application/json", strings.NewReader(`{"dmap":"d","key":"k"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("a get held past the body deadline: %d %s", resp.StatusCode, b)
	}
}

// Headers that trickle are cut at ReadHeaderTimeout.
func TestReadHeaderTimeout(t *testing.T) {
	e := newTestEnv(t, func(o *Options) { o.ReadHeaderTimeout = 100 * time.Millisecond })
	addr := serveLimited(t, e)
	conn := dial(t, addr)
	if _, err := io.WriteString(conn, "GET /health HTTP/1.1\r\nHost: x\r\n"); err != nil {
		t.Fatal(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(time.Minute)) // a liveness guard only
	if _, err := io.ReadAll(conn); err != nil {
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatal("the server kept a connection whose headers never ended")
		}
	}
}
