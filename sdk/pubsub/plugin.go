package pubsub

import (
	"github.com/orama-network/orama/sdk/plugin"
	"google.golang.org/grpc"
)

// Plugin is the go-plugin wrapper of the pubsub domain. Plugins set Impl
// and pass it to plugin.Serve; the host uses it with Impl nil and
// dispenses a *Client.
type Plugin = plugin.GRPCPlugin[Backend, domain]

// domain serves and dials the PubSub service for Plugin; the alias checks
// that it is a plugin.Domain[Backend].
type domain struct{}

func (domain) Register(s grpc.ServiceRegistrar, impl Backend) { Register(s, impl) }

func (domain) NewClient(base *plugin.BaseClient, conn grpc.ClientConnInterface) Backend {
	return newClient(base, conn)
}
