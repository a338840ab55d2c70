package service

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/orama-network/orama/plugins/pubsub/libp2p"
	"github.com/orama-network/orama/sdk/plugin"
)

// The "libp2p" driver: gossipsub between the gateway nodes (package
// libp2p). Attributes: listen (TCP multiaddrs, default
// /ip4/0.0.0.0/tcp/4101), peers (the other nodes' multiaddrs ending in
// /p2p/<peer id>), swarm_key_file (optional private network key), and
// queue_len. The node key is <data_dir>/node.key, created on first start.
func init() {
	drivers["libp2p"] = driverDef{validate: validateLibp2p, start: startLibp2p}
}

var _ Driver = (*libp2p.Node)(nil)

func validateLibp2p(c Config, errs *plugin.ConfigError) {
	for i, a := range c.Listen {
		if err := libp2p.CheckListen(a); err != nil {
			errs.Add("listen", fmt.Sprintf("entry %d (%q): %v", i+1, a, err))
		}
	}
	for i, a := range c.Peers {
		if _, err := libp2p.ParsePeer(a); err != nil {
			errs.Add("peers", fmt.Sprintf("entry %d (%q): %v; write the full multiaddr a node logs at start, like /ip4/10.0.0.2/tcp/4101/p2p/12D3KooW…", i+1, a, err))
		}
	}
	if c.SwarmKeyFile != "" {
		if _, err := libp2p.LoadSwarmKey(c.SwarmKeyFile); err != nil {
			errs.Add("swarm_key_file", fmt.Sprintf("%v; the file holds /key/swarm/psk/1.0.0/, /base16/ and 64 hex digits, one a line", err))
		}
	}
}

func startLibp2p(ctx context.Context, c Config, env Env) (Driver, error) {
	var keyFile string
	if env.DataDir != "" {
		keyFile = filepath.Join(env.DataDir, "node.key")
	}
	return libp2p.New(ctx, libp2p.Config{
		Listen:       c.Listen,
		Peers:        c.Peers,
		KeyFile:      keyFile,
		SwarmKeyFile: c.SwarmKeyFile,
		QueueLen:     c.QueueLen,
	}, env.Log, env.OnDrop)
}
