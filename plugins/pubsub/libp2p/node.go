package libp2p

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"
	gps "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/pubsub"
)

// DriverName is the name Health reports.
const DriverName = "libp2p"

// Node is one gateway node of a pubsub cluster: a pubsub.Broker for its
// local subscriptions and members, joined to its peers by gossipsub.
type Node struct {
	cfg      Config
	log      hclog.Logger
	broker   *pubsub.Broker
	host     host.Host
	ps       *gps.PubSub
	presence *gps.Topic      // the cluster's joins and leaves (presence.go)
	ctx      context.Context // ends at Close: stops every loop
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	once     sync.Once

	mu      sync.Mutex
	closed  bool
	topics  map[key]*netTopic
	members map[key]map[string]*ownMember // members joined through this node

	malformed atomic.Uint64
	lastConn  atomic.Int64 // Unix ns of the newest connection
}

var _ pubsub.PubSub = (*Node)(nil)

// key is a (namespace, topic) pair.
type key struct{ namespace, topic string }

// New starts a node: its libp2p host listening on c.Listen, gossipsub, the
// dialling of c.Peers, and the presence renewals. onDrop (may be nil) is
// called for each message a full local subscription buffer refused.
// ctx bounds nothing after New returns: the node runs until Close.
func New(ctx context.Context, c Config, log hclog.Logger, onDrop func(namespace, topic string)) (*Node, error) {
	c.defaults()
	if log == nil {
		log = hclog.NewNullLogger()
	}
	var peers []peer.AddrInfo
	for _, a := range c.Listen {
		if err := CheckListen(a); err != nil {
			return nil, sdk.Errorf(sdk.CodeInvalid, "listen %q: %v", a, err)
		}
	}
	for _, a := range c.Peers {
		p, err := ParsePeer(a)
		if err != nil {
			return nil, sdk.Errorf(sdk.CodeInvalid, "peer %q: %v", a, err)
		}
		peers = append(peers, p)
	}
	nk, err := nodeKey(c.KeyFile)
	if err != nil {
		return nil, sdk.Errorf(sdk.CodeUnavailable, "%v", err)
	}
	h, err := newHost(c, nk)
	if err != nil {
		return nil, sdk.Errorf(sdk.CodeUnavailable, "libp2p host: %v", err)
	}
	n := &Node{
		cfg: c, log: log, host: h,
		topics:  map[key]*netTopic{},
		members: map[key]map[string]*ownMember{},
	}
	n.ctx, n.cancel = context.WithCancel(context.WithoutCancel(ctx))
	h.Network().Notify(&network.NotifyBundle{
		ConnectedF: func(network.Network, network.Conn) {
			n.lastConn.Store(time.Now().UnixNano())
		},
		DisconnectedF: n.connClosed,
	})
	n.broker = pubsub.NewBroker(pubsub.BrokerOptions{
		Driver: DriverName, QueueLen: c.QueueLen, OnDrop: onDrop, OnLeave: n.leaseEnded,
	})
	n.ps, err = gps.NewGossipSub(n.ctx, h,
		gps.WithMaxMessageSize(maxEnvelope+16<<10), // + signature, key, seqno
		gps.WithDefaultValidator(gps.ValidatorEx(n.validate), gps.WithValidatorInline(true)),
		// One validation worker keeps each stream's messages in order.
		gps.WithValidateWorkers(1),
		gps.WithValidateQueueSize(4096),
		gps.WithPeerOutboundQueueSize(4096),
		gps.WithFloodPublish(true),
		gps.WithPeerExchange(false),
		gps.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))),
	)
	if err != nil {
		n.cancel()
		h.Close()
		n.broker.Close()
		return nil, sdk.Errorf(sdk.CodeUnavailable, "gossipsub: %v", err)
	}
	for _, p := range peers {
		if p.ID == h.ID() {
			continue // a shared peer list may name the node itself
		}
		n.wg.Add(1)
		go n.keepDialling(n.ctx, p)
	}
	if err := n.startPresence(); err != nil {
		n.cancel()
		h.Close()
		n.broker.Close()
		return nil, sdk.Errorf(sdk.CodeUnavailable, "presence topic: %v", err)
	}
	n.every(publishIdle/6, n.closeIdle)
	log.Info("libp2p pubsub node started", "id", n.ID(), "addrs", fmt.Sprint(n.Addrs()), "peers", len(peers), "private", c.SwarmKeyFile != "")
	return n, nil
}

func nodeKey(path string) (crypto.PrivKey, error) {
	if path == "" {
		k, _, err := crypto.GenerateEd25519Key(nil)
		return k, err
	}
	return LoadOrCreateKey(path)
}

// Close stops the node without telling its peers anything: its members
// leave everywhere else when their leases run out, as if it had been
// killed. Local subscriptions end (unavailable).
func (n *Node) Close(ctx context.Context) error {
	var err error
	n.once.Do(func() {
		n.mu.Lock()
		n.closed = true
		n.mu.Unlock()
		n.cancel()
		done := make(chan struct{})
		go func() { n.wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-ctx.Done():
		}
		err = n.host.Close()
		n.broker.Close()
	})
	return err
}

// ID is the node's peer id.
func (n *Node) ID() string { return n.host.ID().String() }

// Addrs lists the node's full multiaddrs (…/p2p/<id>), as peers list them.
func (n *Node) Addrs() []string {
	var out []string
	for _, a := range n.host.Addrs() {
		out = append(out, a.String()+"/p2p/"+n.ID())
	}
	return out
}

// Peers lists the ids of the peers connected now.
func (n *Node) Peers() []string {
	var out []string
	for _, p := range n.host.Network().Peers() {
		out = append(out, p.String())
	}
	return out
}

// Malformed is the number of envelopes received from peers and dropped
// as malformed.
func (n *Node) Malformed() uint64 { return n.malformed.Load() }

// Dropped is the number of messages full local subscription buffers
// refused.
func (n *Node) Dropped() uint64 { return n.broker.Dropped() }

// Topics lists the namespace's topics with a subscriber on this node or a
// member on any node.
func (n *Node) Topics(ctx context.Context, namespace string) ([]string, error) {
	return n.broker.Topics(ctx, namespace)
}

// Members lists the topic's members on every node.
func (n *Node) Members(ctx context.Context, namespace, topic string) ([]pubsub.Member, error) {
	return n.broker.Members(ctx, namespace, topic)
}

// Health is OK while the node runs; Detail counts peers and drops.
func (n *Node) Health(ctx context.Context) (plugin.Health, error) {
	n.mu.Lock()
	closed := n.closed
	n.mu.Unlock()
	if closed {
		return plugin.Health{OK: false, Driver: DriverName, Detail: "closed"}, nil
	}
	ids := n.host.Network().Peers()
	peers := make([]plugin.Peer, 0, min(len(ids), plugin.MaxPeers))
	for _, id := range ids[:min(len(ids), plugin.MaxPeers)] {
		p := plugin.Peer{ID: id.String()}
		if conns := n.host.Network().ConnsToPeer(id); len(conns) > 0 {
			p.Addr = conns[0].RemoteMultiaddr().String()
		}
		peers = append(peers, p)
	}
	return plugin.Health{OK: true, Driver: DriverName, Peers: peers, Detail: fmt.Sprintf(
		"%d peers connected, %d malformed envelopes dropped, %d messages dropped for slow subscribers",
		len(ids), n.Malformed(), n.Dropped())}, nil
}
