package libp2p

import (
	"context"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/pubsub"
)

func join(t *testing.T, n *Node, namespace, topic, id string, ttl time.Duration) {
	t.Helper()
	m := pubsub.Member{ID: id, Meta: []byte(`{"name":"` + id + `"}`)}
	if err := n.Join(context.Background(), namespace, topic, m, ttl); err != nil {
		t.Fatalf("Join: %v", err)
	}
}

// A member joined on node 0 is listed on node 1, whose subscriber gets
// the join and then the leave.
func TestPresenceAcrossNodes(t *testing.T) {
	nodes := cluster(t, 2)
	s := collect(t, nodes[1], "ns", "room")
	knows(t, nodes[0], key{"ns", "room"}, 1)
	join(t, nodes[0], "ns", "room", "alice", time.Minute)
	ev := s.nextEvent(t)
	if ev.Type != pubsub.EventJoin || ev.Member.ID != "alice" || string(ev.Member.Meta) != `{"name":"alice"}` || ev.Member.JoinedAt.IsZero() {
		t.Fatalf("event %+v", ev)
	}
	eventually(t, "alice listed on node 1", func() bool { return memberIDs(t, nodes[1], "ns", "room") == "alice" })
	local, _ := nodes[0].Members(context.Background(), "ns", "room")
	remote, _ := nodes[1].Members(context.Background(), "ns", "room")
	if !local[0].JoinedAt.Equal(remote[0].JoinedAt) {
		t.Errorf("joined_at %v here, %v there", local[0].JoinedAt, remote[0].JoinedAt)
	}
	// A renewal sends no event.
	join(t, nodes[0], "ns", "room", "alice", time.Minute)
	if err := nodes[0].Leave(context.Background(), "ns", "room", "alice"); err != nil {
		t.Fatal(err)
	}
	if ev := s.nextEvent(t); ev.Type != pubsub.EventLeave || ev.Member.ID != "alice" {
		t.Fatalf("event %+v, want alice's leave", ev)
	}
	eventually(t, "alice gone on node 1", func() bool { return memberIDs(t, nodes[1], "ns", "room") == "" })
	if got := memberIDs(t, nodes[0], "ns", "room"); got != "" {
		t.Errorf("node 0 still lists %q", got)
	}
	// Leave of a member nobody has is not an error.
	if err := nodes[1].Leave(context.Background(), "ns", "room", "nobody"); err != nil {
		t.Error(err)
	}
}

// A node that starts later lists the members joined before it came (their
// nodes announce them to it at once), on topics it does not subscribe to.
func TestPresenceLateNode(t *testing.T) {
	nodes := cluster(t, 2)
	join(t, nodes[0], "ns", "room", "alice", time.Minute)
	join(t, nodes[1], "ns", "room", "bob", time.Minute)
	eventually(t, "node 1 lists both", func() bool { return memberIDs(t, nodes[1], "ns", "room") == "alice,bob" })
	late := startNode(t, Config{Peers: []string{nodes[0].Addrs()[0], nodes[1].Addrs()[0]}})
	eventually(t, "the late node lists both", func() bool { return memberIDs(t, late, "ns", "room") == "alice,bob" })
	if got, _ := late.Topics(context.Background(), "ns"); len(got) != 1 || got[0] != "room" {
		t.Errorf("late node's topics %v", got)
	}
	if got := memberIDs(t, late, "other", "room"); got != "" {
		t.Errorf("another namespace lists %q", got)
	}
	s := collect(t, late, "ns", "room")
	join(t, nodes[0], "ns", "room", "carol", time.Minute)
	if ev := s.nextEvent(t); ev.Type != pubsub.EventJoin || ev.Member.ID != "carol" {
		t.Fatalf("event %+v, want carol's join", ev)
	}
}

// A node that dies without a word (Close: no leave, no more renewals):
// its members leave on the others once their lease runs out — at most
// ttl after the death plus the broker's sweep interval (a renewal carries
// the time left on the lease its client asked for, never more).
func TestPresenceNodeDies(t *testing.T) {
	nodes := cluster(t, 3)
	s1 := collect(t, nodes[1], "ns", "room")
	s2 := collect(t, nodes[2], "ns", "room")
	meshed(t, key{"ns", "room"}, nodes[1], nodes[2])
	knows(t, nodes[0], key{"ns", "room"}, 2)
	const ttl = 2 * time.Second
	join(t, nodes[0], "ns", "room", "alice", ttl)
	join(t, nodes[1], "ns", "room", "bob", time.Minute)
	for _, s := range []*collector{s1, s2} {
		for range 2 {
			if ev := s.nextEvent(t); ev.Type != pubsub.EventJoin {
				t.Fatalf("event %+v", ev)
			}
		}
	}
	// Renew alice past her first lease, then kill her node.
	time.Sleep(ttl / 2)
	join(t, nodes[0], "ns", "room", "alice", ttl)
	eventually(t, "alice and bob listed on node 2", func() bool { return memberIDs(t, nodes[2], "ns", "room") == "alice,bob" })
	killed := time.Now()
	if err := nodes[0].Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i, s := range []*collector{s1, s2} {
		ev := s.nextEvent(t)
		if ev.Type != pubsub.EventLeave || ev.Member.ID != "alice" {
			t.Fatalf("node %d: event %+v, want alice's leave", i+1, ev)
		}
		t.Logf("node %d: alice left %s after her node died (bound: ttl %s + sweep 250ms)", i+1, time.Since(killed), ttl)
	}
	for _, n := range nodes[1:] {
		if got := memberIDs(t, n, "ns", "room"); got != "bob" {
			t.Errorf("members %q, want bob", got)
		}
	}
}

// A member joined here whose lease runs out (its joiner stopped renewing)
// leaves here and on the peers.
func TestPresenceLeaseEnds(t *testing.T) {
	nodes := cluster(t, 2)
	s := collect(t, nodes[1], "ns", "room")
	knows(t, nodes[0], key{"ns", "room"}, 1)
	join(t, nodes[0], "ns", "room", "alice", time.Second)
	if ev := s.nextEvent(t); ev.Type != pubsub.EventJoin {
		t.Fatalf("event %+v", ev)
	}
	if ev := s.nextEvent(t); ev.Type != pubsub.EventLeave || ev.Member.ID != "alice" {
		t.Fatalf("event %+v", ev)
	}
	eventually(t, "node 0 forgets alice", func() bool {
		nodes[0].mu.Lock()
		defer nodes[0].mu.Unlock()
		return len(nodes[0].members) == 0
	})
}
