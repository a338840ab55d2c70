package pubsub_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/host/internal/server"
	"github.com/orama-network/orama/host/internal/server/servertest"
)

// wait bounds every wait of these tests (generous: it is never a
// performance assertion).
const wait = 10 * time.Second

// start is a server with authentication (keys alpha and beta, JWT beta)
// behind a real HTTP server.
func start(t *testing.T, mod func(*server.Options)) (*servertest.Env, *httptest.Server) {
	t.Helper()
	e := servertest.NewAuth(t, mod)
	srv := httptest.NewServer(e.Srv.Handler())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		_ = e.Srv.Shutdown(ctx)
		srv.Close()
	})
	return e, srv
}

func wsURL(srv *httptest.Server, query string) string {
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/v1/pubsub/ws?" + query
}

// dial opens a socket with the API key (none when key is "").
func dial(t *testing.T, srv *httptest.Server, key, query string) *websocket.Conn {
	t.Helper()
	c, resp, err := dialErr(t, srv, key, query)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial %s: %v (status %d)", query, err, status)
	}
	t.Cleanup(func() { _ = c.CloseNow() })
	c.SetReadLimit(2 << 20) // a frame of a 1 MiB message is about 1.4 MB
	return c
}

func dialErr(t *testing.T, srv *httptest.Server, key, query string) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), wait)
	defer cancel()
	h := http.Header{}
	if key != "" {
		h.Set("X-API-Key", key)
	}
	return websocket.Dial(ctx, wsURL(srv, query), &websocket.DialOptions{HTTPHeader: h})
}

// next reads one frame as a generic JSON object (and its raw text).
func next(t *testing.T, c *websocket.Conn) (map[string]any, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), wait)
	defer cancel()
	typ, b, err := c.Read(ctx)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if typ != websocket.MessageText {
		t.Fatalf("frame type %v, want text", typ)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("frame %s: %v", b, err)
	}
	return m, string(b)
}

// nextData reads one frame and returns its decoded data.
func nextData(t *testing.T, c *websocket.Conn) string {
	t.Helper()
	m, raw := next(t, c)
	s, _ := m["data"].(string)
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("frame %s: data: %v", raw, err)
	}
	return string(b)
}

// closeStatus reads until the socket ends and returns its close status
// (-1 when it ended without one).
func closeStatus(t *testing.T, c *websocket.Conn) websocket.StatusCode {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), wait)
	defer cancel()
	for {
		if _, _, err := c.Read(ctx); err != nil {
			if ctx.Err() != nil {
				t.Fatalf("socket still open after %s", wait)
			}
			return websocket.CloseStatus(err)
		}
	}
}

// publish sends data through POST /v1/pubsub/publish as key.
func publish(t *testing.T, e *servertest.Env, key, topic, data string) int {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"topic": topic, "data_base64": base64.StdEncoding.EncodeToString([]byte(data))})
	rec := e.Do(t, "POST", "/v1/pubsub/publish", string(body), "X-API-Key", key)
	return rec.Code
}

func mustPublish(t *testing.T, e *servertest.Env, key, topic, data string) {
	t.Helper()
	if code := publish(t, e, key, topic, data); code != http.StatusOK {
		t.Fatalf("publish %q: %d", data, code)
	}
}

// metric returns the value of one series of /metrics (0 when absent).
func metric(t *testing.T, e *servertest.Env, series string) float64 {
	t.Helper()
	rec := e.Do(t, "GET", "/metrics", "")
	sc := bufio.NewScanner(strings.NewReader(rec.Body.String()))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("metric %s: %v", series, err)
			}
			return f
		}
	}
	return 0
}

// eventually waits (bounded) until cond holds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still not %s after %s", what, wait)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

var (
	keyAlpha = apitest.KeyAlpha
	keyBeta  = apitest.KeyBeta
)

func newEnv(t *testing.T, mod func(*server.Options)) *servertest.Env {
	return servertest.NewAuth(t, mod)
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// startB and dialB are start and dial for benchmarks.
func startB(b *testing.B, mod func(*server.Options)) (*servertest.Env, *httptest.Server) {
	e := servertest.NewAuth(b, mod)
	srv := httptest.NewServer(e.Srv.Handler())
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		_ = e.Srv.Shutdown(ctx)
		srv.Close()
	})
	return e, srv
}

func dialB(b *testing.B, srv *httptest.Server, query string) *websocket.Conn {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	c, _, err := websocket.Dial(ctx, wsURL(srv, query), &websocket.DialOptions{HTTPHeader: http.Header{"X-Api-Key": {keyAlpha}}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.CloseNow() })
	return c
}
