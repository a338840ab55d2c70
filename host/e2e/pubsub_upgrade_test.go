package e2e

import (
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// TestPubSubUpgrade: pointing the pubsub plugin at another binary and
// running `orama reload` upgrades it under open sockets. The sockets stay
// open; the host moves its subscription to the new instance as soon as it
// takes the traffic (well before the old one's 30 s drain bound, which a
// subscription would otherwise hold up: psWait is 15 s), joins its member
// again, and a message published afterwards arrives exactly once.
func TestPubSubUpgrade(t *testing.T) {
	var port int
	mk := func(path string) string {
		return serverConfig(port, "e2e", "5s", "", pluginBlock("pubsub", path, `    driver = "local"`))
	}
	h := startHost(t, func(p int) string { port = p; return mk(bins.pubsub) })
	s := h.subscribe("socket", "topic=t")
	member := h.subscribe("member", "topic=t&presence=true&member_id=m1")
	h.mustPublish("t", "before")
	for _, w := range []*wsSub{s, member} {
		if f := w.nextMessage(); string(f.data) != "before" {
			t.Fatalf("%s: %s, want the message before the upgrade", w.name, f.raw)
		}
	}

	v2 := copyBinary(t, bins.pubsub)
	base := h.metric("orama_pubsub_resubscribes_total")
	oldPID := h.pluginPID("pubsub")
	h.writeConfig(mk(v2))
	if out, err := exec.Command(bins.orama, "reload", "-config", h.config).CombinedOutput(); err != nil {
		t.Fatalf("orama reload: %v\n%s", err, out)
	}
	newPID := h.waitPluginBack("pubsub", oldPID)
	eventually(t, "subscribed on the new instance", func() bool {
		return h.metric("orama_pubsub_resubscribes_total") >= base+1
	})
	eventually(t, "m1 listed on the new instance", func() bool { return slices.Equal(h.members("t"), []string{"m1"}) })
	s.open()
	member.open()

	h.mustPublish("t", "after")
	for _, w := range []*wsSub{s, member} {
		got := append(w.until("after"), w.quiet(500*time.Millisecond)...)
		n := 0
		for _, f := range got {
			switch {
			case f.presence():
			case string(f.data) == "after":
				n++
			default:
				t.Errorf("%s: unexpected message after the upgrade (a replay?): %s", w.name, f.raw)
			}
		}
		if n != 1 {
			t.Errorf("%s: the message after the upgrade arrived %d times, want once", w.name, n)
		}
	}
	h.waitLog("old plugin instance drained and stopped", 40*time.Second)
	if err := syscall.Kill(oldPID, 0); err == nil {
		t.Errorf("old plugin process %d still alive", oldPID)
	}
	t.Logf("pubsub plugin pid %d → %d under two open sockets", oldPID, newPID)
}

// TestPubSubUpgradeLibp2p: upgrading node 1's libp2p pubsub plugin (same
// listen address, same node key: the new instance starts beside the old
// one) keeps the cluster delivering both ways — node 2's messages reach
// node 1's socket and node 1's reach node 2's — once the old instance is
// drained.
func TestPubSubUpgradeLibp2p(t *testing.T) {
	nodes, config := startPubSubPair(t, 3*time.Second)
	n1, n2 := nodes[0], nodes[1]
	s1, s2 := n1.subscribe("node 1 subscriber", "topic=news"), n2.subscribe("node 2 subscriber", "topic=news")
	probe(t, n1, s2, "news", "node 1")
	probe(t, n2, s1, "news", "node 2")

	v2 := copyBinary(t, bins.pubsub)
	u, err := url.Parse(n1.URL)
	if err != nil {
		t.Fatal(err)
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		t.Fatal(err)
	}
	oldPID := n1.pluginPID("pubsub")
	n1.writeConfig(config(0, port, v2))
	if out, err := exec.Command(bins.orama, "reload", "-config", n1.config).CombinedOutput(); err != nil {
		t.Fatalf("orama reload: %v\n%s", err, out)
	}
	n1.waitLog("old plugin instance drained and stopped", 40*time.Second)
	newPID := n1.waitPluginBack("pubsub", oldPID)
	probe(t, n1, s2, "news", "node 1 after the upgrade")
	probe(t, n2, s1, "news", "node 2 after the upgrade")
	t.Logf("node 1's pubsub plugin pid %d → %d", oldPID, newPID)
}

// copyBinary copies the executable at src into a temporary file: another
// path for the same plugin, which `orama reload` upgrades to.
func copyBinary(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(src)+"-v2")
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return dst
}
