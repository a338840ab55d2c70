// Package libp2p is the "libp2p" driver of the pubsub plugin: the gateway
// nodes of a cluster joined by go-libp2p and go-libp2p-pubsub (gossipsub),
// each node a pubsub.Broker for its own subscriptions and members.
//
// # Network
//
// A Node listens on TCP multiaddrs (Config.Listen), dials the peers listed
// in Config.Peers (full multiaddrs ending in /p2p/<id>) and keeps
// re-dialling a lost one, with backoff from 250 ms to 10 s and each dial
// bounded by Config.DialTimeout, so a peer that restarts is rejoined. No
// DHT, mDNS or relay. Its identity is an ed25519 key kept at
// Config.KeyFile (created 0600 when missing: same peer id across
// restarts). Config.SwarmKeyFile (go-libp2p-pnet format, as ipfs's
// swarm.key) makes a private network: a node without the same key cannot
// connect.
//
// # Topics
//
// Each (namespace, topic) is the gossipsub topic
// "orama/pubsub/v1/<len(namespace)>/<namespace>/<topic>": the length
// prefix keeps every pair apart, so namespaces never cross. A node
// subscribes to it while it has a local subscription there. Publishing to
// a topic without one joins it for publishing only (kept 30 s after its
// last use, at most 256 such topics). Presence (joins, renewals, leaves
// of every namespace and topic, each naming its namespace and topic) has
// one topic, "orama/pubsub/v1/presence", which every node subscribes to.
//
// # Messages
//
// Every gossipsub message is an envelope (envelope.go: version, kind,
// publish time, then the data or the member), at most pubsub.MaxDataLen
// of data. The validator drops (and counts: Malformed, Health) anything
// else, which is then neither delivered nor forwarded. Messages are
// signed by the publishing node's key (gossipsub's strict signing).
//
// Exactly once: Publish delivers to this node's subscribers at once (not
// waiting on the network) and the node ignores its own messages coming
// back from gossipsub; gossipsub drops the duplicates of what it already
// delivered (message id = publisher + sequence number).
//
// Order: messages of one publisher reach a subscriber in publish order
// when the two nodes are connected directly, which they are when every
// node lists the others in Peers (the cluster's full mesh): the publisher
// sends each message to every subscribed peer itself (flood publish), on
// one stream per peer, and each node validates with a single worker.
// Across relaying nodes the order is best effort.
//
// Start-up race: a node learns which peers subscribe to a topic from
// their announcements, sent right after a connection and on each
// subscription. A message published while no peer is known to subscribe
// to its topic waits for one, up to Config.ReadyWait after the node's
// newest connection; after that it is sent to the peers known. A message
// published before a remote subscription's announcement reached the
// publisher (one network round trip after that Subscribe) is not
// delivered to it.
//
// # Presence
//
// Join updates the local Broker and gossips the member with the time left
// on its lease; every node Upserts it with that lease, so every node lists
// every member of every topic (Members, Topics), whether it subscribes to
// the topic or not, and its subscribers get the join and leave events.
// Each node re-announces its own members every third of their ttl, and to
// a peer that comes (starts, restarts) 250 ms and 2 s after it subscribed
// to the presence topic, so a node that starts later lists them within
// about that. A renewal carries the time left on the lease the client
// asked for, never more: when a node dies (no Leave, no renewal), its
// members leave on every other node at most their ttl after the death
// plus the Broker's sweep interval (250 ms). Leave removes the member and
// gossips the leave, which removes it on every node, whichever node it
// joined through. A lease that runs out on the joining node (its client
// stopped renewing) is gossiped as a leave. Close says nothing to the
// peers, as a crash would not.
package libp2p
