package pluginmgr

import (
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/pubsub"
	"github.com/orama-network/orama/sdk/storage"
	"google.golang.org/grpc"
)

// kind is what the manager knows of a domain: the host side of its
// go-plugin wrapper.
type kind struct {
	plugin func() goplugin.Plugin
}

var kinds = map[string]kind{
	auth.Kind:     {plugin: func() goplugin.Plugin { return &auth.Plugin{} }},
	cache.Kind:    {plugin: func() goplugin.Plugin { return &cache.Plugin{} }},
	database.Kind: {plugin: func() goplugin.Plugin { return &database.Plugin{} }},
	pubsub.Kind:   {plugin: func() goplugin.Plugin { return &pubsub.Plugin{} }},
	storage.Kind:  {plugin: func() goplugin.Plugin { return &storage.Plugin{} }},
}

// dispensed is what every domain client offers the manager.
type dispensed interface {
	plugin.Base
	Done() <-chan struct{}
	SetHostServer(func([]grpc.ServerOption) *grpc.Server)
}
