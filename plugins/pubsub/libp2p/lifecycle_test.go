package libp2p

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/pubsub"
)

func refs(n *Node, k key) (int, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	nt := n.topics[k]
	if nt == nil {
		return 0, false
	}
	return nt.refs, nt.sub != nil
}

// The first subscription subscribes the node to the gossipsub topic, the
// last one's end (Close, its context) unsubscribes it; members need no
// subscription (presence has its own topic).
func TestTopicFollowsSubscriptionsAndMembers(t *testing.T) {
	n := startNode(t, Config{})
	k := key{"ns", "t"}
	ctx, cancel := context.WithCancel(context.Background())
	s1, err := n.Subscribe(ctx, k.namespace, k.topic)
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := n.Subscribe(context.Background(), k.namespace, k.topic)
	join(t, n, k.namespace, k.topic, "alice", time.Minute)
	if r, sub := refs(n, k); r != 2 || !sub {
		t.Fatalf("refs %d subscribed %v, want 2 true", r, sub)
	}
	cancel()
	eventually(t, "the cancelled subscription released", func() bool { r, _ := refs(n, k); return r == 1 })
	ended := false
	for range 10 { // what was buffered, then the end
		if _, err := s1.Next(); err != nil {
			ended = true
			break
		}
	}
	if !ended {
		t.Error("Next goes on after the context ended")
	}
	s2.Close()
	s2.Close()
	if r, sub := refs(n, k); r != 0 || sub {
		t.Fatalf("refs %d subscribed %v after the last one went", r, sub)
	}
	if got, _ := n.Topics(context.Background(), "ns"); len(got) != 1 {
		t.Errorf("topics %v, want alice's", got)
	}
	if err := n.Leave(context.Background(), k.namespace, k.topic, "alice"); err != nil {
		t.Fatal(err)
	}
	if r, sub := refs(n, k); r != 0 || sub {
		t.Fatalf("refs %d subscribed %v after the last one went", r, sub)
	}
	if got, _ := n.Topics(context.Background(), "ns"); len(got) != 0 {
		t.Errorf("topics %v", got)
	}
	// Subscribing again works (the handle is reused or joined anew).
	s3 := collect(t, n, k.namespace, k.topic)
	publish(t, n, k.namespace, k.topic, "again")
	if m := s3.next(t); string(m.Data) != "again" {
		t.Fatalf("got %q", m.Data)
	}
}

func TestSingleNodeContract(t *testing.T) {
	n := startNode(t, Config{})
	ctx := context.Background()
	s := collect(t, n, "ns", "t")
	publish(t, n, "ns", "t", "one")
	if m := s.next(t); string(m.Data) != "one" || m.Topic != "t" || m.Event != nil || m.Timestamp.IsZero() {
		t.Fatalf("message %+v", m)
	}
	s.empty(t) // its own copy from gossipsub is not delivered again
	if got, _ := n.Topics(ctx, "ns"); len(got) != 1 || got[0] != "t" {
		t.Errorf("topics %v", got)
	}
	for name, err := range map[string]error{
		"empty topic":  n.Publish(ctx, "ns", "", nil),
		"too large":    n.Publish(ctx, "ns", "t", make([]byte, pubsub.MaxDataLen+1)),
		"ttl":          n.Join(ctx, "ns", "t", pubsub.Member{ID: "a"}, time.Millisecond),
		"no member id": n.Leave(ctx, "ns", "t", ""),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := n.Subscribe(ctx, "", "t"); err == nil {
		t.Error("Subscribe without a namespace")
	}
	h, _ := n.Health(ctx)
	if !h.OK || h.Driver != "libp2p" {
		t.Errorf("health %+v", h)
	}
	if err := n.Close(ctx); err != nil {
		t.Fatal(err)
	}
	n.Close(ctx)
	if h, _ := n.Health(ctx); h.OK {
		t.Error("healthy after Close")
	}
	err := n.Publish(ctx, "ns", "t", []byte("x"))
	if e, ok := err.(*sdk.Error); !ok || e.Code != sdk.CodeUnavailable {
		t.Errorf("Publish after Close: %v", err)
	}
	if _, err := n.Subscribe(ctx, "ns", "t"); err == nil {
		t.Error("Subscribe after Close")
	}
}

// Publishing to topics without a local subscription keeps at most
// publishOnlyMax of their handles (least recently used out), and a
// subscription's topic is never evicted.
func TestPublishOnlyTopicsBounded(t *testing.T) {
	n := startNode(t, Config{})
	s := collect(t, n, "ns", "kept")
	for i := range publishOnlyMax + 10 {
		publish(t, n, "ns", "p"+strconv.Itoa(i), "x")
	}
	n.mu.Lock()
	idle, kept := 0, n.topics[key{"ns", "kept"}] != nil
	for _, nt := range n.topics {
		if nt.refs == 0 {
			idle++
		}
	}
	_, oldest := n.topics[key{"ns", "p0"}]
	n.mu.Unlock()
	if idle > publishOnlyMax || !kept || oldest {
		t.Errorf("%d publish-only topics (max %d), subscribed one kept %v, oldest kept %v", idle, publishOnlyMax, kept, oldest)
	}
	publish(t, n, "ns", "kept", "still")
	if m := s.next(t); string(m.Data) != "still" {
		t.Fatalf("got %q", m.Data)
	}
}

// TestPublishOnlyTopicIdleClosed: a publish-only topic handle unused for
// publishIdle is closed by closeIdle (the ticker's job), a subscribed one
// never is.
func TestPublishOnlyTopicIdleClosed(t *testing.T) {
	n := startNode(t, Config{})
	s := collect(t, n, "ns", "kept")
	publish(t, n, "ns", "idle", "x")
	n.mu.Lock()
	for _, nt := range n.topics {
		nt.lastUse = time.Now().Add(-publishIdle - time.Second) // both look idle
	}
	n.mu.Unlock()
	deadline := time.Now().Add(10 * time.Second)
	for {
		n.closeIdle() // gossipsub may refuse once while a cancellation is in flight
		n.mu.Lock()
		_, idle := n.topics[key{"ns", "idle"}]
		_, kept := n.topics[key{"ns", "kept"}]
		n.mu.Unlock()
		if !kept {
			t.Fatal("a subscribed topic was closed as idle")
		}
		if !idle {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the idle publish-only topic is still open")
		}
		time.Sleep(50 * time.Millisecond)
	}
	publish(t, n, "ns", "kept", "still")
	if m := s.next(t); string(m.Data) != "still" {
		t.Fatalf("got %q", m.Data)
	}
	publish(t, n, "ns", "idle", "again") // joins it again on demand
}
