package pubsubtest

import (
	"slices"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/pubsub"
)

// testPresence: join sends an event with the member's meta, a renewal
// sends nothing and keeps JoinedAt, Leave sends an event, and Members
// follows.
func testPresence(t *testing.T, ps pubsub.PubSub) {
	ns, topic := plugintest.Unique("ns"), plugintest.Unique("topic")
	sub := subscribe(t, ps, ns, topic)
	const meta = `{"name": "Ann", "tags": ["a", 1, null]}`
	before := time.Now().Add(-time.Second)

	join(t, ps, ns, topic, "ann", meta, time.Minute)
	ev := wantEvent(t, sub, topic, pubsub.EventJoin, "ann", "join")
	if !sameJSON(ev.Member.Meta, []byte(meta)) {
		t.Errorf("join event meta %q, want %q", ev.Member.Meta, meta)
	}
	if ev.Member.JoinedAt.Before(before) {
		t.Errorf("join event JoinedAt %v, want about now", ev.Member.JoinedAt)
	}
	ms := members(t, ps, ns, topic)
	if len(ms) != 1 || ms[0].ID != "ann" || !sameJSON(ms[0].Meta, []byte(meta)) || ms[0].JoinedAt.Before(before) {
		t.Fatalf("Members = %+v, want ann with meta %s", ms, meta)
	}
	joinedAt := ms[0].JoinedAt

	time.Sleep(10 * time.Millisecond) // so a renewal that reset JoinedAt would show
	join(t, ps, ns, topic, "ann", meta, time.Minute)
	settled(t, ps, ns, topic, "a renewal sends no event", sub)
	if ms := members(t, ps, ns, topic); len(ms) != 1 || !ms[0].JoinedAt.Equal(joinedAt) {
		t.Errorf("Members after a renewal = %+v, want ann with JoinedAt %v", ms, joinedAt)
	}

	join(t, ps, ns, topic, "bob", "", time.Minute)
	if ev := wantEvent(t, sub, topic, pubsub.EventJoin, "bob", "second join"); len(ev.Member.Meta) != 0 {
		t.Errorf("join event of a member without meta: meta %q", ev.Member.Meta)
	}
	if got := ids(members(t, ps, ns, topic)); !slices.Equal(got, []string{"ann", "bob"}) {
		t.Errorf("Members = %q, want [ann bob]", got)
	}

	if err := ps.Leave(t.Context(), ns, topic, "ann"); err != nil {
		t.Fatalf("Leave: %v", err)
	}
	ev = wantEvent(t, sub, topic, pubsub.EventLeave, "ann", "leave")
	if !sameJSON(ev.Member.Meta, []byte(meta)) {
		t.Errorf("leave event meta %q, want %q", ev.Member.Meta, meta)
	}
	if got := ids(members(t, ps, ns, topic)); !slices.Equal(got, []string{"bob"}) {
		t.Errorf("Members after ann left = %q, want [bob]", got)
	}
	// Leaving again, or a topic one never joined, is no error and no event.
	if err := ps.Leave(t.Context(), ns, topic, "ann"); err != nil {
		t.Errorf("second Leave: %v", err)
	}
	if err := ps.Leave(t.Context(), ns, plugintest.Unique("topic"), "ann"); err != nil {
		t.Errorf("Leave of an unknown topic: %v", err)
	}
	settled(t, ps, ns, topic, "a Leave of a non-member sends no event", sub)
}

// testPresenceOrder: Members lists by join time, not by id.
func testPresenceOrder(t *testing.T, ps pubsub.PubSub) {
	ns, topic := plugintest.Unique("ns"), plugintest.Unique("topic")
	if ms := members(t, ps, ns, topic); len(ms) != 0 {
		t.Fatalf("Members of a new topic = %+v, want none", ms)
	}
	want := []string{"zed", "mia", "abe"}
	for _, id := range want {
		join(t, ps, ns, topic, id, `"x"`, time.Minute)
		time.Sleep(5 * time.Millisecond) // distinct join times, also in milliseconds
	}
	ms := members(t, ps, ns, topic)
	if got := ids(ms); !slices.Equal(got, want) {
		t.Fatalf("Members = %q, want %q (by join time)", got, want)
	}
	for i := 1; i < len(ms); i++ {
		if !ms[i].JoinedAt.After(ms[i-1].JoinedAt) {
			t.Errorf("JoinedAt of %s (%v) not after %s's (%v)", ms[i].ID, ms[i].JoinedAt, ms[i-1].ID, ms[i-1].JoinedAt)
		}
	}
}

// testLeaseExpiry: a member that is not renewed leaves by itself, with a
// leave event.
func testLeaseExpiry(t *testing.T, ps pubsub.PubSub) {
	ns, topic := plugintest.Unique("ns"), plugintest.Unique("topic")
	sub := subscribe(t, ps, ns, topic)
	join(t, ps, ns, topic, "stays", "", time.Hour)
	wantEvent(t, sub, topic, pubsub.EventJoin, "stays", "long lease")
	join(t, ps, ns, topic, "fades", `{"n":1}`, pubsub.MinTTL)
	wantEvent(t, sub, topic, pubsub.EventJoin, "fades", "short lease")
	ev := wantEvent(t, sub, topic, pubsub.EventLeave, "fades", "lease expiry")
	if !sameJSON(ev.Member.Meta, []byte(`{"n":1}`)) {
		t.Errorf("leave event meta %q, want {\"n\":1}", ev.Member.Meta)
	}
	if got := ids(members(t, ps, ns, topic)); !slices.Equal(got, []string{"stays"}) {
		t.Errorf("Members after the lease ran out = %q, want [stays]", got)
	}
}
