package pluginmgr

import (
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/plugin"
	"google.golang.org/grpc"
)

// kind is what the manager knows of a domain: the host side of its
// go-plugin wrapper, and how to wrap a dispensed client so every call is
// counted against its instance (for draining on upgrade).
type kind struct {
	plugin func() goplugin.Plugin
	wrap   func(i *instance) any
}

var kinds = map[string]kind{
	cache.Kind: {
		plugin: func() goplugin.Plugin { return &cache.Plugin{} },
		wrap:   func(i *instance) any { return &countedCache{inst: i, c: i.backend.(cache.Cache)} },
	},
}

// dispensed is what every domain client offers the manager.
type dispensed interface {
	plugin.Base
	Done() <-chan struct{}
	SetHostServices(func(*grpc.Server))
}
