package libp2p

import (
	"context"
	"strconv"
	"strings"
	"time"

	gps "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/orama-network/orama/sdk"
)

// topicPrefix starts every gossipsub topic of this driver.
const topicPrefix = "orama/pubsub/v1/"

// topicName is the gossipsub topic of (namespace, topic): the namespace's
// length comes first, so no two pairs share a name (a namespace "a/b"
// with topic "c" is "…/3/a/b/c", namespace "a" with topic "b/c"
// is "…/1/a/b/c").
func topicName(k key) string {
	return topicPrefix + strconv.Itoa(len(k.namespace)) + "/" + k.namespace + "/" + k.topic
}

// Publish-only joins: a node publishing to a topic it neither subscribes
// to nor has members in keeps the topic's handle this long after its last
// use, and at most publishOnlyMax such handles (least recently used
// first out).
const (
	publishIdle    = 30 * time.Second
	publishOnlyMax = 256
	relayBuffer    = 4096 // gossipsub's buffer of each topic subscription
)

// netTopic is this node's gossipsub handle of one (namespace, topic).
type netTopic struct {
	k       key
	t       *gps.Topic
	sub     *gps.Subscription      // nil while refs is 0 (publish-only)
	events  *gps.TopicEventHandler // with sub: peers joining the topic
	unwatch context.CancelFunc     // ends watchPeers (Cancel does not wake it)
	refs    int                    // local subscriptions + own members
	lastUse time.Time              // last publish, for publish-only expiry
}

// topicLocked returns the handle of k, joining the gossipsub topic when
// there is none (evicting the least recently used publish-only handle
// when there are too many). n.mu is held.
func (n *Node) topicLocked(k key) (*netTopic, error) {
	if n.closed {
		return nil, sdk.Errorf(sdk.CodeUnavailable, "pubsub node closed")
	}
	if nt := n.topics[k]; nt != nil {
		return nt, nil
	}
	var idle []*netTopic
	for _, nt := range n.topics {
		if nt.refs == 0 {
			idle = append(idle, nt)
		}
	}
	if len(idle) >= publishOnlyMax {
		oldest := idle[0]
		for _, nt := range idle {
			if nt.lastUse.Before(oldest.lastUse) {
				oldest = nt
			}
		}
		n.closeTopicLocked(oldest)
	}
	t, err := n.ps.Join(topicName(k))
	if err != nil {
		return nil, sdk.Errorf(sdk.CodeUnavailable, "join topic: %v", err)
	}
	now := time.Now()
	nt := &netTopic{k: k, t: t, lastUse: now}
	n.topics[k] = nt
	return nt, nil
}

// closeTopicLocked leaves a handle without references; gossipsub may
// refuse while the cancellation of its subscription is in flight, and the
// next closeIdle tries again.
func (n *Node) closeTopicLocked(nt *netTopic) {
	if nt.refs > 0 {
		return
	}
	if err := nt.t.Close(); err != nil {
		n.log.Debug("close topic", "topic", nt.k.topic, "error", err)
		return
	}
	delete(n.topics, nt.k)
}

// acquireLocked takes a reference on k's topic, subscribing to it on the
// first one. n.mu is held.
func (n *Node) acquireLocked(k key) error {
	nt, err := n.topicLocked(k)
	if err != nil {
		return err
	}
	if nt.sub == nil {
		sub, err := nt.t.Subscribe(gps.WithBufferSize(relayBuffer))
		if err != nil {
			return sdk.Errorf(sdk.CodeUnavailable, "subscribe topic: %v", err)
		}
		nt.sub = sub
		n.wg.Add(1)
		go n.relay(k, sub)
	}
	nt.refs++
	return nil
}

// releaseLocked drops a reference; the last one ends the subscription
// (the handle stays as a publish-only one until it idles out).
func (n *Node) releaseLocked(k key) {
	nt := n.topics[k]
	if nt == nil || nt.refs == 0 {
		return
	}
	nt.refs--
	if nt.refs == 0 && nt.sub != nil {
		nt.sub.Cancel()
		nt.sub = nil
		nt.lastUse = time.Now()
	}
}

func (n *Node) release(k key) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.closed {
		n.releaseLocked(k)
	}
}

// closeIdle closes publish-only handles idle for publishIdle (run every
// publishIdle/6 by New).
func (n *Node) closeIdle() {
	n.mu.Lock()
	for _, nt := range n.topics {
		if nt.refs == 0 && time.Since(nt.lastUse) > publishIdle {
			n.closeTopicLocked(nt)
		}
	}
	n.mu.Unlock()
}

// every runs fn every d until the node closes.
func (n *Node) every(d time.Duration, fn func()) {
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-n.ctx.Done():
				return
			case <-t.C:
				fn()
			}
		}
	}()
}

// gossip publishes e on k's topic, joining it when needed. While no peer
// is known to subscribe to the topic and a connection is new (peers tell
// their subscriptions right after connecting), it first waits for one,
// up to Config.ReadyWait after the newest connection.
func (n *Node) gossip(ctx context.Context, k key, e *envelope) error {
	n.mu.Lock()
	nt, err := n.topicLocked(k)
	var t *gps.Topic
	if err == nil {
		nt.lastUse = time.Now()
		t = nt.t
	}
	n.mu.Unlock()
	if err != nil {
		return err
	}
	return n.publishOn(ctx, t, e)
}

// publishOn publishes e on t, after waitReady.
func (n *Node) publishOn(ctx context.Context, t *gps.Topic, e *envelope) error {
	n.waitReady(ctx, t)
	if err := t.Publish(ctx, e.encode()); err != nil {
		if ctx.Err() != nil {
			return sdk.AsError(ctx.Err())
		}
		return sdk.Errorf(sdk.CodeUnavailable, "gossip: %v", err)
	}
	return nil
}

func (n *Node) waitReady(ctx context.Context, t *gps.Topic) {
	deadline := time.Unix(0, n.lastConn.Load()).Add(n.cfg.ReadyWait)
	for len(t.ListPeers()) == 0 && len(n.host.Network().Peers()) > 0 && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return
		case <-n.ctx.Done():
			return
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// validate is gossipsub's validator of every message: it decodes the
// envelope (kept as the message's ValidatorData) and rejects, counting
// them, malformed ones, foreign topics and kinds on the wrong topic, so
// they are neither delivered nor forwarded.
func (n *Node) validate(ctx context.Context, from peer.ID, m *gps.Message) gps.ValidationResult {
	e, err := decodeEnvelope(m.Data)
	if err == nil && (m.GetTopic() == presenceTopic) == (e.kind != kindMessage) && strings.HasPrefix(m.GetTopic(), topicPrefix) {
		m.ValidatorData = e
		return gps.ValidationAccept
	}
	n.malformed.Add(1)
	n.log.Debug("malformed envelope dropped", "from", from.String(), "topic", m.GetTopic(), "bytes", len(m.Data))
	return gps.ValidationReject
}
