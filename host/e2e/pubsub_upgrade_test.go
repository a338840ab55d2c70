package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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

	v2 := filepath.Join(t.TempDir(), "orama-plugin-pubsub-v2")
	b, err := os.ReadFile(bins.pubsub)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(v2, b, 0o755); err != nil {
		t.Fatal(err)
	}
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
