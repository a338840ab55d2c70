package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/orama-network/orama/sdk/serverless/serverlesstest"
)

// TestFunctionsLimits: each limit fails the invocation that crosses it
// and leaves the host and the plugin serving: a memory bomb at
// memory_limit_mb, a busy loop at timeout_seconds (504; the next
// invocation runs), the per-function concurrency cap (429), the output
// cap, and a trap (500 with the trap's message).
func TestFunctionsLimits(t *testing.T) {
	h := startFnHostServer(t, "  functions {\n    max_input_bytes = 4096\n    max_module_bytes = 262144\n  }\n",
		"    max_concurrency = 1\n    max_output_bytes = 65536\n")
	echo := serverlesstest.Module(t, "echo")
	h.mustDeploy("echo", echo)
	ok := func(what string) {
		t.Helper()
		if r := h.invoke("/v1/functions/echo/invoke", `{"ok":true}`, h.alpha...); r.code != 200 || string(r.raw) != `{"ok":true}` {
			t.Fatalf("echo after %s: %s", what, r)
		}
	}
	pid := h.pluginPID("serverless")

	// The host's bounds (server { functions { … } }): input and module.
	wantStatus(t, "input over max_input_bytes", h.invoke("/v1/functions/echo/invoke", strings.Repeat("x", 4097), h.alpha...), http.StatusRequestEntityTooLarge)
	wantStatus(t, "module over max_module_bytes", h.deployForm(make([]byte, 262145), []string{"name", "huge"}, h.alpha...), http.StatusRequestEntityTooLarge)

	h.mustDeploy("bomb", serverlesstest.Module(t, "membomb"), "memory_limit_mb", "16")
	r := h.invoke("/v1/functions/bomb/invoke", "", h.alpha...)
	wantStatus(t, "memory bomb", r, http.StatusInternalServerError)
	if code, _ := h.health(); code != 200 {
		t.Errorf("health after the memory bomb: %d", code)
	}
	ok("the memory bomb")

	h.mustDeploy("loop", serverlesstest.Module(t, "loop"), "timeout_seconds", "1")
	r = h.invoke("/v1/functions/loop/invoke", "", h.alpha...)
	wantStatus(t, "busy loop", r, http.StatusGatewayTimeout)
	if r.str("status") != "timeout" {
		t.Errorf("busy loop: %s", r)
	}
	ok("the busy loop")

	// Two invocations at once of a function capped at one: one runs (and
	// times out), the other is refused with 429.
	h.mustDeploy("slow", serverlesstest.Module(t, "loop"), "timeout_seconds", "5")
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = h.invoke("/v1/functions/slow/invoke", "", h.alpha...).code
		}()
	}
	wg.Wait()
	if !(codes[0] == 429 && codes[1] == 504 || codes[0] == 504 && codes[1] == 429) {
		t.Errorf("two at once with max_concurrency 1: %v, want one 429 and one 504", codes)
	}
	ok("the concurrency cap")

	h.mustDeploy("big", serverlesstest.Module(t, "bigout"))
	r = h.invoke("/v1/functions/big/invoke", "", h.alpha...)
	wantStatus(t, "output over the cap", r, http.StatusInternalServerError)
	if len(r.raw) > 65536+4096 {
		t.Errorf("the capped output came back: %d bytes", len(r.raw))
	}
	ok("the output cap")

	h.mustDeploy("trap", serverlesstest.Module(t, "trap"))
	r = h.invoke("/v1/functions/trap/invoke", "", h.alpha...)
	wantStatus(t, "trap", r, http.StatusInternalServerError)
	if !strings.Contains(r.str("error"), "unreachable") {
		t.Errorf("trap message: %s", r)
	}
	ok("the trap")

	if now := h.pluginPID("serverless"); now != pid {
		t.Errorf("the plugin restarted (pid %d → %d): a limit took it down", pid, now)
	}
}

// TestFunctionsPluginKill: kill -9 of the serverless plugin; it comes
// back and every function is still deployed and invocable.
func TestFunctionsPluginKill(t *testing.T) {
	h := startFnHost(t, "")
	echo := serverlesstest.Module(t, "echo")
	names := []string{"one", "two", "three"}
	for _, n := range names {
		h.mustDeploy(n, echo)
	}
	h.mustDeploy("two", serverlesstest.Module(t, "stderr")) // two@2
	pid := h.pluginPID("serverless")
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	h.waitPluginBack("serverless", pid)
	list := h.send(http.MethodGet, "/v1/functions", nil, h.alpha...)
	if list.code != 200 || fmt.Sprint(list.body["count"]) != "3" {
		t.Fatalf("list after the kill: %s", list)
	}
	for _, ref := range []string{"one", "two@1", "three"} {
		if r := h.invoke("/v1/functions/"+ref+"/invoke", `{"back":true}`, h.alpha...); r.code != 200 || string(r.raw) != `{"back":true}` {
			t.Errorf("%s after the kill: %s", ref, r)
		}
	}
	if r := h.invoke("/v1/functions/two/invoke", "", h.alpha...); r.code != 200 || r.str("output") != serverlesstest.StderrOutput {
		t.Errorf("two (v2) after the kill: %s", r)
	}
}

// chattySource writes 2,000 numbered lines of 100 bytes to stderr (200 KB)
// and "done" to stdout.
const chattySource = `package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	pad := strings.Repeat("x", 90)
	for i := 0; i < 2000; i++ {
		fmt.Fprintf(os.Stderr, "line %04d %s\n", i, pad)
	}
	fmt.Print("done")
}
`

// TestFunctionsLogCap: a function that writes far more to stderr than
// max_log_bytes still succeeds; what it wrote is kept up to the cap, in
// order, and the rest is counted in one line of the logs.
func TestFunctionsLogCap(t *testing.T) {
	h := startFnHost(t, "    max_log_bytes = 1024\n")
	h.mustDeploy("chatty", serverlesstest.GoModule(t, chattySource))
	r := h.invoke("/v1/functions/chatty/invoke", "", h.alpha...)
	if r.code != 200 || r.str("output") != "done" {
		t.Fatalf("invoke: %s", r)
	}
	logs := h.send(http.MethodGet, "/v1/functions/chatty/logs?limit=1000", nil, h.alpha...)
	var doc struct {
		Logs []struct{ Level, Message string } `json:"logs"`
	}
	if err := json.Unmarshal(logs.raw, &doc); err != nil || logs.code != 200 {
		t.Fatalf("logs: %s (%v)", logs, err)
	}
	kept, dropped := 0, ""
	for _, l := range doc.Logs {
		switch {
		case strings.HasPrefix(l.Message, "line "):
			if want := fmt.Sprintf("line %04d ", kept); !strings.HasPrefix(l.Message, want) || len(l.Message) != 100 {
				t.Errorf("stderr line %d is %.12q (%d bytes), want it to start %q (kept whole, in order)", kept, l.Message, len(l.Message), want)
			}
			kept++
		case strings.Contains(l.Message, "bytes of logs dropped"):
			dropped = l.Message
		}
	}
	// 1,024 bytes hold ten 100-byte lines; the other 1,990 are dropped whole.
	if kept != 10 || dropped != "… 199000 bytes of logs dropped" {
		t.Errorf("kept %d stderr lines and logged %q; want 10 and \"… 199000 bytes of logs dropped\"", kept, dropped)
	}
}
