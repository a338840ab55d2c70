package plugin

import (
	"context"
	"errors"
	"sync"

	goplugin "github.com/hashicorp/go-plugin"
	"github.com/orama-network/orama/sdk"
	pluginv1 "github.com/orama-network/orama/sdk/gen/orama/plugin/v1"
	"github.com/orama-network/orama/sdk/hostapi"
	"github.com/orama-network/orama/sdk/telemetry"
	"google.golang.org/grpc"
)

// RegisterBase serves impl's Base methods on s (plugin side). Domain
// packages call it from their GRPCPlugin.GRPCServer.
func RegisterBase(s *grpc.Server, broker *goplugin.GRPCBroker, impl Base) {
	pluginv1.RegisterBaseServer(s, &baseServer{impl: impl, broker: broker})
}

type baseServer struct {
	pluginv1.UnimplementedBaseServer
	impl   Base
	broker *goplugin.GRPCBroker

	mu       sync.Mutex
	hostConn *grpc.ClientConn
}

func (s *baseServer) Info(ctx context.Context, _ *pluginv1.InfoRequest) (*pluginv1.InfoResponse, error) {
	info, err := s.impl.Info(ctx)
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &pluginv1.InfoResponse{Kind: info.Kind, Name: info.Name, Version: info.Version}, nil
}

func (s *baseServer) ValidateConfig(ctx context.Context, req *pluginv1.ConfigureRequest) (*pluginv1.ConfigureResponse, error) {
	return configureResponse(s.impl.ValidateConfig(ctx, configFromProto(req)))
}

func (s *baseServer) Configure(ctx context.Context, req *pluginv1.ConfigureRequest) (*pluginv1.ConfigureResponse, error) {
	cfg := configFromProto(req)
	if req.HostBrokerId != 0 && s.broker != nil {
		conn, err := s.hostConnection(req.HostBrokerId)
		if err != nil {
			return nil, sdk.ToGRPC(sdk.Errorf(sdk.CodeUnavailable, "dial host API: %v", err))
		}
		cfg.Host = hostapi.NewClient(conn)
	}
	return configureResponse(s.impl.Configure(ctx, cfg))
}

func (s *baseServer) hostConnection(id uint32) (*grpc.ClientConn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hostConn != nil {
		return s.hostConn, nil
	}
	// Calls to the host carry the trace of the request they serve.
	conn, err := s.broker.DialWithOptions(id, grpc.WithChainUnaryInterceptor(telemetry.UnaryClient),
		grpc.WithChainStreamInterceptor(telemetry.StreamClient))
	if err != nil {
		return nil, err
	}
	s.hostConn = conn
	return conn, nil
}

func (s *baseServer) Health(ctx context.Context, _ *pluginv1.HealthRequest) (*pluginv1.HealthResponse, error) {
	h, err := s.impl.Health(ctx)
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &pluginv1.HealthResponse{Ok: h.OK, Driver: h.Driver, Detail: h.Detail, Peers: peersToProto(h.Peers)}, nil
}

func (s *baseServer) Close(ctx context.Context, _ *pluginv1.CloseRequest) (*pluginv1.CloseResponse, error) {
	err := s.impl.Close(ctx)
	s.mu.Lock()
	if s.hostConn != nil {
		_ = s.hostConn.Close()
		s.hostConn = nil
	}
	s.mu.Unlock()
	return &pluginv1.CloseResponse{}, sdk.ToGRPC(err)
}

func configFromProto(req *pluginv1.ConfigureRequest) Config {
	return Config{Name: req.PluginName, NodeID: req.NodeId, DataDir: req.DataDir, Raw: req.ConfigJson}
}

// configureResponse carries a ConfigError in the response body (so field
// names survive) and any other error as a gRPC status.
func configureResponse(err error) (*pluginv1.ConfigureResponse, error) {
	if err == nil {
		return &pluginv1.ConfigureResponse{}, nil
	}
	var ce ConfigError
	if errors.As(err, &ce) { // also a ConfigError the plugin wrapped
		resp := &pluginv1.ConfigureResponse{}
		for _, f := range ce {
			resp.Errors = append(resp.Errors, &pluginv1.FieldError{Attribute: f.Attribute, Message: f.Message})
		}
		return resp, nil
	}
	return nil, sdk.ToGRPC(err)
}
