package libp2p

import (
	"context"
	"sync"
	"time"

	gps "github.com/libp2p/go-libp2p-pubsub"

	"github.com/orama-network/orama/sdk/pubsub"
)

// Publish delivers data to this node's subscribers at once, then gossips
// it to the other nodes (joining the topic for a while if this node has
// no subscriber there). Its own copy coming back from gossipsub is
// ignored, so each local subscriber gets it once.
func (n *Node) Publish(ctx context.Context, namespace, topic string, data []byte) error {
	if err := pubsub.CheckPublish(namespace, topic, data); err != nil {
		return err
	}
	now := time.Now()
	n.broker.Deliver(namespace, topic, pubsub.Message{Topic: topic, Data: data, Timestamp: now})
	return n.gossip(ctx, key{namespace, topic}, &envelope{kind: kindMessage, time: now, data: data})
}

// Subscribe subscribes locally; the first local subscription of a topic
// subscribes the node to its gossipsub topic, the last one's end
// unsubscribes it.
func (n *Node) Subscribe(ctx context.Context, namespace, topic string) (pubsub.Subscription, error) {
	s, err := n.broker.Subscribe(ctx, namespace, topic)
	if err != nil {
		return nil, err
	}
	k := key{namespace, topic}
	n.mu.Lock()
	err = n.acquireLocked(k)
	n.mu.Unlock()
	if err != nil {
		s.Close()
		return nil, err
	}
	w := &subscription{Subscription: s, release: func() { n.release(k) }}
	w.stop = context.AfterFunc(ctx, w.done)
	return w, nil
}

// subscription releases its topic reference once, on Close or when its
// context ends.
type subscription struct {
	pubsub.Subscription
	release func()
	once    sync.Once
	stop    func() bool
}

func (s *subscription) Close() error {
	err := s.Subscription.Close()
	s.stop()
	s.done()
	return err
}

func (s *subscription) done() { s.once.Do(s.release) }

// relay delivers what the other nodes gossip on k's topic until sub ends.
func (n *Node) relay(k key, sub *gps.Subscription) {
	defer n.wg.Done()
	self := n.host.ID()
	for {
		m, err := sub.Next(n.ctx)
		if err != nil {
			return
		}
		if m.GetFrom() == self {
			continue // delivered locally by Publish, Join or Leave
		}
		e, ok := m.ValidatorData.(*envelope)
		if !ok {
			continue // cannot happen: every message passed validate
		}
		n.receive(k, e)
	}
}

// receive applies one envelope from another node: a message of k, or
// a join or leave from the presence topic (k empty).
func (n *Node) receive(k key, e *envelope) {
	if e.kind == kindMessage {
		n.broker.Deliver(k.namespace, k.topic, pubsub.Message{Topic: k.topic, Data: e.data, Timestamp: e.time})
		return
	}
	n.receivePresence(e)
}
