package plugin

import (
	"context"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// Domain tells GRPCPlugin how one domain crosses go-plugin: B is the
// domain's backend interface (Base plus the domain's methods). A domain
// package implements it on an empty struct type, so the wrapper is a type
// alias and callers still write &cache.Plugin{Impl: impl}.
type Domain[B Base] interface {
	// Register serves impl's domain service on s (plugin side). The Base
	// service is registered by GRPCPlugin, and the unary methods Register
	// registers are served through the Mux service too.
	Register(s grpc.ServiceRegistrar, impl B)
	// NewClient returns the host side of the domain over conn, built on
	// base (the Base client of the same connection).
	NewClient(base *BaseClient, conn grpc.ClientConnInterface) B
}

// GRPCPlugin is the go-plugin wrapper of a domain, e.g.
//
//	type Plugin = plugin.GRPCPlugin[Backend, domain]
//
// Plugins set Impl and pass it to Serve; the host uses it with Impl unset
// and gets what D.NewClient returns from Dispense.
type GRPCPlugin[B Base, D Domain[B]] struct {
	goplugin.NetRPCUnsupportedPlugin
	Impl B
}

var _ goplugin.GRPCPlugin = (*GRPCPlugin[Base, baseDomain])(nil)

// GRPCServer registers the Base service, the domain's, and the Mux
// service that carries the domain's unary calls (plugin side).
func (p *GRPCPlugin[B, D]) GRPCServer(broker *goplugin.GRPCBroker, s *grpc.Server) error {
	var d D
	RegisterBase(s, broker, p.Impl)
	r := newMuxRegistrar(s)
	d.Register(r, p.Impl)
	registerMux(s, r)
	return nil
}

// GRPCClient returns the domain's client (host side). ctx is the plugin
// connection's lifetime: the client fails fast once it is done.
func (p *GRPCPlugin[B, D]) GRPCClient(ctx context.Context, broker *goplugin.GRPCBroker, conn *grpc.ClientConn) (any, error) {
	var d D
	return d.NewClient(NewBaseClient(ctx, broker, conn), conn), nil
}

// baseDomain is the domain with no service beyond Base; it instantiates
// GRPCPlugin for the interface guard above.
type baseDomain struct{}

func (baseDomain) Register(grpc.ServiceRegistrar, Base) {}

func (baseDomain) NewClient(base *BaseClient, _ grpc.ClientConnInterface) Base { return base }
