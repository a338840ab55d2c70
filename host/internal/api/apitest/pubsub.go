package apitest

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/pubsub"
)

// FakePubSub is sdk/pubsub's Broker (the real in-process engine) that
// counts Subscribe calls and can end every live subscription with
// unavailable, as a plugin that was killed does (KillSubscriptions).
type FakePubSub struct {
	*pubsub.Broker

	Subscribes atomic.Int64 // Subscribe calls that succeeded
	// Gate, when set before the fake is in use, holds every Subscribe
	// until it is closed (or the caller's ctx ends): a plugin that is back
	// but has not taken the host's subscription yet.
	Gate chan struct{}

	mu   sync.Mutex
	subs map[pubsub.Subscription]struct{}
}

var _ pubsub.PubSub = (*FakePubSub)(nil)

// NewFakePubSub returns a FakePubSub over a new Broker; Close stops it.
func NewFakePubSub() *FakePubSub {
	return &FakePubSub{Broker: pubsub.NewBroker(pubsub.BrokerOptions{Driver: "local"}),
		subs: map[pubsub.Subscription]struct{}{}}
}

func (f *FakePubSub) Subscribe(ctx context.Context, ns, topic string) (pubsub.Subscription, error) {
	if f.Gate != nil {
		select {
		case <-f.Gate:
		case <-ctx.Done():
			return nil, sdk.AsError(ctx.Err())
		}
	}
	sub, err := f.Broker.Subscribe(ctx, ns, topic)
	if err != nil {
		return nil, err
	}
	f.Subscribes.Add(1)
	f.mu.Lock()
	f.subs[sub] = struct{}{}
	f.mu.Unlock()
	return &fakeSub{Subscription: sub, f: f}, nil
}

// Live is the number of subscriptions not ended.
func (f *FakePubSub) Live() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.subs)
}

// KillSubscriptions ends every live subscription: Next fails unavailable.
func (f *FakePubSub) KillSubscriptions() {
	f.mu.Lock()
	subs := f.subs
	f.subs = map[pubsub.Subscription]struct{}{}
	f.mu.Unlock()
	for s := range subs {
		_ = s.Close() // the Broker's Close: Next fails unavailable
	}
}

type fakeSub struct {
	pubsub.Subscription
	f *FakePubSub
}

func (s *fakeSub) Next() (pubsub.Message, error) {
	m, err := s.Subscription.Next()
	if err != nil {
		s.forget()
	}
	return m, err
}

func (s *fakeSub) Close() error {
	s.forget()
	return s.Subscription.Close()
}

func (s *fakeSub) forget() {
	s.f.mu.Lock()
	delete(s.f.subs, s.Subscription)
	s.f.mu.Unlock()
}

// PubSub returns PubSubFake, or unavailable while PubSubDown (or nil).
func (p *Plugins) PubSub(ctx context.Context) (pubsub.PubSub, error) {
	p.Mu.Lock()
	defer p.Mu.Unlock()
	if p.PubSubDown || p.PubSubFake == nil {
		return nil, sdk.Errorf(sdk.CodeUnavailable, "pubsub plugin is restarting")
	}
	return p.PubSubFake, nil
}

// SetPubSubDown switches the pubsub plugin down or back up.
func (p *Plugins) SetPubSubDown(down bool) {
	p.Mu.Lock()
	p.PubSubDown = down
	p.Mu.Unlock()
}
