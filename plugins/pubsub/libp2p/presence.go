package libp2p

import (
	"context"
	"time"

	"github.com/orama-network/orama/sdk/pubsub"
)

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

// Join adds or renews member here and gossips it (with the time left on
// its lease) to the other nodes.
func (n *Node) Join(ctx context.Context, namespace, topic string, member pubsub.Member, ttl time.Duration) error {
	if err := pubsub.CheckJoin(namespace, topic, member, ttl); err != nil {
		return err
	}
	k := key{namespace, topic}
	now := time.Now()
	n.mu.Lock()
	own := n.members[k][member.ID]
	if own == nil {
		if err := n.acquireLocked(k); err != nil {
			n.mu.Unlock()
			return err
		}
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
	e := own.envelope(now)
	n.mu.Unlock()
	n.broker.Upsert(namespace, topic, e.member, now.Add(e.lease))
	return n.gossip(ctx, k, e)
}

func (o *ownMember) envelope(now time.Time) *envelope {
	return &envelope{kind: kindJoin, time: now, member: o.m, lease: o.expires.Sub(now)}
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
	known := n.broker.Remove(namespace, topic, memberID)
	if !known {
		return nil // nothing to tell: no node listed it where this one listens
	}
	return n.gossip(ctx, k, &envelope{kind: kindLeave, time: time.Now(), member: pubsub.Member{ID: memberID}})
}

// dropOwnLocked forgets an own member and its topic reference.
func (n *Node) dropOwnLocked(k key, id string) {
	if n.members[k][id] == nil {
		return
	}
	delete(n.members[k], id)
	if len(n.members[k]) == 0 {
		delete(n.members, k)
	}
	if !n.closed {
		n.releaseLocked(k)
	}
}

// leaseEnded is the Broker's OnLeave: an own member whose lease ran out
// (its joiner stopped renewing) is forgotten and its leave gossiped; a
// peer's member only leaves here (its node does the same on its side).
func (n *Node) leaseEnded(namespace, topic string, m pubsub.Member) {
	k := key{namespace, topic}
	n.mu.Lock()
	own := n.members[k][m.ID]
	if own == nil || own.expires.After(time.Now()) {
		n.mu.Unlock()
		return // a peer's member, or renewed since
	}
	n.dropOwnLocked(k, m.ID)
	n.mu.Unlock()
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		ctx, cancel := context.WithTimeout(n.ctx, gossipWait)
		defer cancel()
		if err := n.gossip(ctx, k, &envelope{kind: kindLeave, time: time.Now(), member: pubsub.Member{ID: m.ID}}); err != nil {
			n.log.Debug("gossip leave", "topic", topic, "error", err)
		}
	}()
}

// announceLoop renews each own member on the other nodes every third of
// its ttl, with the time left on its lease: a node that came up since
// learns it within that period, and a member whose node died leaves
// everywhere when its last lease runs out.
func (n *Node) announceLoop() {
	defer n.wg.Done()
	t := time.NewTicker(announceTick)
	defer t.Stop()
	for {
		select {
		case <-n.ctx.Done():
			return
		case <-t.C:
		}
		now := time.Now()
		n.mu.Lock()
		due := n.dueLocked(now, func(o *ownMember) bool { return now.Sub(o.announced) >= o.ttl/3 }, nil)
		n.mu.Unlock()
		n.announce(due)
	}
}

type announcement struct {
	k key
	e *envelope
}

// dueLocked collects the renewals of the own members (of topic only, when
// set) that pick selects, and marks them announced.
func (n *Node) dueLocked(now time.Time, pick func(*ownMember) bool, only *key) []announcement {
	var out []announcement
	for k, ms := range n.members {
		if only != nil && k != *only {
			continue
		}
		for _, o := range ms {
			if o.expires.After(now) && pick(o) {
				o.announced = now
				out = append(out, announcement{k, o.envelope(now)})
			}
		}
	}
	return out
}

func (n *Node) announce(due []announcement) {
	for _, a := range due {
		ctx, cancel := context.WithTimeout(n.ctx, gossipWait)
		err := n.gossip(ctx, a.k, a.e)
		cancel()
		if err != nil && n.ctx.Err() == nil {
			n.log.Debug("gossip renewal", "topic", a.k.topic, "error", err)
		}
	}
}

// announceTopic announces this node's members of k now.
func (n *Node) announceTopic(k key) {
	now := time.Now()
	n.mu.Lock()
	due := n.dueLocked(now, func(*ownMember) bool { return true }, &k)
	n.mu.Unlock()
	n.announce(due)
}
