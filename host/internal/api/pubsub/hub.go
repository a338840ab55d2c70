package pubsub

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/hashicorp/go-hclog"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/host/wscork"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/pubsub"
)

// maxBackoff bounds the wait between two attempts to subscribe again.
const maxBackoff = 2 * time.Second

// Hub fans the plugin's messages out to the host's WebSockets: one plugin
// subscription per (namespace, topic) with at least one socket, shared by
// all of them (see the package doc).
type Hub struct {
	d       api.Domain[pubsub.PubSub]
	opts    Options
	log     hclog.Logger
	metrics *metrics

	ctx    context.Context // the hub's lifetime: ends after Shutdown
	cancel context.CancelFunc

	mu      sync.Mutex
	topics  map[topicKey]*topic
	perNS   map[string]int
	sockets map[*socket]struct{}
	closing bool
	wg      sync.WaitGroup // attached sockets
}

type topicKey struct{ ns, topic string }

// topic is one plugin subscription and the local sockets it feeds.
type topic struct {
	key    topicKey
	ctx    context.Context
	cancel context.CancelFunc
	refs   int           // sockets attached (under Hub.mu)
	ready  chan struct{} // closed once subscribed, or when the first attempt failed for good (err)
	err    error
	gap    atomic.Bool // the plugin subscription ended and is being made again

	mu      sync.RWMutex
	socks   map[*socket]struct{}
	members map[string]*member // presence members of the local sockets, by id
}

// member is a presence member joined by one or more local sockets.
type member struct {
	m    pubsub.Member
	refs int
}

// NewHub returns a running Hub over d; Shutdown stops it.
func NewHub(d api.Domain[pubsub.PubSub], opts Options) *Hub {
	opts = opts.withDefaults()
	h := &Hub{d: d, opts: opts, log: opts.Logger, metrics: newMetrics(opts.Registerer),
		topics: map[topicKey]*topic{}, perNS: map[string]int{}, sockets: map[*socket]struct{}{}}
	if h.log == nil {
		h.log = hclog.NewNullLogger()
	}
	h.ctx, h.cancel = context.WithCancel(context.Background())
	go h.renew()
	return h
}

// Options returns the hub's options, defaults applied.
func (h *Hub) Options() Options { return h.opts }

// attach adds s to its topic, subscribing to the plugin when s is the
// topic's first socket, and waits (bounded by ctx) until the topic is
// subscribed. Errors: rate_limited at the namespace's cap, unavailable
// when the plugin does not answer in time or the hub is shutting down.
func (h *Hub) attach(ctx context.Context, s *socket) error {
	k := topicKey{s.ns, s.topic}
	h.mu.Lock()
	switch {
	case h.closing:
		h.mu.Unlock()
		return shuttingDown()
	case h.perNS[s.ns] >= h.opts.MaxSocketsPerNamespace:
		h.mu.Unlock()
		return sdk.Errorf(sdk.CodeRateLimited, "too many pubsub sockets open in this namespace (at most %d)", h.opts.MaxSocketsPerNamespace)
	}
	h.perNS[s.ns]++
	h.sockets[s] = struct{}{}
	h.wg.Add(1)
	t := h.topics[k]
	if t == nil {
		t = &topic{key: k, ready: make(chan struct{}), socks: map[*socket]struct{}{}, members: map[string]*member{}}
		t.ctx, t.cancel = context.WithCancel(h.ctx)
		h.topics[k] = t
		go h.run(t)
	}
	t.refs++
	s.t = t
	h.mu.Unlock()
	h.metrics.sockets.Inc()

	t.mu.Lock()
	t.socks[s] = struct{}{}
	t.mu.Unlock()

	select {
	case <-t.ready:
		if t.err != nil {
			return t.err
		}
		return nil
	case <-s.done:
		return shuttingDown()
	case <-ctx.Done():
		return sdk.Errorf(sdk.CodeUnavailable, "pubsub plugin did not answer in time")
	}
}

// join adds the socket's member to its topic and joins it in the plugin.
func (h *Hub) join(ctx context.Context, s *socket) error {
	t := s.t
	t.mu.Lock()
	mb := t.members[s.member.ID]
	if mb == nil {
		mb = &member{m: *s.member}
		mb.m.JoinedAt = time.Now()
		t.members[s.member.ID] = mb
	}
	mb.refs++
	m := mb.m
	t.mu.Unlock()
	s.joined = true
	ps, err := h.d.Plugin(ctx)
	if err != nil {
		return err
	}
	return ps.Join(ctx, s.ns, s.topic, m, h.opts.PresenceTTL)
}

// release undoes attach (and join): the topic's last socket ends its
// plugin subscription; the last socket of a member makes it leave.
func (h *Hub) release(s *socket) {
	t := s.t
	if t == nil {
		return
	}
	leave := ""
	t.mu.Lock()
	delete(t.socks, s)
	if s.joined {
		if mb := t.members[s.member.ID]; mb != nil {
			if mb.refs--; mb.refs <= 0 {
				delete(t.members, s.member.ID)
				leave = s.member.ID
			}
		}
	}
	t.mu.Unlock()

	h.mu.Lock()
	if h.perNS[s.ns]--; h.perNS[s.ns] <= 0 {
		delete(h.perNS, s.ns)
	}
	delete(h.sockets, s)
	if t.refs--; t.refs <= 0 {
		h.forget(t)
		t.cancel()
	}
	h.mu.Unlock()
	h.metrics.sockets.Dec()

	if leave != "" {
		ctx, cancel := h.d.Context(h.ctx)
		if ps, err := h.d.Plugin(ctx); err == nil {
			if err := ps.Leave(ctx, s.ns, s.topic, leave); err != nil {
				h.log.Debug("presence leave failed; the lease will run out", "error", err)
			}
		}
		cancel()
	}
	h.wg.Done()
}

// run keeps the topic subscribed until its last socket goes: when the
// subscription fails unavailable (the plugin went away) it subscribes
// again, with backoff, and joins the topic's members again.
func (h *Hub) run(t *topic) {
	backoff := h.opts.ResubscribeBackoff
	first := true
	for {
		sub, err := h.subscribe(t)
		switch {
		case t.ctx.Err() != nil:
			if sub != nil {
				_ = sub.Close()
			}
			if first {
				t.err = shuttingDown()
				close(t.ready)
			}
			return
		case err != nil && sdk.AsError(err).Code != sdk.CodeUnavailable:
			h.log.Error("pubsub subscription failed", "error", err)
			if first {
				t.err = err
				close(t.ready)
				return
			}
			// New sockets get a new topic; these ones are closed.
			h.mu.Lock()
			h.forget(t)
			h.mu.Unlock()
			h.closeTopic(t, websocket.StatusInternalError, "subscription failed")
			return
		case err != nil:
			select {
			case <-time.After(backoff):
			case <-t.ctx.Done():
			}
			backoff = min(2*backoff, maxBackoff)
			continue
		}
		backoff = h.opts.ResubscribeBackoff
		if first {
			first = false
			close(t.ready)
		} else {
			h.metrics.resubscribes.Inc()
			h.rejoin(t)
		}
		t.gap.Store(false)
		h.metrics.subs.Inc()
		h.pump(t, sub)
		t.gap.Store(true)
		_ = sub.Close()
		h.metrics.subs.Dec()
	}
}

// missed counts a message this host published while (ns, topic)'s plugin
// subscription is being made again: each local socket of the topic misses
// it (dropped{reason="resubscribing"}). Messages other nodes publish in
// the gap are lost too, but no node can count those.
func (h *Hub) missed(ns, topic string) {
	h.mu.Lock()
	t := h.topics[topicKey{ns, topic}]
	h.mu.Unlock()
	if t == nil || !t.gap.Load() {
		return
	}
	t.mu.RLock()
	n := len(t.socks)
	t.mu.RUnlock()
	if n > 0 {
		h.metrics.dropped.WithLabelValues("resubscribing").Add(float64(n))
	}
}

// forget removes t from the topics (under h.mu) unless it was replaced.
func (h *Hub) forget(t *topic) {
	if h.topics[t.key] == t {
		delete(h.topics, t.key)
	}
}

// subscribe waits for the plugin (bounded by the request timeout) and
// subscribes for the topic's lifetime.
func (h *Hub) subscribe(t *topic) (pubsub.Subscription, error) {
	ctx, cancel := h.d.Context(t.ctx)
	defer cancel()
	ps, err := h.d.Plugin(ctx)
	if err != nil {
		return nil, err
	}
	return ps.Subscribe(t.ctx, t.key.ns, t.key.topic)
}

// pump encodes each message once, as a whole WebSocket frame, and offers
// it to every socket of the topic, until the subscription ends.
func (h *Hub) pump(t *topic, sub pubsub.Subscription) {
	for {
		m, err := sub.Next()
		if err != nil {
			return
		}
		p, err := encodeFrame(m)
		if err != nil {
			h.metrics.dropped.WithLabelValues("encode").Inc()
			continue
		}
		f := wscork.TextFrame(p)
		var sent, dropped int
		t.mu.RLock()
		for s := range t.socks {
			if s.offer(f) {
				sent++
			} else {
				dropped++
			}
		}
		t.mu.RUnlock()
		h.metrics.delivered.Add(float64(sent))
		if dropped > 0 {
			h.metrics.dropped.WithLabelValues("queue_full").Add(float64(dropped))
		}
	}
}

// closeTopic closes every socket of t.
func (h *Hub) closeTopic(t *topic, code websocket.StatusCode, reason string) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	for s := range t.socks {
		s.close(code, reason, closeError)
	}
}

// Shutdown closes every socket with 1001 (going away), waits until they
// are gone or ctx ends, and stops the hub. Sockets opened afterwards are
// refused (503).
func (h *Hub) Shutdown(ctx context.Context) error {
	h.mu.Lock()
	h.closing = true
	socks := make([]*socket, 0, len(h.sockets))
	for s := range h.sockets {
		socks = append(socks, s)
	}
	h.mu.Unlock()
	for _, s := range socks {
		s.close(websocket.StatusGoingAway, "server shutting down", closeShutdown)
	}
	done := make(chan struct{})
	go func() { h.wg.Wait(); close(done) }()
	defer h.cancel()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
