package serverless_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coder/websocket"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/host/internal/server/servertest"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/serverless"
)

func dialFn(t *testing.T, srv *httptest.Server, path, key string) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), wait)
	defer cancel()
	u := "ws" + strings.TrimPrefix(srv.URL, "http") + path
	h := http.Header{}
	if key != "" {
		h.Set("X-API-Key", key)
	}
	c, resp, err := websocket.Dial(ctx, u, &websocket.DialOptions{HTTPHeader: h})
	if err == nil {
		t.Cleanup(func() { _ = c.CloseNow() })
	}
	return c, resp, err
}

func wsEnv(t *testing.T) (*servertest.Env, *httptest.Server) {
	e := newEnv(t, nil)
	mustDeploy(t, e, "name", "f")
	return e, startHTTP(t, e)
}

func roundTrip(t *testing.T, c *websocket.Conn, in string) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), wait)
	defer cancel()
	if err := c.Write(ctx, websocket.MessageText, []byte(in)); err != nil {
		t.Fatal(err)
	}
	typ, b, err := c.Read(ctx)
	if err != nil || typ != websocket.MessageText {
		t.Fatalf("read: %v %v", typ, err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("frame %q: %v", b, err)
	}
	return m
}

func wantClose(t *testing.T, c *websocket.Conn, code websocket.StatusCode) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), wait)
	defer cancel()
	for {
		_, _, err := c.Read(ctx)
		if err != nil {
			if got := websocket.CloseStatus(err); got != code {
				t.Fatalf("closed with %v (%v), want %v", got, err, code)
			}
			return
		}
	}
}

func TestWSInvokes(t *testing.T) {
	e, srv := wsEnv(t)
	c, _, err := dialFn(t, srv, "/v1/functions/f/ws", apitest.KeyAlpha)
	if err != nil {
		t.Fatal(err)
	}
	m := roundTrip(t, c, `{"n":1}`)
	if m["status"] != "success" || m["output"] != `{"n":1}` || m["duration_ms"] != 1.0 || !strings.HasSuffix(m["request_id"].(string), "-1") {
		t.Errorf("frame 1: %v", m)
	}
	m = roundTrip(t, c, "second")
	if m["output"] != "second" || !strings.HasSuffix(m["request_id"].(string), "-2") {
		t.Errorf("frame 2: %v", m)
	}
	e.Fn.SetRun(result(serverless.ResultError, "", "wasm error: unreachable"))
	m = roundTrip(t, c, "x")
	if m["status"] != "error" || m["error"] != "wasm error: unreachable" || m["output"] != nil {
		t.Errorf("error frame: %v", m)
	}
	e.Fn.SetRun(result(serverless.ResultTimeout, "", ""))
	if m = roundTrip(t, c, "x"); m["status"] != "timeout" || m["error"] == "" {
		t.Errorf("timeout frame: %v", m)
	}
	e.Fn.SetRun(func(context.Context, serverless.Invocation, serverless.Function) (serverless.Result, error) {
		return serverless.Result{}, sdk.Errorf(sdk.CodeRateLimited, "concurrency limit reached")
	})
	if m = roundTrip(t, c, "x"); m["status"] != "error" || m["error"] != "concurrency limit reached" {
		t.Errorf("refused frame: %v", m)
	}
	inv := e.Fn.InvocationsMade()
	if got := inv[len(inv)-1]; got.Namespace != "alpha" || got.Caller != "alpha" || got.Name != "f" {
		t.Errorf("invocation %+v", got)
	}
	// The plugin goes away: 1011.
	e.Plugins.SetFnDown(true)
	if err := c.Write(t.Context(), websocket.MessageText, []byte("x")); err != nil {
		t.Fatal(err)
	}
	wantClose(t, c, websocket.StatusInternalError)
}

func TestWSRefused(t *testing.T) {
	_, srv := wsEnv(t)
	for _, c := range []struct {
		path, key string
		status    int
	}{
		{"/v1/functions/f/ws", "", 401},
		{"/v1/functions/f/ws", apitest.KeyBeta, 404}, // beta has no f
		{"/v1/functions/g/ws", apitest.KeyAlpha, 404},
		{"/v1/functions/f@x/ws", apitest.KeyAlpha, 400},
	} {
		_, resp, err := dialFn(t, srv, c.path, c.key)
		if err == nil || resp == nil || resp.StatusCode != c.status {
			t.Errorf("%s with %q: %v %v, want %d", c.path, c.key, resp, err, c.status)
		}
	}
	// Not an upgrade.
	req, _ := http.NewRequest("GET", srv.URL+"/v1/functions/f/ws", nil)
	req.Header.Set("X-API-Key", apitest.KeyAlpha)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("plain GET: %d", resp.StatusCode)
	}
	// ?api_key= works for browsers.
	if _, _, err := dialFn(t, srv, "/v1/functions/f/ws?api_key="+apitest.KeyAlpha, ""); err != nil {
		t.Errorf("?api_key=: %v", err)
	}
}

func TestWSBadFrames(t *testing.T) {
	_, srv := wsEnv(t)
	for _, c := range []struct {
		name string
		typ  websocket.MessageType
		data []byte
		code websocket.StatusCode
	}{
		{"invalid UTF-8", websocket.MessageText, []byte("a\xffb"), websocket.StatusInvalidFramePayloadData},
		{"binary", websocket.MessageBinary, []byte{1, 2}, websocket.StatusUnsupportedData},
		{"too large", websocket.MessageText, []byte(strings.Repeat("a", testMaxInput+1)), websocket.StatusMessageTooBig},
	} {
		t.Run(c.name, func(t *testing.T) {
			conn, _, err := dialFn(t, srv, "/v1/functions/f/ws", apitest.KeyAlpha)
			if err != nil {
				t.Fatal(err)
			}
			if err := conn.Write(t.Context(), c.typ, c.data); err != nil {
				t.Fatal(err)
			}
			wantClose(t, conn, c.code)
		})
	}
}

func TestWSShutdown(t *testing.T) {
	e, srv := wsEnv(t)
	c, _, err := dialFn(t, srv, "/v1/functions/f/ws", apitest.KeyAlpha)
	if err != nil {
		t.Fatal(err)
	}
	roundTrip(t, c, "x")
	// An invocation in flight when the server shuts down ends too.
	e.Fn.SetGate(make(chan struct{}))
	if err := c.Write(t.Context(), websocket.MessageText, []byte("hang")); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		done <- e.Srv.Shutdown(ctx)
	}()
	wantClose(t, c, websocket.StatusGoingAway)
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
}
