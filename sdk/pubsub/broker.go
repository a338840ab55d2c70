package pubsub

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
)

// DefaultQueueLen is a subscription's buffer when BrokerOptions.QueueLen
// is 0. A buffer holds memory only for what it holds: an idle
// subscription costs next to nothing whatever its QueueLen.
const DefaultQueueLen = 4096

// BrokerOptions configure a Broker. Zero values get defaults.
type BrokerOptions struct {
	Driver   string           // the name Health reports ("local" when empty)
	QueueLen int              // messages buffered per subscription (DefaultQueueLen)
	Now      func() time.Time // the clock of timestamps and leases (time.Now)
	// OnDrop is called (outside any lock, from the delivering goroutine)
	// for each message a subscription's full buffer refused.
	OnDrop func(namespace, topic string)
	// OnLeave is called for each member whose lease ran out, after its
	// EventLeave was delivered locally (a cluster driver tells its peers).
	OnLeave func(namespace, topic string, m Member)
}

// Broker is an in-process PubSub: it fans out to its subscriptions, each
// with a bounded buffer (a subscriber that does not keep up loses
// messages, counted, and never slows the others), and keeps the members of
// every topic with their leases. A single-node driver is a Broker; a
// cluster driver delivers what arrives from its peers with Deliver and
// mirrors their members with Upsert and Remove.
//
// Delivered data is shared by every subscription: readers must not modify
// it.
type Broker struct {
	opts    BrokerOptions
	mu      sync.RWMutex
	topics  map[topicKey]*topicState
	dropped atomic.Uint64
	stop    chan struct{}
	once    sync.Once
}

var _ PubSub = (*Broker)(nil)

type topicKey struct{ namespace, topic string }

type topicState struct {
	subs    map[*subscription]struct{}
	members map[string]*lease
}

type lease struct {
	m       Member
	expires time.Time
}

// NewBroker returns a running Broker; Close stops its lease sweeper.
func NewBroker(opts BrokerOptions) *Broker {
	if opts.Driver == "" {
		opts.Driver = "local"
	}
	if opts.QueueLen <= 0 {
		opts.QueueLen = DefaultQueueLen
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	b := &Broker{opts: opts, topics: map[topicKey]*topicState{}, stop: make(chan struct{})}
	go b.sweep()
	return b
}

// Close stops the sweeper and ends every subscription (unavailable).
func (b *Broker) Close() error {
	b.once.Do(func() {
		close(b.stop)
		b.mu.Lock()
		var subs []*subscription
		for _, t := range b.topics {
			for s := range t.subs {
				subs = append(subs, s)
			}
		}
		b.mu.Unlock()
		for _, s := range subs {
			s.end(sdk.Errorf(sdk.CodeUnavailable, "pubsub broker closed"))
		}
	})
	return nil
}

// Dropped is the number of messages full subscription buffers refused.
func (b *Broker) Dropped() uint64 { return b.dropped.Load() }

// Publish delivers data to the topic's subscriptions on this broker.
func (b *Broker) Publish(ctx context.Context, namespace, topic string, data []byte) error {
	if err := CheckPublish(namespace, topic, data); err != nil {
		return err
	}
	b.Deliver(namespace, topic, Message{Topic: topic, Data: data, Timestamp: b.opts.Now()})
	return nil
}

// Deliver hands m to every subscription of (namespace, topic) whose buffer
// has room, and counts a drop for each that has none.
func (b *Broker) Deliver(namespace, topic string, m Message) {
	var drops int
	b.mu.RLock()
	if t := b.topics[topicKey{namespace, topic}]; t != nil {
		for s := range t.subs {
			if !s.offer(m) {
				drops++
			}
		}
	}
	b.mu.RUnlock()
	if drops > 0 {
		b.dropped.Add(uint64(drops))
		if b.opts.OnDrop != nil {
			for range drops {
				b.opts.OnDrop(namespace, topic)
			}
		}
	}
}

// Subscribe registers a subscription until ctx ends or it is closed.
func (b *Broker) Subscribe(ctx context.Context, namespace, topic string) (Subscription, error) {
	if err := CheckTopic(namespace, topic); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, sdk.AsError(err)
	}
	s := &subscription{b: b, key: topicKey{namespace, topic}, max: b.opts.QueueLen, wake: make(chan struct{}, 1), done: make(chan struct{})}
	b.mu.Lock()
	select {
	case <-b.stop:
		b.mu.Unlock()
		return nil, sdk.Errorf(sdk.CodeUnavailable, "pubsub broker closed")
	default:
	}
	t := b.topicLocked(s.key)
	t.subs[s] = struct{}{}
	b.mu.Unlock()
	stop := context.AfterFunc(ctx, func() { s.end(sdk.AsError(ctx.Err())) })
	s.mu.Lock()
	if s.ended {
		stop()
	} else {
		s.stopCtx = stop
	}
	s.mu.Unlock()
	return s, nil
}

// Topics lists the topics with a subscription or a member.
func (b *Broker) Topics(ctx context.Context, namespace string) ([]string, error) {
	if err := CheckName("namespace", namespace); err != nil {
		return nil, err
	}
	b.mu.RLock()
	out := []string{}
	for k := range b.topics {
		if k.namespace == namespace {
			out = append(out, k.topic)
		}
	}
	b.mu.RUnlock()
	slices.Sort(out)
	if len(out) > MaxTopics {
		out = out[:MaxTopics]
	}
	return out, nil
}

// Join adds or renews a member (see PubSub.Join).
func (b *Broker) Join(ctx context.Context, namespace, topic string, m Member, ttl time.Duration) error {
	if err := CheckJoin(namespace, topic, m, ttl); err != nil {
		return err
	}
	now := b.opts.Now()
	if m.JoinedAt.IsZero() {
		m.JoinedAt = now
	}
	b.Upsert(namespace, topic, m, now.Add(ttl))
	return nil
}

// Upsert adds m with a lease until expires, or moves the lease of a
// member already there (keeping its first JoinedAt and meta). A new
// member's EventJoin is delivered; the return tells whether it was new.
func (b *Broker) Upsert(namespace, topic string, m Member, expires time.Time) (joined bool) {
	k := topicKey{namespace, topic}
	b.mu.Lock()
	t := b.topicLocked(k)
	if l := t.members[m.ID]; l != nil {
		if expires.After(l.expires) {
			l.expires = expires
		}
		b.mu.Unlock()
		return false
	}
	t.members[m.ID] = &lease{m: m, expires: expires}
	b.mu.Unlock()
	b.Deliver(namespace, topic, Message{Topic: topic, Timestamp: b.opts.Now(), Event: &Event{Type: EventJoin, Member: m}})
	return true
}

// Leave removes a member (see PubSub.Leave).
func (b *Broker) Leave(ctx context.Context, namespace, topic, memberID string) error {
	if err := CheckTopic(namespace, topic); err != nil {
		return err
	}
	if err := CheckMemberID(memberID); err != nil {
		return err
	}
	b.Remove(namespace, topic, memberID)
	return nil
}

// Remove drops a member and delivers its EventLeave; the return tells
// whether it was there.
func (b *Broker) Remove(namespace, topic, memberID string) (left bool) {
	k := topicKey{namespace, topic}
	b.mu.Lock()
	t := b.topics[k]
	var l *lease
	if t != nil {
		l = t.members[memberID]
		delete(t.members, memberID)
		b.gcLocked(k, t)
	}
	b.mu.Unlock()
	if l == nil {
		return false
	}
	b.Deliver(namespace, topic, Message{Topic: topic, Timestamp: b.opts.Now(), Event: &Event{Type: EventLeave, Member: l.m}})
	return true
}

// Members lists the topic's members by join time, then id.
func (b *Broker) Members(ctx context.Context, namespace, topic string) ([]Member, error) {
	if err := CheckTopic(namespace, topic); err != nil {
		return nil, err
	}
	out := []Member{}
	b.mu.RLock()
	if t := b.topics[topicKey{namespace, topic}]; t != nil {
		for _, l := range t.members {
			out = append(out, l.m)
		}
	}
	b.mu.RUnlock()
	slices.SortFunc(out, func(x, y Member) int {
		return cmp.Or(x.JoinedAt.Compare(y.JoinedAt), cmp.Compare(x.ID, y.ID))
	})
	if len(out) > MaxMembers {
		out = out[:MaxMembers]
	}
	return out, nil
}

// Health reports OK until the broker is closed.
func (b *Broker) Health(ctx context.Context) (plugin.Health, error) {
	select {
	case <-b.stop:
		return plugin.Health{OK: false, Driver: b.opts.Driver, Detail: "closed"}, nil
	default:
		return plugin.Health{OK: true, Driver: b.opts.Driver}, nil
	}
}

// sweepEvery is how often expired leases are looked for: a member leaves
// at most this long after its lease ran out.
const sweepEvery = 250 * time.Millisecond

func (b *Broker) sweep() {
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	for {
		select {
		case <-b.stop:
			return
		case <-t.C:
			b.expire(b.opts.Now())
		}
	}
}

// expire removes the members whose lease ended before now.
func (b *Broker) expire(now time.Time) {
	type gone struct {
		k topicKey
		m Member
	}
	var out []gone
	b.mu.Lock()
	for k, t := range b.topics {
		for id, l := range t.members {
			if now.After(l.expires) {
				out = append(out, gone{k, l.m})
				delete(t.members, id)
			}
		}
		b.gcLocked(k, t)
	}
	b.mu.Unlock()
	for _, g := range out {
		b.Deliver(g.k.namespace, g.k.topic, Message{Topic: g.k.topic, Timestamp: now, Event: &Event{Type: EventLeave, Member: g.m}})
		if b.opts.OnLeave != nil {
			b.opts.OnLeave(g.k.namespace, g.k.topic, g.m)
		}
	}
}

func (b *Broker) topicLocked(k topicKey) *topicState {
	t := b.topics[k]
	if t == nil {
		t = &topicState{subs: map[*subscription]struct{}{}, members: map[string]*lease{}}
		b.topics[k] = t
	}
	return t
}

// gcLocked forgets a topic with neither subscriptions nor members.
func (b *Broker) gcLocked(k topicKey, t *topicState) {
	if len(t.subs) == 0 && len(t.members) == 0 {
		delete(b.topics, k)
	}
}

// subscription is one Broker subscription. Its buffer is a queue that
// grows as messages wait, up to max, and is let go once drained (when it
// had grown large), so idle subscriptions hold no buffer.
type subscription struct {
	b    *Broker
	key  topicKey
	max  int
	wake chan struct{} // signalled (capacity 1) when the queue gets a message
	done chan struct{}
	once sync.Once
	err  error

	qmu   sync.Mutex
	queue []Message // waiting messages are queue[head:]
	head  int

	mu      sync.Mutex
	ended   bool
	stopCtx func() bool // releases the context's AfterFunc
}

// keepCap is the largest drained queue kept for reuse.
const keepCap = 64

// offer queues m unless the queue is full; false means dropped.
func (s *subscription) offer(m Message) bool {
	s.qmu.Lock()
	n := len(s.queue) - s.head
	if n >= s.max {
		s.qmu.Unlock()
		return false
	}
	if len(s.queue) == cap(s.queue) && s.head > 0 { // reuse the drained front
		copy(s.queue, s.queue[s.head:])
		clear(s.queue[n:])
		s.queue, s.head = s.queue[:n], 0
	}
	s.queue = append(s.queue, m)
	s.qmu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
	return true
}

// take pops the oldest waiting message.
func (s *subscription) take() (Message, bool) {
	s.qmu.Lock()
	defer s.qmu.Unlock()
	if s.head == len(s.queue) {
		return Message{}, false
	}
	m := s.queue[s.head]
	s.queue[s.head] = Message{}
	s.head++
	if s.head == len(s.queue) {
		s.head = 0
		if cap(s.queue) > keepCap {
			s.queue = nil
		} else {
			s.queue = s.queue[:0]
		}
	}
	return m, true
}

func (s *subscription) Next() (Message, error) {
	for {
		select {
		case <-s.done: // once ended, always fail, even with messages waiting
			return Message{}, s.err
		default:
		}
		if m, ok := s.take(); ok {
			return m, nil
		}
		select {
		case <-s.wake:
		case <-s.done:
		}
	}
}

func (s *subscription) Close() error {
	s.end(sdk.Errorf(sdk.CodeUnavailable, "subscription closed"))
	return nil
}

// end unregisters the subscription; Next then fails with err.
func (s *subscription) end(err error) {
	s.once.Do(func() {
		s.b.mu.Lock()
		if t := s.b.topics[s.key]; t != nil {
			delete(t.subs, s)
			s.b.gcLocked(s.key, t)
		}
		s.b.mu.Unlock()
		s.err = err
		close(s.done)
		s.qmu.Lock()
		s.queue, s.head = nil, 0
		s.qmu.Unlock()
		s.mu.Lock()
		s.ended = true
		stop := s.stopCtx
		s.mu.Unlock()
		if stop != nil {
			stop()
		}
	})
}
