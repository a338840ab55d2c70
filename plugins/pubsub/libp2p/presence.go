package libp2p

import (
	"context"
	"time"

	gps "github.com/libp2p/go-libp2p-pubsub"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/pubsub"
)

// presenceTopic is the gossipsub topic every node subscribes to for the
// whole cluster's joins, renewals and leaves, so every node lists every
// member of every topic.
const presenceTopic = topicPrefix + "presence"

// ownMember is a member joined through this node, which renews it on the
// other nodes.
type ownMember struct {
	m         pubsub.Member
	ttl       time.Duration
	expires   time.Time
	announced time.Time // last join/renewal gossiped
}

// Presence timing.
const (
	announceTick = 250 * time.Millisecond // how often renewals are looked for
	gossipWait   = 5 * time.Second        // bound on a background gossip
)

// startPresence subscribes to the presence topic.
func (n *Node) startPresence() error {
	t, err := n.ps.Join(presenceTopic)
	if err != nil {
		return err
	}
	sub, err := t.Subscribe(gps.WithBufferSize(relayBuffer))
	if err != nil {
		return err
	}
	events, err := t.EventHandler()
	if err != nil {
		return err
	}
	n.presence = t
	n.wg.Add(2)
	go n.relay(key{}, sub)
	go n.watchPeers(events)
	n.every(announceTick, n.renewDue)
	return nil
}

// Join adds or renews member here and gossips it (with the time left on
// its lease) to the other nodes.
func (n *Node) Join(ctx context.Context, namespace, topic string, member pubsub.Member, ttl time.Duration) error {
	if err := pubsub.CheckJoin(namespace, topic, member, ttl); err != nil {
		return err
	}
	k := key{namespace, topic}
	now := time.Now()
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return sdk.Errorf(sdk.CodeUnavailable, "pubsub node closed")
	}
	own := n.members[k][member.ID]
	if own == nil {
		if member.JoinedAt.IsZero() {
			member.JoinedAt = now
		}
		own = &ownMember{m: member}
		if n.members[k] == nil {
			n.members[k] = map[string]*ownMember{}
		}
		n.members[k][member.ID] = own
	}
	own.ttl, own.expires, own.announced = ttl, now.Add(ttl), now
	e := own.envelope(k, now)
	n.mu.Unlock()
	n.broker.Upsert(namespace, topic, e.member, now.Add(e.lease))
	return n.gossipPresence(ctx, e)
}

func (o *ownMember) envelope(k key, now time.Time) *envelope {
	return &envelope{kind: kindJoin, time: now, k: k, member: o.m, lease: o.expires.Sub(now)}
}

func leaveEnvelope(k key, id string) *envelope {
	return &envelope{kind: kindLeave, time: time.Now(), k: k, member: pubsub.Member{ID: id}}
}

// Leave removes the member here and on every node (wherever it joined).
func (n *Node) Leave(ctx context.Context, namespace, topic, memberID string) error {
	if err := pubsub.CheckTopic(namespace, topic); err != nil {
		return err
	}
	if err := pubsub.CheckMemberID(memberID); err != nil {
		return err
	}
	k := key{namespace, topic}
	n.mu.Lock()
	n.dropOwnLocked(k, memberID)
	n.mu.Unlock()
	if !n.broker.Remove(namespace, topic, memberID) {
		return nil // no node listed it: nothing to tell
	}
	return n.gossipPresence(ctx, leaveEnvelope(k, memberID))
}

// dropOwnLocked forgets an own member.
func (n *Node) dropOwnLocked(k key, id string) {
	if n.members[k][id] == nil {
		return
	}
	delete(n.members[k], id)
	if len(n.members[k]) == 0 {
		delete(n.members, k)
	}
}

// receivePresence applies a peer's join or leave.
func (n *Node) receivePresence(e *envelope) {
	switch e.kind {
	case kindJoin:
		n.broker.Upsert(e.k.namespace, e.k.topic, e.member, time.Now().Add(e.lease))
	case kindLeave:
		n.mu.Lock()
		n.dropOwnLocked(e.k, e.member.ID)
		n.mu.Unlock()
		n.broker.Remove(e.k.namespace, e.k.topic, e.member.ID)
	}
}

// leaseEnded is the Broker's OnLeave: an own member whose lease ran out
// (its joiner stopped renewing) is forgotten and its leave gossiped; a
// peer's member only leaves here (its node does the same on its side).
func (n *Node) leaseEnded(namespace, topic string, m pubsub.Member) {
	k := key{namespace, topic}
	n.mu.Lock()
	own := n.members[k][m.ID]
	if own == nil || own.expires.After(time.Now()) || n.closed {
		n.mu.Unlock()
		return // a peer's member, or renewed since
	}
	n.dropOwnLocked(k, m.ID)
	n.wg.Add(1)
	n.mu.Unlock()
	go func() {
		defer n.wg.Done()
		ctx, cancel := context.WithTimeout(n.ctx, gossipWait)
		defer cancel()
		if err := n.gossipPresence(ctx, leaveEnvelope(k, m.ID)); err != nil && n.ctx.Err() == nil {
			n.log.Debug("gossip leave", "topic", topic, "error", err)
		}
	}()
}

// renewDue renews each own member on the other nodes every third of its
// ttl, with the time left on its lease (run every announceTick by
// startPresence); a member whose node died leaves everywhere when its last
// lease runs out.
func (n *Node) renewDue() {
	n.announce(func(o *ownMember, now time.Time) bool { return now.Sub(o.announced) >= o.ttl/3 })
}

// watchPeers announces every own member to each peer that subscribes to
// the presence topic (a node that started or restarted), so it lists
// them without waiting for their next renewal: shortly after it came
// (gossipsub may not send to a peer in the first moments after its
// subscription arrived, so at once is too soon) and once more later.
func (n *Node) watchPeers(events *gps.TopicEventHandler) {
	defer n.wg.Done()
	for {
		ev, err := events.NextPeerEvent(n.ctx)
		if err != nil {
			return
		}
		if ev.Type == gps.PeerJoin {
			n.wg.Add(1)
			go n.welcome()
		}
	}
}

// welcomeAfter are the delays, after a peer subscribed to the presence
// topic, of the announcements of every own member.
var welcomeAfter = []time.Duration{250 * time.Millisecond, 2 * time.Second}

func (n *Node) welcome() {
	defer n.wg.Done()
	start := time.Now()
	for _, d := range welcomeAfter {
		select {
		case <-n.ctx.Done():
			return
		case <-time.After(time.Until(start.Add(d))):
		}
		n.announce(func(*ownMember, time.Time) bool { return true })
	}
}

// announce gossips the renewal of the own members pick selects.
func (n *Node) announce(pick func(o *ownMember, now time.Time) bool) {
	now := time.Now()
	var due []*envelope
	n.mu.Lock()
	for k, ms := range n.members {
		for _, o := range ms {
			if o.expires.After(now) && pick(o, now) {
				o.announced = now
				due = append(due, o.envelope(k, now))
			}
		}
	}
	n.mu.Unlock()
	for _, e := range due {
		ctx, cancel := context.WithTimeout(n.ctx, gossipWait)
		err := n.gossipPresence(ctx, e)
		cancel()
		if err != nil && n.ctx.Err() == nil {
			n.log.Debug("gossip renewal", "topic", e.k.topic, "error", err)
		}
	}
}

// gossipPresence publishes a join or leave on the presence topic.
func (n *Node) gossipPresence(ctx context.Context, e *envelope) error {
	return n.publishOn(ctx, n.presence, e)
}
