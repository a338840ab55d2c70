package pubsubtest

import (
	"context"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/pubsub"
)

// testEndByContext: a subscription ends when its context does; Next then
// fails (unavailable, the sdk code of a context error), also when it was
// already waiting.
func testEndByContext(t *testing.T, ps pubsub.PubSub) {
	ns, topic := plugintest.Unique("ns"), plugintest.Unique("topic")
	ctx, cancel := context.WithCancel(t.Context())
	sub, err := ps.Subscribe(ctx, ns, topic)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	publish(t, ps, ns, topic, "before the end")
	wantData(t, sub, topic, "before the end", "live subscription")

	waiting := make(chan result, 1)
	go func() {
		m, err := sub.Next()
		waiting <- result{m, err}
	}()
	time.Sleep(20 * time.Millisecond) // most likely inside Next by now; either way it must fail
	cancel()
	select {
	case r := <-waiting:
		plugintest.WantCode(t, r.err, "Next waiting when the context ended", sdk.CodeUnavailable)
	case <-time.After(wait):
		t.Fatalf("Next still waiting %s after the context ended", wait)
	}
	plugintest.WantCode(t, nextResult(t, sub, "after the context ended").err, "Next after the context ended", sdk.CodeUnavailable)

	// A context that has ended already: no subscription.
	if sub, err := ps.Subscribe(ctx, ns, topic); err == nil {
		_ = sub.Close()
		t.Errorf("Subscribe with an ended context: no error")
	}
}

// testEndByClose: Close ends a subscription, also while Next waits;
// closing twice is a no-op; the other subscriptions go on.
func testEndByClose(t *testing.T, ps pubsub.PubSub) {
	ns, topic := plugintest.Unique("ns"), plugintest.Unique("topic")
	other := subscribe(t, ps, ns, topic)
	sub, err := ps.Subscribe(t.Context(), ns, topic)
	if err != nil {
		t.Fatal(err)
	}
	waiting := make(chan result, 1)
	go func() {
		m, err := sub.Next()
		waiting <- result{m, err}
	}()
	time.Sleep(20 * time.Millisecond)
	if err := sub.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	select {
	case r := <-waiting:
		if r.err == nil {
			t.Errorf("Next waiting at Close returned %+v, want an error", r.m)
		}
	case <-time.After(wait):
		t.Fatalf("Next still waiting %s after Close", wait)
	}
	if err := sub.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	publish(t, ps, ns, topic, "after close")
	if r := nextResult(t, sub, "after Close"); r.err == nil {
		t.Errorf("Next after Close returned %q, want an error", r.m.Data)
	}
	wantData(t, other, topic, "after close", "the other subscription")
}

func testHealth(t *testing.T, ps pubsub.PubSub) {
	h, err := ps.Health(t.Context())
	if err != nil || !h.OK || h.Driver == "" {
		t.Errorf("Health = %+v, %v; want OK with a driver name", h, err)
	}
}
