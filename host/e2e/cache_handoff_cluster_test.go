package e2e

import (
	"fmt"
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// peeredCacheHosts starts two gateways whose embedded Olric members form
// one cluster with replica_count 2: a on a fixed memberlist port, b
// joining it. It returns once b reads what a wrote.
func peeredCacheHosts(t *testing.T) (a, b *host, bText func(path string) string) {
	t.Helper()
	mlA := freePort(t)
	a = startHost(t, func(port int) string {
		return configTextNode(port, "node-a", cacheBlock(bins.cache, fmt.Sprintf("    memberlist_port = %d\n    replica_count = 2", mlA)))
	})
	var bPort int
	bText = func(path string) string {
		return configTextNode(bPort, "node-b", cacheBlock(path, fmt.Sprintf("    peers = [\"127.0.0.1:%d\"]\n    replica_count = 2", mlA)))
	}
	b = startHost(t, func(port int) string { bPort = port; return bText(bins.cache) })
	ctx := ctxT(t)
	if err := a.Client.Cache().Put(ctx, "probe", "k", 1, 0); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "node b reads node a's key", func() bool {
		var v int
		return b.Client.Cache().Get(ctx, "probe", "k", &v) == nil && v == 1
	})
	return a, b, bText
}

// TestCacheClusterUpgradeKeepsEntries: two peered gateways (replica_count
// 2); node b's cache plugin is upgraded while both serve reads. No read
// fails or misses on either node, and both still read every entry.
func TestCacheClusterUpgradeKeepsEntries(t *testing.T) {
	a, b, bText := peeredCacheHosts(t)
	fillCache(t, a, "hand", handoffEntries, 10*time.Minute)
	_, before := b.health()

	ra, stopA := readLoop(a, "hand", handoffEntries, 4)
	rb, stopB := readLoop(b, "hand", handoffEntries, 4)
	time.Sleep(300 * time.Millisecond)
	reload(t, b, bText(bins.cacheV2))
	b.waitLog("cache entries handed off to the new instance", 60*time.Second)
	b.waitLog("old plugin instance drained and stopped", 30*time.Second)
	time.Sleep(time.Second) // the old member's departure reaches node a
	stopA()
	stopB()
	for name, r := range map[string]*readStats{"a (kept serving)": ra, "b (upgraded)": rb} {
		t.Logf("node %s: %d reads, %d misses, %d errors", name, r.reads.Load(), r.misses.Load(), r.errors.Load())
		if r.misses.Load() > 0 || r.errors.Load() > 0 {
			t.Errorf("node %s during the upgrade: %d misses, %d errors; e.g. %v", name, r.misses.Load(), r.errors.Load(), r.samples)
		}
	}
	_, after := b.health()
	if p := after.Plugins["cache"]; p.PID == before.Plugins["cache"].PID || p.Status != "running" {
		t.Fatalf("node b's plugin was not upgraded: %+v", p)
	}
	for name, h := range map[string]*host{"a": a, "b": b} {
		if n := countPresent(t, h, "hand", handoffEntries); n != handoffEntries {
			t.Errorf("node %s reads %d of %d entries after the upgrade", name, n, handoffEntries)
		}
	}
	t.Logf("%s", grepLines(b.logs.String(), "handed off"))
}

// pluginPID is the pid of kind's plugin process on h.
func pluginPID(t *testing.T, h *host, kind string) int {
	t.Helper()
	_, doc := h.health()
	pid := doc.Plugins[kind].PID
	if pid == 0 {
		t.Fatalf("no %s plugin pid: %+v", kind, doc)
	}
	return pid
}

// TestCacheCrashSingleMemberLosesEntries: kill -9 of the only embedded
// member leaves nothing to hand off: the host restarts the plugin and the
// entries are gone. (A crash is not an upgrade.)
func TestCacheCrashSingleMemberLosesEntries(t *testing.T) {
	h := startHost(t, func(p int) string { return configText(p, cacheBlock(bins.cache, "")) })
	fillCache(t, h, "crash", 1000, 10*time.Minute)
	pid := pluginPID(t, h, "cache")
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	h.waitPluginBack("cache", pid)
	if n := countPresent(t, h, "crash", 1000); n != 0 {
		t.Errorf("%d of 1000 entries after the only member was killed; want 0 (nothing survives a crash of a single member)", n)
	}
}

// TestCacheCrashWithReplicaKeepsEntries: with two peered members and
// replica_count 2, kill -9 of node b's member loses nothing: node a
// still reads every entry, and so does node b once its plugin is back.
func TestCacheCrashWithReplicaKeepsEntries(t *testing.T) {
	a, b, _ := peeredCacheHosts(t)
	fillCache(t, a, "crash", handoffEntries, 10*time.Minute)
	pid := pluginPID(t, b, "cache")
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	b.waitPluginBack("cache", pid) // a new, empty member: what is read now, node a kept
	var last string
	for name, h := range map[string]*host{"a (survivor)": a, "b (restarted)": b} {
		waitFor(t, 60*time.Second, "node "+name+" reads every entry", func() bool {
			n, err := tryCountPresent(t, h, "crash", handoffEntries)
			last = fmt.Sprintf("%d entries, %v", n, err)
			return err == nil && n == handoffEntries
		})
		t.Logf("node %s: %s", name, last)
	}
}

// TestCacheHandoffTimeout: a hand-off slowed on purpose (the plugin's
// test knob delays each exported batch) outlasts handoff_timeout: the
// upgrade proceeds anyway, the log names the dropped entries, the metric
// counts them, and the new instance holds the rest.
func TestCacheHandoffTimeout(t *testing.T) {
	t.Setenv("ORAMA_CACHE_HANDOFF_BATCH_DELAY", "400ms") // 10 batches of 1,000: about 4 s
	var port int
	text := func(path string) string {
		return serverConfig(port, "e2e", "5s", "  cache {\n    handoff_timeout = \"1s\"\n  }", cacheBlock(path, ""))
	}
	h := startHost(t, func(p int) string { port = p; return text(bins.cache) })
	fillCache(t, h, "hand", handoffEntries, 10*time.Minute)
	_, before := h.health()
	reload(t, h, text(bins.cacheV2))
	h.waitLog("cache hand-off ran out of time", 30*time.Second)
	h.waitLog("old plugin instance drained and stopped", 30*time.Second)
	_, after := h.health()
	if p := after.Plugins["cache"]; p.PID == before.Plugins["cache"].PID || p.Status != "running" {
		t.Fatalf("the upgrade did not proceed: %+v", p)
	}
	line := grepLines(h.logs.String(), "ran out of time")
	t.Logf("%s", line)
	dropped, moved := logInt(t, line, "dropped"), logInt(t, line, "moved")
	if dropped <= 0 || dropped+moved != handoffEntries {
		t.Errorf("dropped %d + moved %d, want > 0 dropped of %d", dropped, moved, handoffEntries)
	}
	if m := h.metric(`orama_plugin_handoff_dropped_entries_total{plugin="cache"}`); int(m) != dropped {
		t.Errorf("orama_plugin_handoff_dropped_entries_total = %v, want %d", m, dropped)
	}
	if n := countPresent(t, h, "hand", handoffEntries); n != moved {
		t.Errorf("the new instance holds %d entries, the log says %d moved", n, moved)
	}
}

// logInt reads the integer field name of a JSON log line.
func logInt(t *testing.T, line, name string) int {
	t.Helper()
	m := regexp.MustCompile(`"` + name + `":(\d+)`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("no %q in log line %s", name, line)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}
