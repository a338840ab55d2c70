package cache

import (
	"context"
	"time"

	"github.com/orama-network/orama/sdk"
	cachev1 "github.com/orama-network/orama/sdk/gen/orama/cache/v1"
	"google.golang.org/grpc"
)

// Register serves impl as the Cache service on s. The host also uses it to
// offer the cache domain to other plugins through the host API.
func Register(s grpc.ServiceRegistrar, impl Cache) {
	cachev1.RegisterCacheServer(s, &server{impl: impl})
}

type server struct {
	cachev1.UnimplementedCacheServer
	impl Cache
}

func (s *server) Get(ctx context.Context, req *cachev1.GetRequest) (*cachev1.GetResponse, error) {
	e, err := s.impl.Get(ctx, req.Namespace, req.Dmap, req.Key)
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &cachev1.GetResponse{Entry: entryToProto(e)}, nil
}

func (s *server) MGet(ctx context.Context, req *cachev1.MGetRequest) (*cachev1.MGetResponse, error) {
	es, err := s.impl.MGet(ctx, req.Namespace, req.Dmap, req.Keys)
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	resp := &cachev1.MGetResponse{Entries: make([]*cachev1.Entry, len(es))}
	for i, e := range es {
		resp.Entries[i] = entryToProto(e)
	}
	return resp, nil
}

func (s *server) Put(ctx context.Context, req *cachev1.PutRequest) (*cachev1.PutResponse, error) {
	err := s.impl.Put(ctx, req.Namespace, req.Dmap, req.Key, req.Value, time.Duration(req.TtlMs)*time.Millisecond)
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &cachev1.PutResponse{}, nil
}

func (s *server) Delete(ctx context.Context, req *cachev1.DeleteRequest) (*cachev1.DeleteResponse, error) {
	if err := s.impl.Delete(ctx, req.Namespace, req.Dmap, req.Key); err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &cachev1.DeleteResponse{}, nil
}

func (s *server) Scan(ctx context.Context, req *cachev1.ScanRequest) (*cachev1.ScanResponse, error) {
	keys, truncated, err := s.impl.Scan(ctx, req.Namespace, req.Dmap, req.Match, int(req.Limit))
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &cachev1.ScanResponse{Keys: keys, Truncated: truncated}, nil
}

func (s *server) Health(ctx context.Context, _ *cachev1.HealthRequest) (*cachev1.HealthResponse, error) {
	h, err := s.impl.Health(ctx)
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	return &cachev1.HealthResponse{Ok: h.OK, Driver: h.Driver, Detail: h.Detail}, nil
}

func entryToProto(e Entry) *cachev1.Entry {
	pe := &cachev1.Entry{Key: e.Key, Value: e.Value}
	if !e.ExpiresAt.IsZero() {
		pe.ExpiresAtUnixMs = e.ExpiresAt.UnixMilli()
	}
	return pe
}

func entryFromProto(pe *cachev1.Entry) Entry {
	e := Entry{Key: pe.GetKey(), Value: pe.GetValue()}
	if ms := pe.GetExpiresAtUnixMs(); ms != 0 {
		e.ExpiresAt = time.UnixMilli(ms)
	}
	return e
}
