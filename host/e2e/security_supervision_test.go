package e2e

// Hung plugins (issue 8, defect 4) and restart cascades (defect 2, the
// supervision half), mounted against the real binaries: a plugin process
// is frozen with SIGSTOP — and never continued — while clients keep
// calling it.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// hungRequestTimeout is the host's request_timeout in these tests: far
// longer than any wait below, so a call that waits on a frozen plugin
// until the request timeout fails the test's bounds instead of passing as
// a late 503.
const hungRequestTimeout = 120 * time.Second

// hungBound bounds each wait in these tests: generous for a slow machine,
// far below hungRequestTimeout.
const hungBound = 45 * time.Second

// hungConfig is a config.hcl with the long request timeout; serverExtra
// goes inside the server block.
func hungConfig(port int, serverExtra, plugins string) string {
	return serverConfig(port, "e2e", hungRequestTimeout.String(), serverExtra, plugins)
}

// freeze sends SIGSTOP to pid and, when the test ends, SIGKILL if the
// process is still there frozen (so a failing run leaves nothing behind).
func freeze(t *testing.T, pid int) {
	t.Helper()
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatalf("SIGSTOP %d: %v", pid, err)
	}
	t.Cleanup(func() {
		if processState(pid) == "T" {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	})
}

// processState is the state letter of pid in /proc ("T" stopped, "Z"
// zombie, …), or "" when there is no such process.
func processState(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ""
	}
	// pid (comm) state …; comm may hold spaces, so cut after the last ')'.
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2 : i+3]
	}
	return ""
}

// waitGone waits until pid no longer exists (killed and reaped). A frozen
// process that is never killed stays "T" and fails the test.
func waitGone(t *testing.T, pid int, what string) {
	t.Helper()
	deadline := time.Now().Add(hungBound)
	for {
		err := syscall.Kill(pid, 0)
		if errors.Is(err, syscall.ESRCH) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s (pid %d) still exists after %s, state %q; a frozen plugin must be SIGKILLed", what, pid, hungBound, processState(pid))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitPluginBack waits until plugin runs again (running or degraded) under
// a new pid with the given restart count, and returns the health document.
func waitPluginBack(t *testing.T, h *host, plugin string, oldPID, restarts int) health {
	t.Helper()
	deadline := time.Now().Add(hungBound)
	for {
		_, doc := h.health()
		p := doc.Plugins[plugin]
		if p.Status == "running" && p.PID != 0 && p.PID != oldPID && p.Restarts == restarts {
			return doc
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s plugin not relaunched (restarts=%d, new pid) within %s: %+v", plugin, restarts, hungBound, doc)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// outcome is one answered request.
type outcome struct {
	code       int
	retryAfter bool
	err        error // transport error or the client's own timeout
}

// timedClient gives up after hungBound, so a request that waits for the
// request timeout shows up as an error, not as a late answer.
var timedClient = &http.Client{Timeout: hungBound}

// postWith sends a JSON POST with optional header pairs.
func postWith(url string, body any, hdr ...string) outcome {
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		return outcome{err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := timedClient.Do(req)
	if err != nil {
		return outcome{err: err}
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return outcome{code: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After") != ""}
}

// requestLoop posts body to url from workers goroutines until finish,
// collecting every outcome.
type requestLoop struct {
	mu   sync.Mutex
	all  []outcome
	stop chan struct{}
	wg   sync.WaitGroup
}

func startRequestLoop(url string, body any, workers int, hdr ...string) *requestLoop {
	l := &requestLoop{stop: make(chan struct{})}
	for range workers {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for {
				select {
				case <-l.stop:
					return
				default:
				}
				o := postWith(url, body, hdr...)
				l.mu.Lock()
				l.all = append(l.all, o)
				l.mu.Unlock()
				time.Sleep(5 * time.Millisecond)
			}
		}()
	}
	return l
}

func (l *requestLoop) finish() []outcome {
	close(l.stop)
	l.wg.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.all
}

// checkOutcomes fails on any answer but ok codes and 503 with
// Retry-After, and on any request that got no answer (it hung until the
// client gave up); it returns the count of each code.
func checkOutcomes(t *testing.T, what string, all []outcome, ok ...int) map[int]int {
	t.Helper()
	counts := map[int]int{}
	for _, o := range all {
		if o.err != nil {
			t.Errorf("%s: a request got no answer (hung): %v", what, o.err)
			continue
		}
		counts[o.code]++
		switch {
		case o.code == http.StatusServiceUnavailable:
			if !o.retryAfter {
				t.Errorf("%s: 503 without Retry-After", what)
			}
		case !containsInt(ok, o.code):
			t.Errorf("%s: answer %d; want %v or 503", what, o.code, ok)
		}
	}
	return counts
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// TestSecurityHungPluginIsKilled: the cache plugin is frozen with SIGSTOP
// (and never continued) while clients loop over cache reads. Within a
// bounded time the host SIGKILLs it — the old pid disappears although it
// was never sent SIGCONT — and relaunches it (restarts=1, new pid); the
// requests that were in flight on the frozen process answer 503 with
// Retry-After, not after the 120 s request timeout; no request hangs; the
// plugin serves again.
func TestSecurityHungPluginIsKilled(t *testing.T) {
	h := startHost(t, func(port int) string { return hungConfig(port, "", cacheBlock(bins.cache, "")) })
	if err := h.Client.Cache().Put(ctxT(t), "hung", "k", "v", 0); err != nil {
		t.Fatal(err)
	}
	_, doc := h.health()
	pid := doc.Plugins["cache"].PID
	if pid == 0 {
		t.Fatalf("no cache pid in /health: %+v", doc)
	}
	get := map[string]any{"dmap": "hung", "key": "k"}
	loop := startRequestLoop(h.URL+"/v1/cache/get", get, 4)
	time.Sleep(300 * time.Millisecond)

	freeze(t, pid)
	// Calls made now reach the frozen process (the host has not noticed
	// yet): they are in flight when it is killed.
	inflight := make(chan outcome, 4)
	for range cap(inflight) {
		go func() { inflight <- postWith(h.URL+"/v1/cache/get", get) }()
	}
	for range cap(inflight) {
		o := <-inflight
		if o.err != nil {
			t.Fatalf("a call in flight on the frozen plugin got no answer within %s: %v", hungBound, o.err)
		}
		if o.code != http.StatusServiceUnavailable && o.code != http.StatusOK {
			t.Errorf("a call in flight on the frozen plugin answered %d, want 503 (or 200 had it won the race)", o.code)
		}
		if o.code == http.StatusServiceUnavailable && !o.retryAfter {
			t.Error("503 without Retry-After")
		}
	}

	waitGone(t, pid, "the frozen cache plugin")
	waitPluginBack(t, h, "cache", pid, 1)
	wantServing(t, h, "cache get after the relaunch", "/v1/cache/get", get, nil, http.StatusOK, http.StatusNotFound)
	time.Sleep(300 * time.Millisecond)

	counts := checkOutcomes(t, "loop", loop.finish(), http.StatusOK, http.StatusNotFound)
	t.Logf("loop outcomes by status: %v", counts)
	if counts[http.StatusServiceUnavailable] == 0 {
		t.Errorf("no request saw the hang as 503: %v", counts)
	}
	if _, d := h.health(); d.Plugins["cache"].Restarts != 1 {
		t.Errorf("cache restarts = %d, want 1", d.Plugins["cache"].Restarts)
	}
}

// wantServing retries a POST (bounded) until it answers one of codes.
func wantServing(t *testing.T, h *host, what, path string, body any, hdr []string, codes ...int) {
	t.Helper()
	deadline := time.Now().Add(hungBound)
	for {
		o := postWith(h.URL+path, body, hdr...)
		if o.err == nil && containsInt(codes, o.code) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: last answer %d (%v) within %s; want %v", what, o.code, o.err, hungBound, codes)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestSecurityHungDatabaseNoCascade: in a host with auth on the SQLite
// database, the database plugin is frozen with SIGSTOP. The database is
// killed and relaunched (restarts=1, new pid, old pid gone); auth, whose
// health includes the database, only shows as degraded meanwhile — it is
// not restarted (restarts=0, same pid) — and API-key requests work again
// once the database is back. No request hangs.
func TestSecurityHungDatabaseNoCascade(t *testing.T) {
	h := startHost(t, func(port int) string {
		return hungConfig(port, `  auth          = "required"
  key_cache_ttl = "1s"`, cacheBlock(bins.cache, "")+sqliteBlock()+authBlock(""))
	})
	code, out, stderr := orama(t, nil, "keys", "create", "-config", h.config, "-namespace", "hungdb", "-json")
	var k cliKey
	if code != 0 || json.Unmarshal([]byte(out), &k) != nil {
		t.Fatalf("keys create: exit %d\n%s\n%s", code, out, stderr)
	}
	key := apiKey(k.Key)
	put := map[string]any{"dmap": "d", "key": "k", "value": 1}
	wantServing(t, h, "cache put with the key", "/v1/cache/put", put, key, http.StatusOK)

	_, doc := h.health()
	dbPID, authPID := doc.Plugins["database"].PID, doc.Plugins["auth"].PID
	if dbPID == 0 || authPID == 0 {
		t.Fatalf("no database/auth pid in /health: %+v", doc)
	}
	loop := startRequestLoop(h.URL+"/v1/cache/get", map[string]any{"dmap": "d", "key": "k"}, 2, key...)
	time.Sleep(300 * time.Millisecond)

	freeze(t, dbPID)
	waitGone(t, dbPID, "the frozen database plugin")
	doc = waitPluginBack(t, h, "database", dbPID, 1)
	if a := doc.Plugins["auth"]; a.Restarts != 0 || a.PID != authPID {
		t.Fatalf("auth was restarted because its dependency hung: %+v (pid before %d)", a, authPID)
	}
	// API-key requests work again, on cache and on the database.
	wantServing(t, h, "cache get with the key after the relaunch", "/v1/cache/get", map[string]any{"dmap": "d", "key": "k"}, key, http.StatusOK)
	wantServing(t, h, "database query with the key after the relaunch", "/v1/rqlite/query",
		map[string]any{"sql": "SELECT 1 AS one"}, key, http.StatusOK)
	time.Sleep(1500 * time.Millisecond) // several of the host's health rounds

	counts := checkOutcomes(t, "loop", loop.finish(), http.StatusOK)
	t.Logf("loop outcomes by status: %v", counts)
	_, doc = h.health()
	if a := doc.Plugins["auth"]; a.Restarts != 0 || a.PID != authPID || a.Status != "running" {
		t.Errorf("auth at the end: %+v, want running, restarts 0, pid %d", a, authPID)
	}
	if d := doc.Plugins["database"]; d.Restarts != 1 {
		t.Errorf("database restarts = %d, want 1", d.Restarts)
	}
}

// TestSecurityDegradedPluginKeepsServing: a plugin whose process answers
// but whose backend (or a dependency) is not ok — the faulty cache plugin
// while the key "unhealthy" is stored — is shown degraded in /health,
// /v1/status and the metrics, keeps serving and is never restarted, for
// many more health rounds than it takes to kill a hung one; it shows
// running again once its backend is ok.
func TestSecurityDegradedPluginKeepsServing(t *testing.T) {
	h, pid := startFaultyCache(t)
	ctx := ctxT(t)
	if err := h.Client.Cache().Put(ctx, "d", "unhealthy", "yes", 0); err != nil {
		t.Fatal(err)
	}
	waitFor(t, hungBound, "cache shown degraded in /health", func() bool {
		_, d := h.health()
		return d.Plugins["cache"].Status == "degraded"
	})
	// Several readiness rounds (1 s apart); three failed health checks
	// used to be enough for a restart.
	time.Sleep(5 * time.Second)

	code, doc := h.health()
	if p := doc.Plugins["cache"]; p.Status != "degraded" || p.Restarts != 0 || p.PID != pid {
		t.Fatalf("degraded plugin in /health: %+v, want degraded, restarts 0, pid %d", p, pid)
	}
	if code != http.StatusOK {
		t.Errorf("/health answered %d with a degraded (serving) plugin; want 200", code)
	}
	st, err := h.status()
	if err != nil {
		t.Fatal(err)
	}
	if b := st.Backends["cache"]; b.OK || !strings.Contains(b.Detail, "unhealthy") {
		t.Errorf("/v1/status backends.cache = %+v, want ok false with the plugin's detail", b)
	}
	metrics := h.send(http.MethodGet, "/metrics", nil)
	for _, line := range []string{`orama_plugin_state{plugin="cache",state="degraded"} 1`, `orama_plugin_up{plugin="cache"} 1`, `orama_plugin_restarts_total{plugin="cache"} 0`} {
		if !strings.Contains(string(metrics.raw), line) {
			t.Errorf("/metrics lacks %s", line)
		}
	}
	// It keeps serving.
	var got string
	if err := h.Client.Cache().Get(ctx, "d", "k", &got); err != nil || got != "v" {
		t.Errorf("get from the degraded plugin: %q %v", got, err)
	}

	if err := h.Client.Cache().Delete(ctx, "d", "unhealthy"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, hungBound, "cache running again", func() bool {
		_, d := h.health()
		return d.Plugins["cache"].Status == "running"
	})
	if _, d := h.health(); d.Plugins["cache"].Restarts != 0 || d.Plugins["cache"].PID != pid {
		t.Errorf("after recovery: %+v, want restarts 0, pid %d", d.Plugins["cache"], pid)
	}
}

// TestSecurityFrozenPluginDoesNotBlockShutdown: SIGTERM right after the
// cache plugin is frozen. The host still exits (it SIGKILLs the plugin it
// cannot ask to exit) and leaves no frozen process behind.
func TestSecurityFrozenPluginDoesNotBlockShutdown(t *testing.T) {
	h := startHost(t, func(port int) string { return hungConfig(port, "", cacheBlock(bins.cache, "")) })
	_, doc := h.health()
	pid := doc.Plugins["cache"].PID
	if pid == 0 {
		t.Fatalf("no cache pid in /health: %+v", doc)
	}
	freeze(t, pid)
	if err := h.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-h.exited:
	case <-time.After(hungBound):
		t.Fatalf("host did not exit within %s of SIGTERM with a frozen plugin", hungBound)
	}
	waitGone(t, pid, "the frozen cache plugin after the host exited")
}
