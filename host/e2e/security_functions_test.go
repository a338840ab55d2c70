package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/orama-network/orama/sdk/serverless/serverlesstest"
)

// TestSecurityFunctionsTenants: a tenant never reaches another
// namespace's functions — not by name on any route, not by naming the
// namespace in a deploy, not through the WebSocket — and strings that are
// not UTF-8 are 400 (a frame: 1007), never a 500.
func TestSecurityFunctionsTenants(t *testing.T) {
	h := startFnHost(t, "")
	echo := serverlesstest.Module(t, "echo")
	h.mustDeploy("secret-fn", echo)

	for _, c := range []struct{ method, path string }{
		{http.MethodGet, "/v1/functions/secret-fn"},
		{http.MethodGet, "/v1/functions/secret-fn@1"},
		{http.MethodGet, "/v1/functions/secret-fn/versions"},
		{http.MethodGet, "/v1/functions/secret-fn/logs"},
		{http.MethodDelete, "/v1/functions/secret-fn"},
		{http.MethodDelete, "/v1/functions/secret-fn@1"},
		{http.MethodPost, "/v1/functions/secret-fn/invoke"},
	} {
		wantStatus(t, "beta: "+c.method+" "+c.path, h.send(c.method, c.path, nil, h.beta...), 404)
	}
	wantStatus(t, "beta names alpha in the query", h.invoke("/v1/functions/secret-fn/invoke?namespace=alpha", "", h.beta...), 403)
	wantStatus(t, "beta invokes alpha's private function", h.invoke("/v1/invoke/alpha/secret-fn", "", h.beta...), 403)
	wantStatus(t, "anonymous invokes it", h.invoke("/v1/invoke/alpha/secret-fn", ""), 403)
	wantStatus(t, "the system namespace", h.invoke("/v1/invoke/_system/secret-fn", ""), 403)
	wantStatus(t, "beta deploys into alpha", h.deployForm(echo, []string{"name", "secret-fn", "namespace", "alpha"}, h.beta...), 403)
	wantStatus(t, "beta deploys into alpha by metadata", h.deployForm(echo, []string{"metadata", `{"name":"secret-fn","namespace":"alpha"}`}, h.beta...), 403)
	if v := h.send(http.MethodGet, "/v1/functions/secret-fn/versions", nil, h.alpha...); fmt.Sprint(v.body["count"]) != "1" {
		t.Errorf("alpha's versions after beta's attempts: %s", v)
	}
	_, resp, err := websocket.Dial(ctxT(t), "ws"+strings.TrimPrefix(h.URL, "http")+"/v1/functions/secret-fn/ws",
		&websocket.DialOptions{HTTPHeader: http.Header{"X-Api-Key": {h.beta[1]}}})
	if err == nil || statusOf(resp) != 404 {
		t.Errorf("beta's WebSocket on alpha's function: %v (status %d)", err, statusOf(resp))
	}

	// Invalid UTF-8: a form field, a path, a frame.
	wantStatus(t, "name not UTF-8", h.deployForm(echo, []string{"name", "f\xff"}, h.alpha...), 400)
	wantStatus(t, "env_vars not UTF-8", h.deployForm(echo, []string{"name", "f", "env_vars", "{\"A\":\"\xfe\"}"}, h.alpha...), 400)
	wantStatus(t, "path not UTF-8", h.invoke("/v1/functions/f%ff/invoke", "", h.alpha...), 400)
	ctx, cancel := context.WithTimeout(context.Background(), fnWait)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(h.URL, "http")+"/v1/functions/secret-fn/ws",
		&websocket.DialOptions{HTTPHeader: http.Header{"X-Api-Key": {h.alpha[1]}}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	if err := c.Write(ctx, websocket.MessageText, []byte("bad \xff frame")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Read(ctx); websocket.CloseStatus(err) != websocket.StatusInvalidFramePayloadData {
		t.Errorf("invalid UTF-8 frame: %v, want 1007", err)
	}
}

// TestSecurityFunctionsHostileTenant: a tenant that floods busy loops is
// held to its namespace's concurrency cap (429) and its functions'
// timeout; meanwhile another tenant's invocations succeed and no plugin
// restarts.
func TestSecurityFunctionsHostileTenant(t *testing.T) {
	h := startFnHost(t, "    max_namespace_concurrency = 2\n")
	h.mustDeploy("spin", serverlesstest.Module(t, "loop"), "timeout_seconds", "2")
	rb := h.deployForm(serverlesstest.Module(t, "echo"), []string{"name", "calm"}, h.beta...)
	if rb.code != http.StatusCreated {
		t.Fatalf("beta's deploy: %s", rb)
	}
	pid := h.pluginPID("serverless")

	var refused, timedOut, other atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				req, _ := http.NewRequest(http.MethodPost, h.URL+"/v1/functions/spin/invoke", nil)
				req.Header.Set(h.alpha[0], h.alpha[1])
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					other.Add(1)
					continue
				}
				resp.Body.Close()
				switch resp.StatusCode {
				case http.StatusTooManyRequests:
					refused.Add(1)
					time.Sleep(20 * time.Millisecond)
				case http.StatusGatewayTimeout:
					timedOut.Add(1)
				default:
					other.Add(1)
				}
			}
		}()
	}
	// While alpha hammers: beta's calls all succeed.
	deadline := time.Now().Add(5 * time.Second)
	n := 0
	for time.Now().Before(deadline) {
		r := h.invoke("/v1/functions/calm/invoke", fmt.Sprintf(`{"i":%d}`, n), h.beta...)
		if r.code != 200 || string(r.raw) != fmt.Sprintf(`{"i":%d}`, n) {
			t.Errorf("beta's invocation %d during the flood: %s", n, r)
		}
		n++
	}
	close(stop)
	wg.Wait()
	t.Logf("alpha: %d refused (429), %d timed out (504), %d other; beta: %d invocations", refused.Load(), timedOut.Load(), other.Load(), n)
	if refused.Load() == 0 || timedOut.Load() == 0 || other.Load() != 0 {
		t.Errorf("alpha's flood: %d refused, %d timed out, %d other; want the cap and the timeout to hold", refused.Load(), timedOut.Load(), other.Load())
	}
	if now := h.pluginPID("serverless"); now != pid {
		t.Errorf("the serverless plugin restarted during the flood (%d → %d)", pid, now)
	}
}

// TestSecurityFunctionsCPUFlood: more CPU-bound functions at once than the
// machine has CPUs. Compiled WASM cannot be preempted by the Go
// scheduler, so before the engine bounded the goroutines running guest
// code (and kept GOMAXPROCS above that bound) such a flood starved the
// plugin's gRPC health service, and the host killed the plugin — every
// tenant's functions down. Now the plugin stays up and answers the
// host's probes through the flood, and the flood ends in timeouts.
func TestSecurityFunctionsCPUFlood(t *testing.T) {
	h := startFnHost(t, "    max_concurrency = 64\n    max_namespace_concurrency = 64\n")
	h.mustDeploy("spin", serverlesstest.Module(t, "loop"), "timeout_seconds", "3")
	pid := h.pluginPID("serverless")

	const flood = 24
	codes := make(chan int, flood)
	for range flood {
		go func() {
			codes <- h.invoke("/v1/functions/spin/invoke", "", h.alpha...).code
		}()
	}
	for got := 0; got < flood; {
		select {
		case c := <-codes:
			got++
			if c != http.StatusGatewayTimeout {
				t.Errorf("a busy loop answered %d, want 504", c)
			}
		case <-time.After(100 * time.Millisecond):
		}
		if code, doc := h.health(); code != http.StatusOK || doc.Plugins["serverless"].PID != pid {
			t.Fatalf("during the flood: /v1/health %d, serverless %+v (pid was %d); log:\n%s",
				code, doc.Plugins["serverless"], pid, tail(h.logs.String(), 40))
		}
	}
	if now := h.pluginPID("serverless"); now != pid {
		t.Errorf("the serverless plugin restarted during the flood (%d → %d)", pid, now)
	}
}
