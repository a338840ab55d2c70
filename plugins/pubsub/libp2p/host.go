package libp2p

import (
	"context"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/net/swarm"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
)

// newHost starts a TCP-only libp2p host: no relay, no NAT port mapping,
// no discovery (peers are listed in the config).
func newHost(c Config, key crypto.PrivKey) (host.Host, error) {
	opts := []libp2p.Option{
		libp2p.Identity(key),
		libp2p.ListenAddrStrings(c.Listen...),
		libp2p.Transport(tcp.NewTCPTransport),
		libp2p.DisableRelay(),
		libp2p.DisableMetrics(),
	}
	if c.SwarmKeyFile != "" {
		psk, err := LoadSwarmKey(c.SwarmKeyFile)
		if err != nil {
			return nil, err
		}
		opts = append(opts, libp2p.PrivateNetwork(psk))
	}
	return libp2p.New(opts...)
}

// Redial backoff: from redialMin, doubling up to redialMax; a connected
// peer is checked every redialMin.
const (
	redialMin = 250 * time.Millisecond
	redialMax = 10 * time.Second
)

// keepDialling connects to p until ctx ends, and again whenever the
// connection is lost (the peer restarted), each dial bounded by
// c.DialTimeout.
func (n *Node) keepDialling(ctx context.Context, p peer.AddrInfo) {
	defer n.wg.Done()
	wait := time.Duration(0)
	backoff := redialMin
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		if n.host.Network().Connectedness(p.ID) == network.Connected {
			backoff, wait = redialMin, redialMin
			continue
		}
		// A peer that restarted may be known at a stale address or be in
		// the swarm's dial backoff: forget the backoff and redial the
		// configured address.
		n.host.Peerstore().AddAddrs(p.ID, p.Addrs, time.Hour)
		if sw, ok := n.host.Network().(*swarm.Swarm); ok {
			sw.Backoff().Clear(p.ID)
		}
		dctx, cancel := context.WithTimeout(ctx, n.cfg.DialTimeout)
		err := n.host.Connect(dctx, p)
		cancel()
		if err == nil {
			n.log.Info("connected to peer", "peer", p.ID.String())
			backoff, wait = redialMin, redialMin
			continue
		}
		if ctx.Err() != nil {
			return
		}
		n.log.Debug("dial failed", "peer", p.ID.String(), "error", err, "retry_in", backoff)
		wait = backoff
		backoff = min(backoff*2, redialMax)
	}
}

// connClosed handles a closed connection. When another connection to the
// same peer is still open, the closed one was a duplicate: typically the
// peer's old instance, gone after an upgrade started the new one beside
// it with the same key and address. gossipsub then forgets every topic
// the peer subscribes to (its stream on that connection died) and keeps
// the peer over the other connection, but the peer never announces its
// topics again there, so this node would stop sending it messages for
// good. Closing every connection to the peer starts over: the redial
// (keepDialling, on either side) opens a fresh one and both sides
// announce their topics.
func (n *Node) connClosed(nw network.Network, c network.Conn) {
	p := c.RemotePeer()
	if n.ctx.Err() != nil || nw.Connectedness(p) != network.Connected {
		return // the node is closing, or that was the last connection
	}
	n.log.Info("a duplicate connection to a peer closed; reconnecting to it afresh", "peer", p.String())
	go func() { _ = nw.ClosePeer(p) }() // not from inside a notification
}
