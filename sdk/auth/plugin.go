package auth

import (
	"context"

	goplugin "github.com/hashicorp/go-plugin"
	authv1 "github.com/orama-network/orama/sdk/gen/orama/auth/v1"
	"github.com/orama-network/orama/sdk/plugin"
	"google.golang.org/grpc"
)

// Plugin is the go-plugin wrapper of the auth domain. Plugins set Impl and
// pass it to plugin.Serve; the host uses it with Impl nil.
type Plugin struct {
	goplugin.NetRPCUnsupportedPlugin
	Impl Backend
}

var _ goplugin.GRPCPlugin = (*Plugin)(nil)

// GRPCServer registers the Base and Auth services (plugin side).
func (p *Plugin) GRPCServer(broker *goplugin.GRPCBroker, s *grpc.Server) error {
	plugin.RegisterBase(s, broker, p.Impl)
	Register(s, p.Impl)
	return nil
}

// GRPCClient returns a *Client (host side).
func (p *Plugin) GRPCClient(ctx context.Context, broker *goplugin.GRPCBroker, conn *grpc.ClientConn) (any, error) {
	return &Client{
		BaseClient: plugin.NewBaseClient(ctx, broker, conn),
		api:        authv1.NewAuthClient(conn),
	}, nil
}
