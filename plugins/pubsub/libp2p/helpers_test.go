package libp2p

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/pubsub"
)

// wait is the generous bound of every wait in these tests.
const wait = 20 * time.Second

// startNode starts a node on 127.0.0.1 and closes it at the end of the
// test.
func startNode(t *testing.T, c Config) *Node {
	t.Helper()
	if len(c.Listen) == 0 {
		c.Listen = []string{"/ip4/127.0.0.1/tcp/0"}
	}
	n, err := New(context.Background(), c, nil, nil)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { n.Close(context.Background()) })
	return n
}

// cluster starts size nodes, each listing all the earlier ones as peers,
// and waits until every pair is connected.
func cluster(t *testing.T, size int) []*Node {
	t.Helper()
	var nodes []*Node
	var peers []string
	for range size {
		n := startNode(t, Config{Peers: append([]string(nil), peers...)})
		nodes = append(nodes, n)
		peers = append(peers, n.Addrs()[0])
	}
	for _, n := range nodes {
		eventually(t, "every peer connected to "+n.ID(), func() bool { return len(n.Peers()) == size-1 })
	}
	return nodes
}

// eventually polls cond until it holds, failing after wait.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not after %s: %s", wait, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// meshed waits until each node knows every other one subscribes to k.
func meshed(t *testing.T, k key, nodes ...*Node) {
	t.Helper()
	for _, n := range nodes {
		knows(t, n, k, len(nodes)-1)
	}
}

// knows waits until n knows want peers subscribe to k.
func knows(t *testing.T, n *Node, k key, want int) {
	t.Helper()
	eventually(t, fmt.Sprintf("%s sees %d peers on %v", n.ID(), want, k), func() bool {
		return len(n.ps.ListPeers(topicName(k))) >= want
	})
}

// collector reads a subscription into a channel.
type collector struct {
	ch   chan pubsub.Message
	mu   sync.Mutex
	seen []pubsub.Message
}

func collect(t *testing.T, n *Node, namespace, topic string) *collector {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s, err := n.Subscribe(ctx, namespace, topic)
	if err != nil {
		t.Fatalf("Subscribe(%s, %s): %v", namespace, topic, err)
	}
	c := &collector{ch: make(chan pubsub.Message, 100000)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			m, err := s.Next()
			if err != nil {
				return
			}
			c.ch <- m
		}
	}()
	t.Cleanup(func() { cancel(); s.Close(); <-done })
	return c
}

// within returns the next message (presence events skipped) that comes
// within d; ok is false when none did.
func (c *collector) within(d time.Duration) (m pubsub.Message, ok bool) {
	end := time.After(d)
	for {
		select {
		case m := <-c.ch:
			if m.Event == nil {
				return m, true
			}
		case <-end:
			return pubsub.Message{}, false
		}
	}
}

// next returns the next message, failing after wait.
func (c *collector) next(t *testing.T) pubsub.Message {
	t.Helper()
	select {
	case m := <-c.ch:
		return m
	case <-time.After(wait):
		t.Fatalf("no message after %s", wait)
		return pubsub.Message{}
	}
}

// until returns the messages up to and including the one whose data is
// end (presence events included).
func (c *collector) until(t *testing.T, end string) []pubsub.Message {
	t.Helper()
	var out []pubsub.Message
	for {
		m := c.next(t)
		out = append(out, m)
		if m.Event == nil && string(m.Data) == end {
			return out
		}
	}
}

// nextEvent skips messages up to the next presence event.
func (c *collector) nextEvent(t *testing.T) *pubsub.Event {
	t.Helper()
	for {
		if m := c.next(t); m.Event != nil {
			return m.Event
		}
	}
}

// empty fails if a message is waiting.
func (c *collector) empty(t *testing.T) {
	t.Helper()
	select {
	case m := <-c.ch:
		t.Fatalf("unexpected message %q (event %+v)", m.Data, m.Event)
	default:
	}
}

func publish(t *testing.T, n *Node, namespace, topic, data string) {
	t.Helper()
	if err := n.Publish(context.Background(), namespace, topic, []byte(data)); err != nil {
		t.Fatalf("Publish: %v", err)
	}
}

func memberIDs(t *testing.T, n *Node, namespace, topic string) string {
	t.Helper()
	ms, err := n.Members(context.Background(), namespace, topic)
	if err != nil {
		t.Fatalf("Members: %v", err)
	}
	var ids []string
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	return strings.Join(ids, ",")
}
