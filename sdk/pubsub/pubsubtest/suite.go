// Package pubsubtest is the conformance suite of the pubsub domain: Run
// checks that an implementation of pubsub.PubSub keeps the contract
// documented in package pubsub (delivery to every subscriber exactly once
// and in order per publisher, nothing from before Subscribe, namespace
// isolation, Topics, presence with leases, limits and the codes of bad
// input, the end of a subscription, Health). Every implementation runs
// it, directly and over gRPC.
//
// The suite relies on one ordering property of a single node: what the
// calls of one goroutine deliver (messages, join and leave events)
// reaches that node's subscriptions in call order. It uses it to prove
// that nothing else is pending, by publishing a marker and expecting it
// next.
package pubsubtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/pubsub"
)

// Run runs the conformance suite. newPubSub is called once per subtest;
// it may return a fresh implementation or the same shared one (every
// subtest uses its own namespaces), and it should register its own
// cleanup.
func Run(t *testing.T, newPubSub func(t *testing.T) pubsub.PubSub) {
	t.Helper()
	tests := []plugintest.Case[pubsub.PubSub]{
		{Name: "Delivery", Test: testDelivery},
		{Name: "ExactlyOnce", Test: testExactlyOnce},
		{Name: "OrderPerPublisher", Test: testOrderPerPublisher},
		{Name: "NothingBeforeSubscribe", Test: testNothingBeforeSubscribe},
		{Name: "Payloads", Test: testPayloads},
		{Name: "TopicIsolation", Test: testTopicIsolation},
		{Name: "NamespaceIsolation", Test: testNamespaceIsolation},
		{Name: "Topics", Test: testTopics},
		{Name: "Presence", Test: testPresence},
		{Name: "PresenceOrder", Test: testPresenceOrder},
		{Name: "LeaseExpiry", Test: testLeaseExpiry},
		{Name: "InvalidNames", Test: testInvalidNames},
		{Name: "DataSize", Test: testDataSize},
		{Name: "InvalidJoin", Test: testInvalidJoin},
		{Name: "EndByContext", Test: testEndByContext},
		{Name: "EndByClose", Test: testEndByClose},
		{Name: "Health", Test: testHealth},
	}
	plugintest.RunCases(t, newPubSub, tests...)
}

// wait bounds every wait for a message: generous, since a cluster driver
// or a loaded machine may be slow; a passing test never waits it out.
const wait = 15 * time.Second

// subscribe subscribes for the rest of the test.
func subscribe(t *testing.T, ps pubsub.PubSub, ns, topic string) pubsub.Subscription {
	t.Helper()
	sub, err := ps.Subscribe(t.Context(), ns, topic)
	if err != nil {
		t.Fatalf("Subscribe(%s, %s): %v", ns, topic, err)
	}
	t.Cleanup(func() { _ = sub.Close() })
	return sub
}

type result struct {
	m   pubsub.Message
	err error
}

// nextResult returns what sub.Next returns, or fails the test when it
// returns nothing within wait (the subscription is closed then).
func nextResult(t *testing.T, sub pubsub.Subscription, what string) result {
	t.Helper()
	ch := make(chan result, 1)
	go func() {
		m, err := sub.Next()
		ch <- result{m, err}
	}()
	select {
	case r := <-ch:
		return r
	case <-time.After(wait):
		_ = sub.Close()
		<-ch
		t.Fatalf("%s: Next returned nothing within %s", what, wait)
		return result{}
	}
}

// next returns the next message, failing the test on an error.
func next(t *testing.T, sub pubsub.Subscription, what string) pubsub.Message {
	t.Helper()
	r := nextResult(t, sub, what)
	if r.err != nil {
		t.Fatalf("%s: Next: %v", what, r.err)
	}
	return r.m
}

// wantData fails unless the next message is the published data want on
// topic.
func wantData(t *testing.T, sub pubsub.Subscription, topic, want, what string) {
	t.Helper()
	m := next(t, sub, what)
	switch {
	case m.Event != nil:
		t.Fatalf("%s: got a %s event of %q, want message %q", what, m.Event.Type, m.Event.Member.ID, want)
	case string(m.Data) != want:
		t.Fatalf("%s: got message %q, want %q", what, short(string(m.Data)), short(want))
	case m.Topic != topic:
		t.Errorf("%s: message topic %q, want %q", what, m.Topic, topic)
	case m.Timestamp.IsZero():
		t.Errorf("%s: message without a timestamp", what)
	}
}

// wantEvent fails unless the next message is a presence event of typ for
// member id, and returns it.
func wantEvent(t *testing.T, sub pubsub.Subscription, topic, typ, id, what string) pubsub.Event {
	t.Helper()
	m := next(t, sub, what)
	switch {
	case m.Event == nil:
		t.Fatalf("%s: got message %q, want a %s event of %q", what, short(string(m.Data)), typ, id)
	case m.Event.Type != typ || m.Event.Member.ID != id:
		t.Fatalf("%s: got a %s event of %q, want a %s event of %q", what, m.Event.Type, m.Event.Member.ID, typ, id)
	case m.Topic != topic:
		t.Errorf("%s: event topic %q, want %q", what, m.Topic, topic)
	case len(m.Data) != 0:
		t.Errorf("%s: event with data %q, want none", what, short(string(m.Data)))
	case m.Timestamp.IsZero():
		t.Errorf("%s: event without a timestamp", what)
	}
	return *m.Event
}

// publish fails the test when Publish fails.
func publish(t *testing.T, ps pubsub.PubSub, ns, topic, data string) {
	t.Helper()
	if err := ps.Publish(t.Context(), ns, topic, []byte(data)); err != nil {
		t.Fatalf("Publish(%s, %s, %q): %v", ns, topic, short(data), err)
	}
}

// settled publishes a marker and fails unless it is the next message of
// every sub: nothing else (a duplicate, an event) was pending.
func settled(t *testing.T, ps pubsub.PubSub, ns, topic, what string, subs ...pubsub.Subscription) {
	t.Helper()
	marker := plugintest.Unique("marker")
	publish(t, ps, ns, topic, marker)
	for i, sub := range subs {
		wantData(t, sub, topic, marker, fmt.Sprintf("%s (subscriber %d, marker)", what, i))
	}
}

// join fails the test when Join fails.
func join(t *testing.T, ps pubsub.PubSub, ns, topic, id, meta string, ttl time.Duration) {
	t.Helper()
	m := pubsub.Member{ID: id}
	if meta != "" {
		m.Meta = []byte(meta)
	}
	if err := ps.Join(t.Context(), ns, topic, m, ttl); err != nil {
		t.Fatalf("Join(%s, %s, %s): %v", ns, topic, id, err)
	}
}

// members returns the topic's member ids.
func members(t *testing.T, ps pubsub.PubSub, ns, topic string) []pubsub.Member {
	t.Helper()
	ms, err := ps.Members(t.Context(), ns, topic)
	if err != nil {
		t.Fatalf("Members(%s, %s): %v", ns, topic, err)
	}
	return ms
}

func ids(ms []pubsub.Member) []string {
	out := []string{}
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

// eventually retries check until it returns nil, or fails the test with
// its last error after wait.
func eventually(t *testing.T, what string, check func() error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), wait)
	defer cancel()
	for {
		err := check()
		if err == nil {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s: still after %s: %v", what, wait, err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// sameJSON reports whether a and b hold the same JSON value (a cluster
// driver may re-encode meta).
func sameJSON(a, b []byte) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	if bytes.Equal(a, b) {
		return true
	}
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}

// short abbreviates long strings in failure messages.
func short(s string) string {
	if len(s) <= 40 {
		return s
	}
	return fmt.Sprintf("%s…(%d bytes)", s[:30], len(s))
}
