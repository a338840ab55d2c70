package libp2p

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Every node publishes perMsg messages at once; every node's subscriber
// gets each exactly once, in order per publisher, its own included.
func TestDeliveryExactlyOnceInOrder(t *testing.T) {
	for _, size := range []int{2, 3} {
		t.Run(fmt.Sprintf("%d nodes", size), func(t *testing.T) {
			const perNode = 200
			nodes := cluster(t, size)
			k := key{"ns", "chat"}
			subs := make([]*collector, size)
			for i, n := range nodes {
				subs[i] = collect(t, n, k.namespace, k.topic)
			}
			meshed(t, k, nodes...)
			var wg sync.WaitGroup
			for i, n := range nodes {
				wg.Go(func() {
					for j := range perNode {
						publish(t, n, k.namespace, k.topic, fmt.Sprintf("%d-%d", i, j))
					}
				})
			}
			wg.Wait()
			// An end marker per publisher, published after the rest.
			for i, n := range nodes {
				publish(t, n, k.namespace, k.topic, fmt.Sprintf("%d-end", i))
			}
			for si, s := range subs {
				got := map[string]int{}
				last := make([]int, size)
				for i := range last {
					last[i] = -1
				}
				ends := 0
				for ends < size {
					m := s.next(t)
					from, seq, _ := strings.Cut(string(m.Data), "-")
					p, _ := strconv.Atoi(from)
					got[string(m.Data)]++
					if seq == "end" {
						ends++
						continue
					}
					j, _ := strconv.Atoi(seq)
					if j <= last[p] {
						t.Errorf("node %d: %q after %d-%d", si, m.Data, p, last[p])
					}
					last[p] = j
					if m.Timestamp.IsZero() || m.Topic != k.topic {
						t.Errorf("node %d: message %+v", si, m)
					}
				}
				for key, c := range got {
					if c != 1 {
						t.Errorf("node %d: %q delivered %d times", si, key, c)
					}
				}
				if len(got) != size*(perNode+1) {
					t.Errorf("node %d: %d distinct messages, want %d", si, len(got), size*(perNode+1))
				}
			}
			// Duplicates would arrive before a later marker.
			publish(t, nodes[0], k.namespace, k.topic, "final")
			for si, s := range subs {
				if m := s.next(t); string(m.Data) != "final" {
					t.Errorf("node %d: %q after every message was in", si, m.Data)
				}
			}
		})
	}
}

// A node publishing to a topic it does not subscribe to still reaches the
// other nodes' subscribers.
func TestPublishWithoutLocalSubscription(t *testing.T) {
	nodes := cluster(t, 2)
	s := collect(t, nodes[1], "ns", "news")
	knows(t, nodes[0], key{"ns", "news"}, 1)
	publish(t, nodes[0], "ns", "news", "hello")
	if m := s.next(t); string(m.Data) != "hello" {
		t.Fatalf("got %q", m.Data)
	}
}

// Same topic name in two namespaces, and pairs whose joined names look
// alike: nothing crosses.
func TestNamespaceIsolation(t *testing.T) {
	nodes := cluster(t, 2)
	a := collect(t, nodes[1], "a", "t")
	b := collect(t, nodes[1], "b", "t")
	x := collect(t, nodes[1], "a/b", "c")
	y := collect(t, nodes[1], "a", "b/c")
	for _, k := range []key{{"a", "t"}, {"b", "t"}, {"a/b", "c"}, {"a", "b/c"}} {
		knows(t, nodes[0], k, 1)
	}
	for _, n := range nodes { // from the remote node and the local one
		publish(t, n, "b", "t", "for b")
		publish(t, n, "a", "t", "for a")
		publish(t, n, "a/b", "c", "for x")
		publish(t, n, "a", "b/c", "for y")
		for _, c := range []struct {
			s    *collector
			want string
		}{{a, "for a"}, {b, "for b"}, {x, "for x"}, {y, "for y"}} {
			if m := c.s.next(t); string(m.Data) != c.want {
				t.Errorf("got %q, want %q", m.Data, c.want)
			}
		}
	}
	publish(t, nodes[0], "a", "t", "end")
	a.until(t, "end")
	b.empty(t)
	x.empty(t)
	y.empty(t)
}

func TestTopicNamesDoNotCollide(t *testing.T) {
	seen := map[string]key{}
	for _, k := range []key{{"a/b", "c"}, {"a", "b/c"}, {"a", "bc"}, {"ab", "c"}, {"1/a", "b"}, {"1", "a/b"}} {
		name := topicName(k)
		if other, ok := seen[name]; ok {
			t.Errorf("%v and %v share %q", k, other, name)
		}
		seen[name] = k
	}
}
