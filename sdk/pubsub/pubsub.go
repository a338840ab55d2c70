// Package pubsub is the contract of the pubsub domain: the PubSub
// interface, its gRPC adapters (Plugin, Client, server), the in-process
// Broker every implementation can build on, and, in pubsubtest, the
// conformance suite every implementation must pass.
//
// Every call names a namespace; an implementation keeps namespaces apart:
// a subscriber of topic "chat" in namespace a never receives what is
// published to "chat" in namespace b, and neither sees the other's topics
// or members.
//
// Messages are opaque bytes. A subscription receives what is published
// after it started, in publish order per publisher, exactly once, on every
// node of a cluster. Presence: members join a topic with a lease (ttl) that
// the joiner renews by joining again; a member leaves when it calls Leave
// or when its lease runs out (its node died), and every subscriber of the
// topic receives the join and leave events.
package pubsub

import (
	"context"
	"time"

	"github.com/orama-network/orama/sdk/plugin"
)

// Kind is the plugin kind of the pubsub domain, the label of its block in
// config.hcl.
const Kind = "pubsub"

// Limits every implementation enforces (invalid, or too_large for data).
const (
	MaxNameLen     = 255     // namespace and topic length in bytes
	MaxMemberIDLen = 255     // member id length in bytes
	MaxMetaLen     = 4 << 10 // member meta (a JSON value) in bytes
	MaxDataLen     = 1 << 20 // one message's data in bytes
	MaxTopics      = 10000   // topics Topics returns at most
	MaxMembers     = 10000   // members Members returns at most
	MinTTL         = time.Second
	MaxTTL         = time.Hour
)

// Presence event types, as in the data of a presence frame (API.md).
const (
	EventJoin  = "presence.join"
	EventLeave = "presence.leave"
)

// PubSub is a namespaced publish/subscribe bus with presence.
type PubSub interface {
	// Publish sends data to every subscriber of topic, on every node.
	// Errors: invalid, too_large.
	Publish(ctx context.Context, namespace, topic string, data []byte) error
	// Subscribe starts a subscription to topic: the messages published
	// from now on and the topic's presence events, until ctx ends or the
	// subscription is closed. Errors: invalid.
	Subscribe(ctx context.Context, namespace, topic string) (Subscription, error)
	// Topics lists, sorted, the topics of namespace that have a
	// subscriber on this node or a member anywhere (at most MaxTopics).
	Topics(ctx context.Context, namespace string) ([]string, error)
	// Join adds member to topic, or renews its lease: it stays listed
	// until Leave, or until ttl (MinTTL..MaxTTL) passes without another
	// Join. The first Join sends an EventJoin to the topic's subscribers;
	// a renewal sends nothing. Errors: invalid.
	Join(ctx context.Context, namespace, topic string, member Member, ttl time.Duration) error
	// Leave removes the member and sends an EventLeave; leaving a topic
	// one is not a member of is not an error.
	Leave(ctx context.Context, namespace, topic, memberID string) error
	// Members lists the topic's members on every node, by join time
	// (at most MaxMembers).
	Members(ctx context.Context, namespace, topic string) ([]Member, error)
	// Health reports the backend's state.
	Health(ctx context.Context) (plugin.Health, error)
}

// Subscription is one subscriber's stream of messages.
type Subscription interface {
	// Next returns the next message. It fails when the subscription ends:
	// with the subscribing context's error, unavailable when the plugin
	// went away, or after Close.
	Next() (Message, error)
	// Close ends the subscription; Next then fails. Closing twice is a
	// no-op.
	Close() error
}

// Message is one delivery: a published message, or a presence event
// (Event set, Data empty).
type Message struct {
	Topic     string
	Data      []byte
	Timestamp time.Time // publish time, as the publisher's clock saw it
	Event     *Event    // nil for a published message
}

// Event is a presence change.
type Event struct {
	Type   string // EventJoin or EventLeave
	Member Member
}

// Member is one present member of a topic.
type Member struct {
	ID       string
	Meta     []byte    // a JSON value given at join, or nil
	JoinedAt time.Time // when it first joined
}

// Backend is what a pubsub plugin implements: the Base lifecycle plus
// PubSub.
type Backend interface {
	plugin.Base
	PubSub
}
