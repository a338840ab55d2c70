package pubsub

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// clock is a fake clock for leases and timestamps.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

func testBroker(t *testing.T, opts BrokerOptions) *Broker {
	b := NewBroker(opts)
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func mustSubscribe(t *testing.T, b *Broker, ns, topic string) Subscription {
	t.Helper()
	s, err := b.Subscribe(t.Context(), ns, topic)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// buffered returns what sits in s's buffer now, without waiting.
func buffered(s Subscription) []Message {
	var out []Message
	for {
		m, ok := s.(*subscription).take()
		if !ok {
			return out
		}
		out = append(out, m)
	}
}

func datas(ms []Message) []string {
	out := []string{}
	for _, m := range ms {
		if m.Event != nil {
			out = append(out, m.Event.Type+":"+m.Event.Member.ID)
		} else {
			out = append(out, string(m.Data))
		}
	}
	return out
}

func TestFanOut(t *testing.T) {
	c := newClock()
	b := testBroker(t, BrokerOptions{Now: c.Now})
	subs := []Subscription{mustSubscribe(t, b, "ns", "t"), mustSubscribe(t, b, "ns", "t"), mustSubscribe(t, b, "ns", "t")}
	other := mustSubscribe(t, b, "ns", "u")
	for _, d := range []string{"1", "2", "3"} {
		if err := b.Publish(t.Context(), "ns", "t", []byte(d)); err != nil {
			t.Fatal(err)
		}
	}
	for i, s := range subs {
		ms := buffered(s)
		if got := datas(ms); !slices.Equal(got, []string{"1", "2", "3"}) {
			t.Errorf("subscriber %d got %q", i, got)
		}
		for _, m := range ms {
			if m.Topic != "t" || !m.Timestamp.Equal(c.Now()) {
				t.Errorf("message %+v: want topic t, timestamp %v", m, c.Now())
			}
		}
	}
	if got := buffered(other); len(got) != 0 {
		t.Errorf("subscriber of another topic got %q", datas(got))
	}
}

// TestDropsCounted: a subscriber that does not read loses what its
// buffer cannot hold, counted; the others and the publisher go on.
func TestDropsCounted(t *testing.T) {
	var mu sync.Mutex
	var drops []string
	b := testBroker(t, BrokerOptions{QueueLen: 2, OnDrop: func(ns, topic string) {
		mu.Lock()
		defer mu.Unlock()
		drops = append(drops, ns+"/"+topic)
	}})
	stalled, reader := mustSubscribe(t, b, "ns", "t"), mustSubscribe(t, b, "ns", "t")
	var read []string
	for i := range 5 {
		if err := b.Publish(t.Context(), "ns", "t", fmt.Appendf(nil, "%d", i)); err != nil {
			t.Fatalf("Publish %d: %v", i, err)
		}
		m, err := reader.Next()
		if err != nil {
			t.Fatal(err)
		}
		read = append(read, string(m.Data))
	}
	if !slices.Equal(read, []string{"0", "1", "2", "3", "4"}) {
		t.Errorf("the reading subscriber got %q", read)
	}
	if got := datas(buffered(stalled)); !slices.Equal(got, []string{"0", "1"}) {
		t.Errorf("the stalled subscriber holds %q, want the first 2", got)
	}
	if b.Dropped() != 3 {
		t.Errorf("Dropped = %d, want 3", b.Dropped())
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(drops, []string{"ns/t", "ns/t", "ns/t"}) {
		t.Errorf("OnDrop calls %q, want 3 × ns/t", drops)
	}
}

func TestOrderPerPublisher(t *testing.T) {
	b := testBroker(t, BrokerOptions{})
	s := mustSubscribe(t, b, "ns", "t")
	var wg sync.WaitGroup
	for p := range 4 {
		wg.Go(func() {
			for i := range 200 {
				_ = b.Publish(t.Context(), "ns", "t", fmt.Appendf(nil, "%d %d", p, i))
			}
		})
	}
	wg.Wait()
	next := make([]int, 4)
	for _, m := range buffered(s) {
		var p, i int
		if _, err := fmt.Sscanf(string(m.Data), "%d %d", &p, &i); err != nil || i != next[p] {
			t.Fatalf("message %q: want publisher %d's message %d", m.Data, p, next[p])
		}
		next[p]++
	}
	if !slices.Equal(next, []int{200, 200, 200, 200}) {
		t.Errorf("received per publisher %v, want 200 each", next)
	}
}

func TestNamespaceIsolation(t *testing.T) {
	b := testBroker(t, BrokerOptions{})
	a, other := mustSubscribe(t, b, "a", "chat"), mustSubscribe(t, b, "b", "chat")
	_ = b.Publish(t.Context(), "a", "chat", []byte("x"))
	_ = b.Join(t.Context(), "a", "chat", Member{ID: "m"}, time.Minute)
	if got := datas(buffered(a)); !slices.Equal(got, []string{"x", EventJoin + ":m"}) {
		t.Errorf("namespace a got %q", got)
	}
	if got := buffered(other); len(got) != 0 {
		t.Errorf("namespace b got %q", datas(got))
	}
	if ms, _ := b.Members(t.Context(), "b", "chat"); len(ms) != 0 {
		t.Errorf("Members(b) = %+v", ms)
	}
	b.Remove("b", "chat", "m")
	if ms, _ := b.Members(t.Context(), "a", "chat"); len(ms) != 1 {
		t.Errorf("Members(a) after a Remove in b = %+v", ms)
	}
}

func TestTopicsAndMembers(t *testing.T) {
	c := newClock()
	b := testBroker(t, BrokerOptions{Now: c.Now})
	ctx := t.Context()
	s := mustSubscribe(t, b, "ns", "b-sub")
	_ = b.Join(ctx, "ns", "a-member", Member{ID: "z"}, time.Minute)
	_ = b.Join(ctx, "ns", "a-member", Member{ID: "y"}, time.Minute) // same time: by id
	c.Add(time.Second)
	_ = b.Join(ctx, "ns", "a-member", Member{ID: "a"}, time.Minute) // later
	_ = b.Publish(ctx, "ns", "c-published", []byte("x"))            // lists nothing
	if got, _ := b.Topics(ctx, "ns"); !slices.Equal(got, []string{"a-member", "b-sub"}) {
		t.Errorf("Topics = %q", got)
	}
	ms, _ := b.Members(ctx, "ns", "a-member")
	var got []string
	for _, m := range ms {
		got = append(got, m.ID)
	}
	if !slices.Equal(got, []string{"y", "z", "a"}) {
		t.Errorf("Members = %q, want [y z a] (join time, then id)", got)
	}
	_ = s.Close()
	for _, id := range got {
		_ = b.Leave(ctx, "ns", "a-member", id)
	}
	if got, _ := b.Topics(ctx, "ns"); len(got) != 0 {
		t.Errorf("Topics after everything left = %q, want none", got)
	}
	if len(b.topics) != 0 {
		t.Errorf("broker still holds %d topics", len(b.topics))
	}
}

func TestTopicsCapped(t *testing.T) {
	b := testBroker(t, BrokerOptions{})
	for i := range MaxTopics + 5 {
		b.Upsert("ns", fmt.Sprintf("t%05d", i), Member{ID: "m"}, time.Now().Add(time.Hour))
	}
	got, err := b.Topics(t.Context(), "ns")
	if err != nil || len(got) != MaxTopics || got[0] != "t00000" {
		t.Errorf("Topics: %d topics, first %q, %v; want %d from t00000", len(got), got[0], err, MaxTopics)
	}
}

// TestLease: join, renew, expire, with a fake clock and the sweep called
// by hand.
func TestLease(t *testing.T) {
	c := newClock()
	var left []string
	b := testBroker(t, BrokerOptions{Now: c.Now, OnLeave: func(ns, topic string, m Member) {
		left = append(left, ns+"/"+topic+"/"+m.ID)
	}})
	s := mustSubscribe(t, b, "ns", "t")
	ctx := t.Context()
	t0 := c.Now()
	if err := b.Join(ctx, "ns", "t", Member{ID: "m", Meta: []byte(`{"a":1}`)}, time.Second); err != nil {
		t.Fatal(err)
	}
	c.Add(800 * time.Millisecond)
	_ = b.Join(ctx, "ns", "t", Member{ID: "m", Meta: []byte(`{"a":2}`)}, time.Second) // renewed to t0+1.8s
	b.expire(t0.Add(1500 * time.Millisecond))
	ms, _ := b.Members(ctx, "ns", "t")
	if len(ms) != 1 || !ms[0].JoinedAt.Equal(t0) || string(ms[0].Meta) != `{"a":1}` {
		t.Fatalf("Members after a renewal = %+v, want m joined at %v with its first meta", ms, t0)
	}
	// A shorter renewal does not shorten the lease.
	_ = b.Join(ctx, "ns", "t", Member{ID: "m"}, time.Second)
	_ = b.Join(ctx, "ns", "t", Member{ID: "m"}, MinTTL)
	b.expire(t0.Add(1810 * time.Millisecond))
	if ms, _ := b.Members(ctx, "ns", "t"); len(ms) != 0 {
		t.Fatalf("Members after the lease ran out = %+v", ms)
	}
	if got := datas(buffered(s)); !slices.Equal(got, []string{EventJoin + ":m", EventLeave + ":m"}) {
		t.Errorf("events %q, want one join and one leave", got)
	}
	if !slices.Equal(left, []string{"ns/t/m"}) {
		t.Errorf("OnLeave calls %q", left)
	}
}

// TestSweeper: the real sweeper ends a lease on the real clock.
func TestSweeper(t *testing.T) {
	b := testBroker(t, BrokerOptions{})
	s := mustSubscribe(t, b, "ns", "t")
	if err := b.Join(t.Context(), "ns", "t", Member{ID: "m"}, MinTTL); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{EventJoin, EventLeave} {
		got := make(chan Message, 1)
		go func() {
			m, _ := s.Next()
			got <- m
		}()
		select {
		case m := <-got:
			if m.Event == nil || m.Event.Type != want {
				t.Fatalf("got %+v, want a %s event", m, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no %s event within 10s", want)
		}
	}
}

func TestClose(t *testing.T) {
	b := NewBroker(BrokerOptions{})
	s := mustSubscribe(t, b, "ns", "t")
	_ = b.Publish(t.Context(), "ns", "t", []byte("buffered"))
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	_, err := s.Next()
	plugintest.WantCode(t, err, "Next after Close, a message buffered", sdk.CodeUnavailable)
	_, err = b.Subscribe(t.Context(), "ns", "t")
	plugintest.WantCode(t, err, "Subscribe after Close", sdk.CodeUnavailable)
	if h, _ := b.Health(t.Context()); h.OK {
		t.Errorf("Health after Close = %+v", h)
	}
	if err := b.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestContextEndsSubscription(t *testing.T) {
	b := testBroker(t, BrokerOptions{})
	ctx, cancel := context.WithCancel(t.Context())
	s, err := b.Subscribe(ctx, "ns", "t")
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	_, err = s.Next()
	plugintest.WantCode(t, err, "Next after the context ended", sdk.CodeUnavailable)
	if got, _ := b.Topics(t.Context(), "ns"); len(got) != 0 {
		t.Errorf("Topics after the only subscription ended = %q", got)
	}
	if _, err := b.Subscribe(ctx, "ns", "t"); err == nil {
		t.Error("Subscribe with an ended context: no error")
	}
}

// TestQueue: a subscription's queue keeps order across reuse of its
// drained front, refuses beyond its bound, and holds no large buffer once
// drained.
func TestQueue(t *testing.T) {
	b := testBroker(t, BrokerOptions{QueueLen: 200})
	s := mustSubscribe(t, b, "ns", "t").(*subscription)
	if s.queue != nil {
		t.Fatalf("a new subscription holds a buffer of %d", cap(s.queue))
	}
	next, want := 0, 0
	publish := func(n int) {
		for range n {
			_ = b.Publish(t.Context(), "ns", "t", fmt.Appendf(nil, "%d", next))
			next++
		}
	}
	read := func(n int) {
		for range n {
			m, err := s.Next()
			if err != nil || string(m.Data) != fmt.Sprint(want) {
				t.Fatalf("Next = %q, %v; want %d", m.Data, err, want)
			}
			want++
		}
	}
	publish(5)
	read(3)
	publish(150) // grows past the drained front, then reuses it
	read(100)
	publish(140) // 52 waiting + 140 < 200
	read(192)
	if s.queue != nil {
		t.Errorf("a drained subscription still holds a buffer of %d", cap(s.queue))
	}
	publish(210)
	if b.Dropped() != 10 {
		t.Errorf("Dropped = %d, want 10 beyond QueueLen", b.Dropped())
	}
	read(200)
}
