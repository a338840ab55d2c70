package e2e

import (
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
)

// loop GETs key over and over until stop, counting outcomes by status.
type loop struct {
	mu     sync.Mutex
	counts map[int]int
	other  []error
	wg     sync.WaitGroup
	stop   atomic.Bool
}

func startLoop(t *testing.T, h *host, dmap, key string, workers int) *loop {
	l := &loop{counts: map[int]int{}}
	for range workers {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for !l.stop.Load() {
				code, _, hdr := h.post("/v1/cache/get", map[string]any{"dmap": dmap, "key": key})
				l.mu.Lock()
				l.counts[code]++
				if code == http.StatusServiceUnavailable && hdr.Get("Retry-After") == "" {
					l.other = append(l.other, errRetryAfter)
				}
				l.mu.Unlock()
				time.Sleep(2 * time.Millisecond)
			}
		}()
	}
	return l
}

var errRetryAfter = sdk.Errorf(sdk.CodeInternal, "503 without Retry-After")

func (l *loop) finish() map[int]int {
	l.stop.Store(true)
	l.wg.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.counts
}

// waitRestarted waits until the cache plugin serves again under a new pid
// with the given restart count.
func waitRestarted(t *testing.T, h *host, oldPID, restarts int) health {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, doc := h.health()
		p := doc.Plugins["cache"]
		if code == 200 && p.Status == "running" && p.PID != 0 && p.PID != oldPID && p.Restarts == restarts {
			return doc
		}
		if time.Now().After(deadline) {
			t.Fatalf("cache plugin not back: %d %+v", code, doc)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestKillPluginHostStaysUp: kill -9 of the cache plugin while clients
// loop over GETs. The host stays up, requests in the gap get 503 with
// Retry-After (never a hang, never a 500), the plugin comes back on its own
// and /health shows restarts=1.
func TestKillPluginHostStaysUp(t *testing.T) {
	h := startHost(t, func(port int) string { return configText(port, cacheBlock(bins.cache, "")) })
	ctx := ctxT(t)
	if err := h.Client.Cache().Put(ctx, "loop", "k", "v", 0); err != nil {
		t.Fatal(err)
	}
	_, doc := h.health()
	pid := doc.Plugins["cache"].PID
	if pid == 0 {
		t.Fatalf("no plugin pid in health: %+v", doc)
	}
	l := startLoop(t, h, "loop", "k", 4)
	time.Sleep(300 * time.Millisecond)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	// While it is down, /health says degraded with 503.
	sawDegraded := false
	for range 200 {
		code, d := h.health()
		if code == http.StatusServiceUnavailable && d.Status == "degraded" {
			sawDegraded = true
			break
		}
		if d.Plugins["cache"].Restarts == 1 && d.Plugins["cache"].Status == "running" {
			break // already back; the loop's 503s prove the gap
		}
		time.Sleep(2 * time.Millisecond)
	}
	waitRestarted(t, h, pid, 1)
	time.Sleep(300 * time.Millisecond)
	counts := l.finish()
	t.Logf("outcomes by status: %v (saw degraded health: %v)", counts, sawDegraded)
	for code, n := range counts {
		if code != 200 && code != 404 && code != 503 {
			t.Errorf("%d requests answered %d; want only 200/404 (data lost with the member) and 503", n, code)
		}
	}
	if counts[503] == 0 {
		t.Errorf("no request saw the gap (503): %v", counts)
	}
	if len(l.other) > 0 {
		t.Errorf("%d 503 answers lacked Retry-After", len(l.other))
	}
	if counts[200] == 0 {
		t.Errorf("no successful request: %v", counts)
	}
	if _, err := os.FindProcess(pid); err != nil {
		t.Log(err)
	}
	// The host itself never went away.
	if code, _ := h.health(); code != 200 {
		t.Errorf("health after restart: %d", code)
	}
	// Serving works again after the restart.
	if err := h.Client.Cache().Put(ctx, "loop", "after", 1, 0); err != nil {
		t.Errorf("put after restart: %v", err)
	}
}

// startFaultyCache starts a host whose cache plugin is the faulty one
// (testplugins/faultycache), stores d/k, and returns the host and the
// plugin's pid.
func startFaultyCache(t *testing.T) (*host, int) {
	t.Helper()
	block := `plugin "cache" {
  path = "` + bins.faulty + `"
}
`
	h := startHost(t, func(port int) string { return configText(port, block) })
	if err := h.Client.Cache().Put(ctxT(t), "d", "k", "v", 0); err != nil {
		t.Fatal(err)
	}
	_, doc := h.health()
	return h, doc.Plugins["cache"].PID
}

// TestPanicInPluginHandler: a panic inside the plugin's Get handler kills
// only the plugin process: that request gets 503, the host stays up and the
// plugin is restarted (restarts=1).
func TestPanicInPluginHandler(t *testing.T) {
	h, pid := startFaultyCache(t)
	ctx := ctxT(t)
	code, body, hdr := h.post("/v1/cache/get", map[string]any{"dmap": "d", "key": "panic"})
	if code != http.StatusServiceUnavailable || hdr.Get("Retry-After") == "" {
		t.Errorf("panicking request: %d %v (Retry-After %q), want 503 with Retry-After", code, body, hdr.Get("Retry-After"))
	}
	waitRestarted(t, h, pid, 1)
	h.waitLog("faultycache: asked to panic", 5*time.Second) // the plugin's stderr reached the host log
	if err := h.Client.Cache().Put(ctx, "d", "k2", "v", 0); err != nil {
		t.Errorf("put after restart: %v", err)
	}
}
