package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/coder/websocket"

	"github.com/orama-network/orama/sdk/serverless/serverlesstest"
)

// TestFunctionsVersionsAccessLogsWS: every deploy of a name is a new
// version, each invocable as name@ver; DELETE name@1 removes one and
// DELETE name all. A public function runs for anyone through
// /v1/invoke/:namespace/:name, a private one only with its namespace's
// key (403 otherwise), and a bad key is 401, never anonymous. The logs
// route shows the function's stderr lines; the WebSocket route runs one
// invocation per text frame.
func TestFunctionsVersionsAccessLogsWS(t *testing.T) {
	h := startFnHost(t, "")
	echo, stderr := serverlesstest.Module(t, "echo"), serverlesstest.Module(t, "stderr")

	// Versions: v1 echoes, v2 writes "ok" (and two stderr lines).
	if v := h.mustDeploy("ver", echo); fmt.Sprint(v["version"]) != "1" {
		t.Fatalf("first deploy: %v", v)
	}
	if v := h.mustDeploy("ver", stderr); fmt.Sprint(v["version"]) != "2" {
		t.Fatalf("second deploy: %v", v)
	}
	r := h.invoke("/v1/functions/ver@1/invoke", `{"v":1}`, h.alpha...)
	if r.code != 200 || string(r.raw) != `{"v":1}` {
		t.Fatalf("ver@1: %s", r)
	}
	for _, ref := range []string{"ver@2", "ver"} {
		r = h.invoke("/v1/functions/"+ref+"/invoke", `{"v":2}`, h.alpha...)
		if r.code != 200 || r.str("output") != serverlesstest.StderrOutput || r.str("status") != "success" || r.str("request_id") == "" {
			t.Fatalf("%s: %s", ref, r)
		}
	}
	// The logs route shows v2's stderr lines.
	logs := h.send(http.MethodGet, "/v1/functions/ver/logs?limit=50", nil, h.alpha...)
	for _, line := range serverlesstest.StderrLines {
		if logs.code != 200 || !strings.Contains(string(logs.raw), line) {
			t.Errorf("logs without %q: %s", line, logs)
		}
	}
	if logs.str("name") != "ver" || logs.str("namespace") != "alpha" {
		t.Errorf("logs: %s", logs)
	}
	wantStatus(t, "beta's logs of alpha's function", h.send(http.MethodGet, "/v1/functions/ver/logs", nil, h.beta...), 404)

	vs := h.send(http.MethodGet, "/v1/functions/ver/versions", nil, h.alpha...)
	if vs.code != 200 || fmt.Sprint(vs.body["count"]) != "2" {
		t.Fatalf("versions: %s", vs)
	}
	wantStatus(t, "delete ver@1", h.send(http.MethodDelete, "/v1/functions/ver@1", nil, h.alpha...), 200)
	wantStatus(t, "ver@1 after its delete", h.invoke("/v1/functions/ver@1/invoke", "{}", h.alpha...), 404)
	vs = h.send(http.MethodGet, "/v1/functions/ver/versions", nil, h.alpha...)
	if list, _ := vs.body["versions"].([]any); len(list) != 1 || fmt.Sprint(list[0].(map[string]any)["version"]) != "2" {
		t.Fatalf("versions after deleting ver@1: %s", vs)
	}
	wantStatus(t, "beta deletes alpha's", h.send(http.MethodDelete, "/v1/functions/ver", nil, h.beta...), 404)
	wantStatus(t, "delete ver", h.send(http.MethodDelete, "/v1/functions/ver", nil, h.alpha...), 200)
	wantStatus(t, "ver after its delete", h.send(http.MethodGet, "/v1/functions/ver", nil, h.alpha...), 404)

	// Public and private.
	h.mustDeploy("pub", echo, "is_public", "true")
	h.mustDeploy("priv", echo)
	for _, c := range []struct {
		what, path string
		hdr        []string
		code       int
	}{
		{"public, no credential", "/v1/invoke/alpha/pub", nil, 200},
		{"public, beta's key", "/v1/invoke/alpha/pub", h.beta, 200},
		{"public by ?namespace=", "/v1/functions/pub/invoke?namespace=alpha", nil, 200},
		{"private, no credential", "/v1/invoke/alpha/priv", nil, 403},
		{"private, beta's key", "/v1/invoke/alpha/priv", h.beta, 403},
		{"private by ?namespace=", "/v1/functions/priv/invoke?namespace=alpha", nil, 403},
		{"private, alpha's key", "/v1/invoke/alpha/priv", h.alpha, 200},
		{"public, bad key", "/v1/invoke/alpha/pub", apiKey("ak_AAAAAAAAAAAAAAAAAAAAAAAA:alpha"), 401},
		{"no namespace at all", "/v1/functions/pub/invoke", nil, 401},
		{"beta's own (none)", "/v1/functions/pub/invoke", h.beta, 404},
	} {
		r := h.invoke(c.path, `{"hi":1}`, c.hdr...)
		if !wantStatus(t, c.what, r, c.code) {
			continue
		}
		if c.code == 200 && string(r.raw) != `{"hi":1}` {
			t.Errorf("%s: output %s", c.what, r.raw)
		}
	}
	list := h.send(http.MethodGet, "/v1/functions", nil, h.beta...)
	if list.code != 200 || fmt.Sprint(list.body["count"]) != "0" {
		t.Errorf("beta's list: %s", list)
	}
	list = h.send(http.MethodGet, "/v1/functions", nil, h.alpha...)
	if list.code != 200 || fmt.Sprint(list.body["count"]) != "2" {
		t.Errorf("alpha's list: %s", list)
	}

	// The WebSocket: one invocation per text frame.
	ctx, cancel := context.WithTimeout(context.Background(), fnWait)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(h.URL, "http")+"/v1/functions/priv/ws",
		&websocket.DialOptions{HTTPHeader: http.Header{"X-Api-Key": {h.alpha[1]}}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	for i := range 3 {
		in := fmt.Sprintf(`{"frame":%d}`, i)
		if err := c.Write(ctx, websocket.MessageText, []byte(in)); err != nil {
			t.Fatal(err)
		}
		_, b, err := c.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil || m["status"] != "success" || m["output"] != in || m["request_id"] == "" {
			t.Fatalf("frame %d: %s (%v)", i, b, err)
		}
	}
	c.Close(websocket.StatusNormalClosure, "")
}
