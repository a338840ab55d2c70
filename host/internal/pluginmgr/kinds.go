package pluginmgr

import (
	"context"

	goplugin "github.com/hashicorp/go-plugin"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/database"
	pubsubv1 "github.com/orama-network/orama/sdk/gen/orama/pubsub/v1"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/pubsub"
	"github.com/orama-network/orama/sdk/serverless"
	"github.com/orama-network/orama/sdk/storage"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/grpc"
)

// kind is what the manager knows of a domain: the host side of its
// go-plugin wrapper, and its subscriptions: the long-lived server streams
// (full gRPC method names) that an upgrade ends at once instead of waiting
// for them to finish, so that their callers subscribe again on the new
// instance (see instance.retire).
type kind struct {
	plugin        func() goplugin.Plugin
	subscriptions []string
}

var kinds = map[string]kind{
	auth.Kind:     {plugin: func() goplugin.Plugin { return &auth.Plugin{} }},
	cache.Kind:    {plugin: func() goplugin.Plugin { return &cache.Plugin{} }},
	database.Kind: {plugin: func() goplugin.Plugin { return &database.Plugin{} }},
	pubsub.Kind: {plugin: func() goplugin.Plugin { return &pubsub.Plugin{} },
		subscriptions: []string{pubsubv1.PubSub_Subscribe_FullMethodName}},
	serverless.Kind: {plugin: func() goplugin.Plugin { return &serverless.Plugin{} }},
	storage.Kind:    {plugin: func() goplugin.Plugin { return &storage.Plugin{} }},
}

// dispensed is what every domain client offers the manager.
type dispensed interface {
	plugin.Base
	Readiness(ctx context.Context) (plugin.Health, error) // the Base service's Health, with peers
	Done() <-chan struct{}
	SetHostServer(func([]grpc.ServerOption) *grpc.Server)
	Metrics(ctx context.Context) ([]*dto.MetricFamily, error) // the plugin's metric families
}

// subscriptionMethods are every kind's subscriptions.
var subscriptionMethods = func() map[string]bool {
	out := map[string]bool{}
	for _, k := range kinds {
		for _, m := range k.subscriptions {
			out[m] = true
		}
	}
	return out
}()
