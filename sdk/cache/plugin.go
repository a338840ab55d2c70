package cache

import (
	"context"

	goplugin "github.com/hashicorp/go-plugin"
	cachev1 "github.com/orama-network/orama/sdk/gen/orama/cache/v1"
	"github.com/orama-network/orama/sdk/plugin"
	"google.golang.org/grpc"
)

// Kind is the plugin kind of the cache domain, the label of its block in
// config.hcl.
const Kind = "cache"

// Plugin is the go-plugin wrapper of the cache domain. Plugins set Impl and
// pass it to plugin.Serve; the host uses it with Impl nil.
type Plugin struct {
	goplugin.NetRPCUnsupportedPlugin
	Impl Backend
}

var _ goplugin.GRPCPlugin = (*Plugin)(nil)

// GRPCServer registers the Base and Cache services (plugin side).
func (p *Plugin) GRPCServer(broker *goplugin.GRPCBroker, s *grpc.Server) error {
	plugin.RegisterBase(s, broker, p.Impl)
	Register(s, p.Impl)
	return nil
}

// GRPCClient returns a *Client (host side).
func (p *Plugin) GRPCClient(ctx context.Context, broker *goplugin.GRPCBroker, conn *grpc.ClientConn) (any, error) {
	return &Client{
		BaseClient: plugin.NewBaseClient(ctx, broker, conn),
		api:        cachev1.NewCacheClient(conn),
	}, nil
}
