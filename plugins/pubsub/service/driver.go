package service

import (
	"context"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/pubsub"
)

// Driver is a running pubsub backend (see the package doc).
type Driver interface {
	pubsub.PubSub
	// Close stops the driver and ends its subscriptions (unavailable).
	Close(ctx context.Context) error
}

// Env is what the plugin gives a driver's start.
type Env struct {
	Name    string // the plugin block's label in config.hcl
	NodeID  string // node { id }
	DataDir string // node { data_dir }/<Name>, created; "" without a data_dir
	Log     hclog.Logger
	// OnDrop counts one message a full subscription buffer refused; pass
	// it as pubsub.BrokerOptions.OnDrop.
	OnDrop func(namespace, topic string)
}

// driverDef is a registered driver: see the package doc.
type driverDef struct {
	validate func(c Config, errs *plugin.ConfigError)
	start    func(ctx context.Context, c Config, env Env) (Driver, error)
}

// drivers holds the drivers by name; each driver file adds itself in an
// init function.
var drivers = map[string]driverDef{}
