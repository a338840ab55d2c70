package e2e

import (
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Upgrading the cache plugin hands its entries off to the new instance
// (cache.Handoff): these tests fill a cache, upgrade the plugin under a
// read loop and count what survives.

const handoffEntries = 10000

// handoffKey is the key of entry i.
func handoffKey(i int) string { return fmt.Sprintf("k%05d", i) }

// fillCache stores entries 0..n-1 of dmap (value i) with ttl, from 8
// goroutines.
func fillCache(t *testing.T, h *host, dmap string, n int, ttl time.Duration) {
	t.Helper()
	ctx := ctxT(t)
	var wg sync.WaitGroup
	var failed atomic.Int64
	var first atomic.Value
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 8 {
				if err := h.Client.Cache().Put(ctx, dmap, handoffKey(i), i, ttl); err != nil {
					failed.Add(1)
					first.CompareAndSwap(nil, err.Error())
				}
			}
		}()
	}
	wg.Wait()
	if failed.Load() > 0 {
		t.Fatalf("%d puts failed; first: %v", failed.Load(), first.Load())
	}
}

// readStats counts a read loop's outcomes.
type readStats struct {
	reads, misses, errors atomic.Int64
	mu                    sync.Mutex
	samples               []string
}

func (r *readStats) note(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.samples) < 5 {
		r.samples = append(r.samples, s)
	}
}

// readLoop reads entries 0..n-1 of dmap over POST /v1/cache/get from
// workers goroutines until stop is called; a 404 is a miss, any other
// non-200 (or a wrong value) an error.
func readLoop(h *host, dmap string, n, workers int) (r *readStats, stop func()) {
	r = &readStats{}
	done := make(chan struct{})
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w * 997; ; i += 7 {
				select {
				case <-done:
					return
				default:
				}
				k := i % n
				code, body, _ := h.post("/v1/cache/get", map[string]any{"dmap": dmap, "key": handoffKey(k)})
				r.reads.Add(1)
				switch {
				case code == 404:
					r.misses.Add(1)
					r.note(fmt.Sprintf("%s: 404 %v", handoffKey(k), body))
				case code != 200:
					r.errors.Add(1)
					r.note(fmt.Sprintf("%s: %d %v", handoffKey(k), code, body))
				case fmt.Sprint(body["value"]) != fmt.Sprint(k):
					r.errors.Add(1)
					r.note(fmt.Sprintf("%s: value %#v in %v", handoffKey(k), body["value"], body))
				}
			}
		}()
	}
	return r, func() { close(done); wg.Wait() }
}

// reload points the host at config text and runs `orama reload`.
func reload(t *testing.T, h *host, text string) {
	t.Helper()
	h.writeConfig(text)
	out, err := exec.Command(bins.orama, "reload", "-config", h.config).CombinedOutput()
	if err != nil {
		t.Fatalf("orama reload: %v\n%s", err, out)
	}
}

// countPresent reads entries 0..n-1 of dmap with mget and returns how many
// exist.
func countPresent(t *testing.T, h *host, dmap string, n int) int {
	t.Helper()
	found, err := tryCountPresent(t, h, dmap, n)
	if err != nil {
		t.Fatalf("mget: %v", err)
	}
	return found
}

// tryCountPresent is countPresent returning mget's error.
func tryCountPresent(t *testing.T, h *host, dmap string, n int) (int, error) {
	ctx := ctxT(t)
	found := 0
	for lo := 0; lo < n; lo += 1000 {
		var keys []string
		for i := lo; i < min(lo+1000, n); i++ {
			keys = append(keys, handoffKey(i))
		}
		kvs, err := h.Client.Cache().MGet(ctx, dmap, keys)
		if err != nil {
			return found, err
		}
		found += len(kvs)
	}
	return found, nil
}

// TestCacheUpgradeKeepsEntries: 10,000 entries with TTLs, 8 readers and a
// writer over the gateway, the cache plugin upgraded to another binary
// with `orama reload`: no read fails or misses, every entry and every
// acknowledged write is on the new instance afterwards, and TTLs still
// hold (a short one expires, long ones stay).
func TestCacheUpgradeKeepsEntries(t *testing.T) {
	var port int
	h := startHost(t, func(p int) string { port = p; return configText(p, cacheBlock(bins.cache, "")) })
	ctx := ctxT(t)
	fillCache(t, h, "hand", handoffEntries, 10*time.Minute)
	const shortTTL = 5 * time.Second
	shortSet := time.Now()
	if err := h.Client.Cache().Put(ctx, "ttl", "short", "s", shortTTL); err != nil {
		t.Fatal(err)
	}
	_, before := h.health()

	r, stop := readLoop(h, "hand", handoffEntries, 8)
	// A writer stores new keys throughout; every acknowledged one must be
	// there afterwards.
	var written atomic.Int64
	var writeErrs []string
	stopW, wdone := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(wdone)
		for i := 0; ; i++ {
			select {
			case <-stopW:
				return
			default:
			}
			code, body, _ := h.post("/v1/cache/put", map[string]any{"dmap": "written", "key": handoffKey(i), "value": i, "ttl": "10m"})
			if code != 200 {
				writeErrs = append(writeErrs, fmt.Sprintf("put %d: %d %v", i, code, body))
				return
			}
			written.Store(int64(i + 1))
		}
	}()
	time.Sleep(300 * time.Millisecond)
	reload(t, h, configText(port, cacheBlock(bins.cacheV2, "")))
	h.waitLog("cache entries handed off to the new instance", 60*time.Second)
	h.waitLog("old plugin instance drained and stopped", 30*time.Second)
	time.Sleep(300 * time.Millisecond)
	stop()
	close(stopW)
	<-wdone
	if len(writeErrs) > 0 {
		t.Errorf("a write failed during the upgrade: %v", writeErrs)
	}
	if n := int(written.Load()); countPresent(t, h, "written", n) != n {
		t.Errorf("of %d writes acknowledged during the upgrade, %d are there", n, countPresent(t, h, "written", n))
	} else {
		t.Logf("%d writes during the upgrade, all there", n)
	}
	t.Logf("reads during the upgrade: %d, misses %d, errors %d", r.reads.Load(), r.misses.Load(), r.errors.Load())
	if r.misses.Load() > 0 || r.errors.Load() > 0 {
		t.Errorf("reads during the upgrade: %d misses, %d errors; e.g. %v", r.misses.Load(), r.errors.Load(), r.samples)
	}
	if r.reads.Load() < 100 {
		t.Errorf("the read loop made only %d reads", r.reads.Load())
	}
	_, after := h.health()
	if p := after.Plugins["cache"]; p.PID == before.Plugins["cache"].PID || !strings.HasPrefix(p.Version, "2.0.0-e2e") {
		t.Fatalf("the plugin was not upgraded: %+v", p)
	}
	if n := countPresent(t, h, "hand", handoffEntries); n != handoffEntries {
		t.Errorf("%d of %d entries on the new instance", n, handoffEntries)
	}
	// The short entry kept its expiry: present now, gone once it passed.
	var v string
	if err := h.Client.Cache().Get(ctx, "ttl", "short", &v); err != nil && time.Since(shortSet) < shortTTL-time.Second {
		t.Errorf("short-TTL entry missing before its expiry: %v", err)
	}
	time.Sleep(time.Until(shortSet.Add(shortTTL + time.Second)))
	if err := h.Client.Cache().Get(ctx, "ttl", "short", &v); !isNotFoundErr(err) {
		t.Errorf("short-TTL entry after its expiry: %q, %v; want not found", v, err)
	}
	var n int
	if err := h.Client.Cache().Get(ctx, "hand", handoffKey(42), &n); err != nil || n != 42 {
		t.Errorf("long-TTL entry: %d, %v", n, err)
	}
	line := grepLines(h.logs.String(), "handed off")
	t.Logf("%s", line)
	if moved := logInt(t, line, "moved"); moved < handoffEntries+1 {
		t.Errorf("the hand-off moved %d entries, want at least the %d stored before", moved, handoffEntries+1)
	}
}

func isNotFoundErr(err error) bool {
	return err != nil && strings.Contains(err.Error(), "not found")
}

// grepLines returns the lines of s containing sub.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestCacheUpgradeWithoutHandoff: a cache plugin that does not implement
// the hand-off (testplugins/faultycache answers Unimplemented) is upgraded
// as before: no request fails, the log says its entries did not move, and
// they are gone.
func TestCacheUpgradeWithoutHandoff(t *testing.T) {
	var port int
	h := startHost(t, func(p int) string { port = p; return configText(p, pluginBlock("cache", bins.faulty, "")) })
	ctx := ctxT(t)
	fillCache(t, h, "hand", 100, 0)
	_, before := h.health()

	r, stop := readLoop(h, "hand", 100, 4)
	time.Sleep(200 * time.Millisecond)
	reload(t, h, configText(port, pluginBlock("cache", copyBinary(t, bins.faulty), "")))
	h.waitLog("the cache plugin does not hand off its entries", 30*time.Second)
	h.waitLog("old plugin instance drained and stopped", 30*time.Second)
	stop()
	t.Logf("reads during the upgrade: %d, misses %d, errors %d", r.reads.Load(), r.misses.Load(), r.errors.Load())
	if r.errors.Load() > 0 {
		t.Errorf("%d reads failed during the upgrade (misses are expected, errors are not): %v", r.errors.Load(), r.samples)
	}
	_, after := h.health()
	if p := after.Plugins["cache"]; p.PID == before.Plugins["cache"].PID || p.Status != "running" {
		t.Fatalf("the plugin was not upgraded: %+v → %+v", before.Plugins["cache"], p)
	}
	var v int
	if err := h.Client.Cache().Get(ctx, "hand", handoffKey(7), &v); !isNotFoundErr(err) {
		t.Errorf("an entry of the old instance after an upgrade without hand-off: %d, %v; want not found", v, err)
	}
	if err := h.Client.Cache().Put(ctx, "hand", "after", 1, 0); err != nil {
		t.Errorf("put on the new instance: %v", err)
	}
}
