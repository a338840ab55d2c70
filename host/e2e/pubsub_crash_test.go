package e2e

import (
	"slices"
	"syscall"
	"testing"
	"time"
)

// TestPubSubPluginKill: kill -9 of the pubsub plugin under subscribed
// sockets (one with presence). The sockets stay open; the host subscribes
// again on the new instance (orama_pubsub_resubscribes_total grows) and
// joins the member again; a message published once it is back reaches the
// same sockets exactly once, and nothing published before the kill comes
// again.
func TestPubSubPluginKill(t *testing.T) {
	h := startPubSubHost(t, "5s", "", "")
	s1 := h.subscribe("t1 socket", "topic=t1")
	member := h.subscribe("t1 member", "topic=t1&presence=true&member_id=m1&member_meta=%7B%22k%22%3A1%7D")
	s2 := h.subscribe("t2 socket", "topic=t2")
	subs := []*wsSub{s1, member, s2}
	topicOf := map[*wsSub]string{s1: "t1", member: "t1", s2: "t2"}

	for _, topic := range []string{"t1", "t2"} {
		h.mustPublish(topic, "before "+topic)
	}
	for _, s := range subs {
		if f := s.nextMessage(); string(f.data) != "before "+topicOf[s] {
			t.Fatalf("%s: %s, want the message before the kill", s.name, f.raw)
		}
	}
	if got := h.members("t1"); !slices.Equal(got, []string{"m1"}) {
		t.Fatalf("members before the kill: %v", got)
	}
	base := h.metric("orama_pubsub_resubscribes_total")

	pid := h.pluginPID("pubsub")
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	newPID := h.waitPluginBack("pubsub", pid)
	back := time.Now()
	// Two topics were subscribed: both are subscribed again.
	eventually(t, "subscribed again on both topics", func() bool {
		return h.metric("orama_pubsub_resubscribes_total") >= base+2
	})
	t.Logf("both topics subscribed again %s after /v1/health showed the new plugin", time.Since(back).Round(time.Millisecond))
	eventually(t, "m1 listed again", func() bool { return slices.Equal(h.members("t1"), []string{"m1"}) })
	for _, s := range subs {
		s.open()
	}

	for _, topic := range []string{"t1", "t2"} {
		h.mustPublish(topic, "after "+topic)
	}
	for _, s := range subs {
		got := s.until("after " + topicOf[s])
		got = append(got, s.quiet(500*time.Millisecond)...)
		n := 0
		for _, f := range got {
			switch {
			case f.presence():
				// the member's join again on the new instance
			case string(f.data) == "after "+topicOf[s]:
				n++
			default:
				t.Errorf("%s: unexpected message after the restart (a replay?): %s (%q)", s.name, f.raw, f.data)
			}
		}
		if n != 1 {
			t.Errorf("%s: the message after the restart arrived %d times, want once", s.name, n)
		}
		s.open()
	}
	t.Logf("plugin pid %d → %d; resubscribes %v → %v", pid, newPID, base, h.metric("orama_pubsub_resubscribes_total"))
}
