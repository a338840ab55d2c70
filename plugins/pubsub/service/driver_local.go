package service

import (
	"context"

	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/pubsub"
)

func init() {
	drivers["local"] = driverDef{validate: validateLocal, start: startLocal}
}

// validateLocal refuses the attributes of other drivers, which would
// otherwise be silently ignored.
func validateLocal(c Config, errs *plugin.ConfigError) {
	const msg = `applies to driver "libp2p" only; remove it, or set driver = "libp2p"`
	if len(c.Listen) > 0 {
		errs.Add("listen", msg)
	}
	if len(c.Peers) > 0 {
		errs.Add("peers", msg)
	}
	if c.SwarmKeyFile != "" {
		errs.Add("swarm_key_file", msg)
	}
}

// local is the single-node driver: a Broker.
type local struct{ *pubsub.Broker }

func startLocal(_ context.Context, c Config, env Env) (Driver, error) {
	return local{pubsub.NewBroker(pubsub.BrokerOptions{Driver: "local", QueueLen: c.QueueLen, OnDrop: env.OnDrop})}, nil
}

func (l local) Close(context.Context) error { return l.Broker.Close() }
