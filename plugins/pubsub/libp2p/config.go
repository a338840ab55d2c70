package libp2p

import (
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

// DefaultListen is where a node listens when Config.Listen is empty.
const DefaultListen = "/ip4/0.0.0.0/tcp/4101"

// Config is what New needs.
type Config struct {
	// Listen is the TCP multiaddrs the node listens on
	// ("/ip4/127.0.0.1/tcp/0" picks a free port); DefaultListen when empty.
	// Only TCP: a private network (SwarmKeyFile) cannot run over QUIC.
	Listen []string
	// Peers is the full multiaddrs of the other nodes, each ending in
	// /p2p/<peer id>: dialled at start and re-dialled, with backoff,
	// whenever the connection is lost. List every other node of the
	// cluster on each node (a full mesh): see the ordering guarantee in
	// the package doc.
	Peers []string
	// KeyFile holds the node's ed25519 key (libp2p's protobuf encoding),
	// created 0600 when missing, so the peer id survives restarts. Empty:
	// a new key each start (tests).
	KeyFile string
	// SwarmKeyFile, when set, makes the node part of a private network:
	// a file in the go-libp2p-pnet format ("/key/swarm/psk/1.0.0/",
	// "/base16/", 64 hex digits), the same on every node. A node without
	// the same key cannot connect.
	SwarmKeyFile string
	// QueueLen is each local subscription's buffer
	// (pubsub.DefaultQueueLen when 0): a subscriber that does not keep up
	// loses messages, counted and reported to onDrop.
	QueueLen int
	// DialTimeout bounds one dial of a peer (default 5s).
	DialTimeout time.Duration
	// ReadyWait bounds how long a message waits, while no peer is known to
	// subscribe to its topic, after the node's newest connection (peers
	// send their subscriptions right after connecting): default 2s; see
	// the package doc.
	ReadyWait time.Duration
}

func (c *Config) defaults() {
	if len(c.Listen) == 0 {
		c.Listen = []string{DefaultListen}
	}
	if c.DialTimeout <= 0 {
		c.DialTimeout = 5 * time.Second
	}
	if c.ReadyWait <= 0 {
		c.ReadyWait = 2 * time.Second
	}
}

// CheckListen returns why addr is not a TCP multiaddr New can listen on.
func CheckListen(addr string) error {
	a, err := ma.NewMultiaddr(addr)
	if err != nil {
		return err
	}
	if _, err := a.ValueForProtocol(ma.P_TCP); err != nil {
		return fmt.Errorf("not a TCP address (like /ip4/0.0.0.0/tcp/4101)")
	}
	if _, err := a.ValueForProtocol(ma.P_P2P); err == nil {
		return fmt.Errorf("a listen address has no /p2p/ part")
	}
	return nil
}

// ParsePeer parses a peer's multiaddr, which must end in /p2p/<peer id>
// and reach the peer over TCP.
func ParsePeer(addr string) (peer.AddrInfo, error) {
	a, err := ma.NewMultiaddr(addr)
	if err != nil {
		return peer.AddrInfo{}, err
	}
	info, err := peer.AddrInfoFromP2pAddr(a)
	if err != nil {
		return peer.AddrInfo{}, fmt.Errorf("must end in /p2p/<peer id> (%v)", err)
	}
	if len(info.Addrs) == 0 {
		return peer.AddrInfo{}, fmt.Errorf("has no address before /p2p/")
	}
	for _, x := range info.Addrs {
		if _, err := x.ValueForProtocol(ma.P_TCP); err != nil {
			return peer.AddrInfo{}, fmt.Errorf("not a TCP address (like /ip4/10.0.0.2/tcp/4101/p2p/12D3Koo…)")
		}
	}
	return *info, nil
}
