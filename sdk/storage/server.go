package storage

import (
	"context"

	"github.com/orama-network/orama/sdk"
	storagev1 "github.com/orama-network/orama/sdk/gen/orama/storage/v1"
	"google.golang.org/grpc"
)

// Register serves impl as the Storage service on s. The host also uses it
// to offer the storage domain to other plugins through the host API.
// Errors of impl cross as their sdk codes, also those that happen in the
// middle of a stream.
func Register(s grpc.ServiceRegistrar, impl Storage) {
	storagev1.RegisterStorageServer(s, &server{impl: impl})
}

type server struct {
	storagev1.UnimplementedStorageServer
	impl Storage
}

func (s *server) Stat(ctx context.Context, req *storagev1.StatRequest) (*storagev1.StatResponse, error) {
	st, err := s.impl.Stat(ctx, req.Namespace, req.Cid)
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &storagev1.StatResponse{Stat: statToProto(st)}, nil
}

func (s *server) Pin(ctx context.Context, req *storagev1.PinRequest) (*storagev1.PinResponse, error) {
	p, err := s.impl.Pin(ctx, req.Namespace, req.Cid, req.Name, int(req.Replication))
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &storagev1.PinResponse{Pin: pinToProto(p)}, nil
}

func (s *server) Unpin(ctx context.Context, req *storagev1.UnpinRequest) (*storagev1.UnpinResponse, error) {
	if err := s.impl.Unpin(ctx, req.Namespace, req.Cid); err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &storagev1.UnpinResponse{}, nil
}

func (s *server) Status(ctx context.Context, req *storagev1.StatusRequest) (*storagev1.StatusResponse, error) {
	p, err := s.impl.Status(ctx, req.Namespace, req.Cid)
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &storagev1.StatusResponse{Pin: pinToProto(p)}, nil
}

func (s *server) Pins(ctx context.Context, req *storagev1.PinsRequest) (*storagev1.PinsResponse, error) {
	ps, err := s.impl.Pins(ctx, req.Namespace)
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	resp := &storagev1.PinsResponse{Pins: make([]*storagev1.PinStatus, len(ps))}
	for i, p := range ps {
		resp.Pins[i] = pinToProto(p)
	}
	return resp, nil
}

func (s *server) Health(ctx context.Context, _ *storagev1.HealthRequest) (*storagev1.HealthResponse, error) {
	h, err := s.impl.Health(ctx)
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &storagev1.HealthResponse{Ok: h.OK, Driver: h.Driver, Detail: h.Detail}, nil
}
