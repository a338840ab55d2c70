package e2e

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/orama-network/orama/sdk/auth/authtest"
)

// TestPubSubNamespaces: two namespaces (two keys) use the same topic name
// through one gateway. No message (published over HTTP or as a client
// frame), presence event, topic or member of one reaches the other.
func TestPubSubNamespaces(t *testing.T) {
	h := startPubSubAuthHost(t)
	a := apiKey(h.signIn(authtest.NewETHWallet(), "ps-ns-a").key)
	b := apiKey(h.signIn(authtest.NewSOLWallet(), "ps-ns-b").key)

	watchA := h.subscribe("A watcher", "topic=shared", a...)
	watchB := h.subscribe("B watcher", "topic=shared", b...)
	alice := h.subscribe("A member alice", "topic=shared&presence=true&member_id=alice", a...)
	bob := h.subscribe("B member bob", "topic=shared&presence=true&member_id=bob", b...)
	onlyA := h.subscribe("A only-a", "topic=only-a", a...)
	_ = h.subscribe("B only-b", "topic=only-b", b...)

	h.mustPublish("shared", "A: over http", a...)
	h.mustPublish("shared", "B: over http", b...)
	alice.send(websocket.MessageText, []byte("A: client frame"))
	bob.send(websocket.MessageBinary, []byte("B: client frame"))
	// Each namespace's end marker goes last, through the same socket as
	// its client frame (read in order), so everything of that namespace
	// is before it.
	alice.send(websocket.MessageText, []byte("A: end"))
	bob.send(websocket.MessageText, []byte("B: end"))

	check := func(sub *wsSub, own, foreign, ownMember, foreignMember string) {
		t.Helper()
		got := append(sub.until(own+"end"), sub.quiet(300*time.Millisecond)...)
		var msgs []string
		joined := false
		for _, f := range got {
			switch {
			case f.presence():
				if m := f.str("member_id"); m == foreignMember {
					t.Errorf("%s: presence of the other namespace's member: %s", sub.name, f.raw)
				} else if m == ownMember {
					joined = true
				}
			case strings.HasPrefix(string(f.data), foreign):
				t.Errorf("%s: message of the other namespace: %s (%q)", sub.name, f.raw, f.data)
			default:
				msgs = append(msgs, string(f.data))
			}
		}
		for _, want := range []string{own + "over http", own + "client frame", own + "end"} {
			if !slices.Contains(msgs, want) {
				t.Errorf("%s: own message %q missing from %q", sub.name, want, msgs)
			}
		}
		if !joined && sub.name != "A member alice" && sub.name != "B member bob" {
			t.Errorf("%s: no join of its own member %s", sub.name, ownMember)
		}
	}
	check(watchA, "A: ", "B: ", "alice", "bob")
	check(alice, "A: ", "B: ", "alice", "bob")
	check(watchB, "B: ", "A: ", "bob", "alice")
	check(bob, "B: ", "A: ", "bob", "alice")
	if got := onlyA.quiet(100 * time.Millisecond); len(got) != 0 {
		t.Errorf("a socket of another topic got %d frames: %s", len(got), got[0].raw)
	}

	if got := h.members("shared", a...); !slices.Equal(got, []string{"alice"}) {
		t.Errorf("A's members of shared: %v, want [alice]", got)
	}
	if got := h.members("shared", b...); !slices.Equal(got, []string{"bob"}) {
		t.Errorf("B's members of shared: %v, want [bob]", got)
	}
	ta, tb := h.topics(a...), h.topics(b...)
	if !slices.Contains(ta, "shared") || !slices.Contains(ta, "only-a") || slices.Contains(ta, "only-b") {
		t.Errorf("A's topics: %v, want shared and only-a, never only-b", ta)
	}
	if !slices.Contains(tb, "shared") || !slices.Contains(tb, "only-b") || slices.Contains(tb, "only-a") {
		t.Errorf("B's topics: %v, want shared and only-b, never only-a", tb)
	}

	// B's member leaves: A's watcher hears nothing of it.
	_ = bob.c.Close(websocket.StatusNormalClosure, "")
	if f := watchB.nextPresence("presence.leave"); f.str("member_id") != "bob" {
		t.Errorf("B watcher: leave %s, want bob", f.raw)
	}
	h.mustPublish("shared", "A: after bob left", a...)
	for _, f := range watchA.until("A: after bob left") {
		if f.presence() {
			t.Errorf("A watcher got a presence frame of B: %s", f.raw)
		}
	}
}
