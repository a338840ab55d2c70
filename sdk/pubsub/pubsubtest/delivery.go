package pubsubtest

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/pubsub"
)

func testDelivery(t *testing.T, ps pubsub.PubSub) {
	ns, topic := plugintest.Unique("ns"), plugintest.Unique("topic")
	subs := []pubsub.Subscription{subscribe(t, ps, ns, topic), subscribe(t, ps, ns, topic), subscribe(t, ps, ns, topic)}
	const n = 20
	for i := range n {
		publish(t, ps, ns, topic, fmt.Sprintf(`{"n":%d}`, i))
	}
	for s, sub := range subs {
		for i := range n {
			wantData(t, sub, topic, fmt.Sprintf(`{"n":%d}`, i), fmt.Sprintf("subscriber %d, message %d", s, i))
		}
	}
}

// testExactlyOnce: no subscriber gets a message twice, also when two
// subscriptions of the same topic share a caller.
func testExactlyOnce(t *testing.T, ps pubsub.PubSub) {
	ns, topic := plugintest.Unique("ns"), plugintest.Unique("topic")
	a, b := subscribe(t, ps, ns, topic), subscribe(t, ps, ns, topic)
	publish(t, ps, ns, topic, "once")
	wantData(t, a, topic, "once", "subscriber a")
	wantData(t, b, topic, "once", "subscriber b")
	settled(t, ps, ns, topic, "after one publish", a, b)
}

// testOrderPerPublisher: publishers racing each other; every subscriber
// gets all of each one's messages, in its publish order.
func testOrderPerPublisher(t *testing.T, ps pubsub.PubSub) {
	ns, topic := plugintest.Unique("ns"), plugintest.Unique("topic")
	subs := []pubsub.Subscription{subscribe(t, ps, ns, topic), subscribe(t, ps, ns, topic)}
	const publishers, each = 4, 100
	var wg sync.WaitGroup
	errs := make(chan error, publishers)
	for p := range publishers {
		wg.Go(func() {
			for i := range each {
				if err := ps.Publish(t.Context(), ns, topic, fmt.Appendf(nil, "%d:%d", p, i)); err != nil {
					errs <- fmt.Errorf("publisher %d, message %d: %w", p, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for s, sub := range subs {
		nextOf := make([]int, publishers)
		for range publishers * each {
			m := next(t, sub, fmt.Sprintf("subscriber %d", s))
			p, i, ok := parseSeq(string(m.Data))
			if !ok || p >= publishers {
				t.Fatalf("subscriber %d: unexpected message %q", s, m.Data)
			}
			if i != nextOf[p] {
				t.Fatalf("subscriber %d: publisher %d's message %d, want %d (lost, repeated or out of order)", s, p, i, nextOf[p])
			}
			nextOf[p]++
		}
	}
	settled(t, ps, ns, topic, "after every message", subs...)
}

func parseSeq(s string) (p, i int, ok bool) {
	a, b, found := strings.Cut(s, ":")
	if !found {
		return 0, 0, false
	}
	p, err1 := strconv.Atoi(a)
	i, err2 := strconv.Atoi(b)
	return p, i, err1 == nil && err2 == nil && p >= 0
}

func testNothingBeforeSubscribe(t *testing.T, ps pubsub.PubSub) {
	ns, topic := plugintest.Unique("ns"), plugintest.Unique("topic")
	early := subscribe(t, ps, ns, topic) // the topic exists before and after
	publish(t, ps, ns, topic, "before")
	late := subscribe(t, ps, ns, topic)
	publish(t, ps, ns, topic, "after")
	wantData(t, late, topic, "after", "late subscriber")
	wantData(t, early, topic, "before", "early subscriber")
	wantData(t, early, topic, "after", "early subscriber")

	// Nor from before a topic had any subscriber.
	fresh := plugintest.Unique("topic")
	publish(t, ps, ns, fresh, "into the void")
	sub := subscribe(t, ps, ns, fresh)
	publish(t, ps, ns, fresh, "heard")
	wantData(t, sub, fresh, "heard", "subscriber of a fresh topic")
}

// testPayloads: data is opaque bytes, delivered unchanged: binary, not
// UTF-8, empty, and the largest allowed.
func testPayloads(t *testing.T, ps pubsub.PubSub) {
	ns, topic := plugintest.Unique("ns"), plugintest.Unique("topic")
	sub := subscribe(t, ps, ns, topic)
	big := bytes.Repeat([]byte("0123456789abcdef"), pubsub.MaxDataLen/16)
	payloads := [][]byte{{0x00, 0xff, 0xfe, '\n', 0x00}, []byte("héllo\xc3"), {}, big}
	for _, p := range payloads {
		if err := ps.Publish(t.Context(), ns, topic, p); err != nil {
			t.Fatalf("Publish of %d bytes: %v", len(p), err)
		}
	}
	for _, p := range payloads {
		m := next(t, sub, fmt.Sprintf("payload of %d bytes", len(p)))
		if m.Event != nil || !bytes.Equal(m.Data, p) {
			t.Errorf("payload of %d bytes: got %d bytes %q, event %v", len(p), len(m.Data), short(string(m.Data)), m.Event)
		}
	}
}

func testTopicIsolation(t *testing.T, ps pubsub.PubSub) {
	ns := plugintest.Unique("ns")
	a, b := plugintest.Unique("topic-a"), plugintest.Unique("topic-b")
	subA, subB := subscribe(t, ps, ns, a), subscribe(t, ps, ns, b)
	publish(t, ps, ns, a, "for a")
	publish(t, ps, ns, b, "for b")
	wantData(t, subA, a, "for a", "subscriber of a")
	wantData(t, subB, b, "for b", "subscriber of b")
	settled(t, ps, ns, a, "topic a", subA)
	settled(t, ps, ns, b, "topic b", subB)
}
