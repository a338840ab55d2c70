package plugin

import (
	"context"

	goplugin "github.com/hashicorp/go-plugin"
	"github.com/orama-network/orama/sdk"
	pluginv1 "github.com/orama-network/orama/sdk/gen/orama/plugin/v1"
	"google.golang.org/grpc"
)

// BaseClient is the host side of Base. Domain clients embed it.
type BaseClient struct {
	life   context.Context // the plugin connection's lifetime
	broker *goplugin.GRPCBroker
	base   pluginv1.BaseClient

	hostServer func([]grpc.ServerOption) *grpc.Server
}

// SetHostServer sets, before Configure, the factory of the gRPC server that
// is served to the plugin as its host API over the broker (hostapi.Register
// and whatever else the host offers). It receives the broker's options.
func (c *BaseClient) SetHostServer(newServer func([]grpc.ServerOption) *grpc.Server) {
	c.hostServer = newServer
}

var _ Base = (*BaseClient)(nil)

// NewBaseClient wraps conn. life is the context go-plugin hands to
// GRPCClient; calls fail fast as unavailable once it is done.
func NewBaseClient(life context.Context, broker *goplugin.GRPCBroker, conn grpc.ClientConnInterface) *BaseClient {
	return &BaseClient{life: life, broker: broker, base: pluginv1.NewBaseClient(conn)}
}

// Done is closed when the plugin connection's lifetime ends (for a
// go-plugin client: the plugin process exited or was killed).
func (c *BaseClient) Done() <-chan struct{} {
	if c.life == nil {
		return nil
	}
	return c.life.Done()
}

// Alive reports whether the plugin connection's lifetime has not ended.
func (c *BaseClient) Alive() error {
	if c.life != nil && c.life.Err() != nil {
		return sdk.Errorf(sdk.CodeUnavailable, "plugin connection closed")
	}
	return nil
}

func (c *BaseClient) Info(ctx context.Context) (Info, error) {
	resp, err := c.base.Info(ctx, &pluginv1.InfoRequest{})
	if err != nil {
		return Info{}, sdk.FromGRPC(err)
	}
	return Info{Kind: resp.Kind, Name: resp.Name, Version: resp.Version}, nil
}

func (c *BaseClient) ValidateConfig(ctx context.Context, cfg Config) error {
	resp, err := c.base.ValidateConfig(ctx, configToProto(cfg))
	return configureResult(resp, err)
}

func (c *BaseClient) Configure(ctx context.Context, cfg Config) error {
	req := configToProto(cfg)
	if c.hostServer != nil && c.broker != nil {
		id := c.broker.NextId()
		go c.broker.AcceptAndServe(id, c.hostServer)
		req.HostBrokerId = id
	}
	resp, err := c.base.Configure(ctx, req)
	return configureResult(resp, err)
}

// Health asks the plugin's Base service. Domain clients that embed a
// BaseClient answer Health from their own service (which also works over
// the host API connection, without Base); Readiness is this one under a
// name they do not shadow.
func (c *BaseClient) Health(ctx context.Context) (Health, error) { return c.Readiness(ctx) }

// Readiness is the Base service's Health: what the host's readiness probe
// asks, with the backend's Peers.
func (c *BaseClient) Readiness(ctx context.Context) (Health, error) {
	if err := c.Alive(); err != nil {
		return Health{}, err
	}
	resp, err := c.base.Health(ctx, &pluginv1.HealthRequest{})
	if err != nil {
		return Health{}, sdk.FromGRPC(err)
	}
	return Health{OK: resp.Ok, Driver: resp.Driver, Detail: resp.Detail, Peers: peersFromProto(resp.Peers)}, nil
}

func (c *BaseClient) Close(ctx context.Context) error {
	_, err := c.base.Close(ctx, &pluginv1.CloseRequest{})
	return sdk.FromGRPC(err)
}

func configToProto(cfg Config) *pluginv1.ConfigureRequest {
	return &pluginv1.ConfigureRequest{PluginName: cfg.Name, NodeId: cfg.NodeID, DataDir: cfg.DataDir, ConfigJson: cfg.Raw}
}

func configureResult(resp *pluginv1.ConfigureResponse, err error) error {
	if err != nil {
		return sdk.FromGRPC(err)
	}
	if len(resp.Errors) == 0 {
		return nil
	}
	ce := make(ConfigError, len(resp.Errors))
	for i, f := range resp.Errors {
		ce[i] = FieldError{Attribute: f.Attribute, Message: f.Message}
	}
	return ce
}

// Call makes one unary call of a domain client c: it fails fast as
// unavailable once the plugin connection's lifetime has ended, and returns
// a gRPC error as the sdk.Error it carries (so its code survives), e.g.
//
//	resp, err := plugin.Call(ctx, c.BaseClient, c.api.Get, &cachev1.GetRequest{…})
func Call[Req, Resp any](ctx context.Context, c *BaseClient, method func(context.Context, Req, ...grpc.CallOption) (Resp, error), req Req) (Resp, error) {
	var zero Resp
	if err := c.Alive(); err != nil {
		return zero, err
	}
	resp, err := method(ctx, req)
	if err != nil {
		return zero, sdk.FromGRPC(err)
	}
	return resp, nil
}
