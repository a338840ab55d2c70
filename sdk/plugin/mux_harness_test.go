package plugin_test

import (
	"context"
	"net"
	"path/filepath"
	"sync/atomic"
	"testing"

	cachev1 "github.com/orama-network/orama/sdk/gen/orama/cache/v1"
	"github.com/orama-network/orama/sdk/plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
)

// muxCache is a Cache service whose Get the test sets.
type muxCache struct {
	cachev1.UnimplementedCacheServer
	get func(ctx context.Context, req *cachev1.GetRequest) (*cachev1.GetResponse, error)
}

func (c *muxCache) Get(ctx context.Context, req *cachev1.GetRequest) (*cachev1.GetResponse, error) {
	return c.get(ctx, req)
}

// echo answers a Get with an entry whose key is the request's.
func echo(_ context.Context, req *cachev1.GetRequest) (*cachev1.GetResponse, error) {
	return &cachev1.GetResponse{Entry: &cachev1.Entry{Key: req.Key, Value: []byte(req.Dmap)}}, nil
}

// muxBackend is a plugin whose domain is muxCache, served the way
// plugin.Serve serves every GRPCPlugin (with the Mux service).
type muxBackend struct {
	*fakeBase
	cache *muxCache
}

type muxDomain struct{}

func (muxDomain) Register(s grpc.ServiceRegistrar, b muxBackend) {
	cachev1.RegisterCacheServer(s, b.cache)
}

func (muxDomain) NewClient(*plugin.BaseClient, grpc.ClientConnInterface) muxBackend {
	return muxBackend{}
}

type muxPlugin = plugin.GRPCPlugin[muxBackend, muxDomain]

// muxServer is a plugin's gRPC server on a Unix socket that counts the
// unary calls of the Cache service and the Mux streams opened.
type muxServer struct {
	path    string
	srv     *grpc.Server
	unary   atomic.Int64 // Cache calls that came as unary calls
	streams atomic.Int64 // Mux streams opened (answered or not)
}

// serveMux serves c on path, with the Mux service when withMux.
func serveMux(t *testing.T, path string, c *muxCache, withMux bool) *muxServer {
	t.Helper()
	m := &muxServer{path: path}
	count := func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		m.unary.Add(1)
		return h(ctx, req)
	}
	countStreams := func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, h grpc.StreamHandler) error {
		if info.FullMethod == "/orama.plugin.v1.Mux/Mux" {
			m.streams.Add(1)
		}
		return h(srv, ss)
	}
	// What a server without the Mux service answers; countStreams counts
	// the attempt (interceptors wrap this handler too).
	unknown := func(any, grpc.ServerStream) error {
		return status.Error(codes.Unimplemented, "unknown service")
	}
	m.srv = grpc.NewServer(grpc.UnaryInterceptor(count), grpc.StreamInterceptor(countStreams),
		grpc.UnknownServiceHandler(unknown))
	if withMux {
		p := &muxPlugin{Impl: muxBackend{fakeBase: &fakeBase{}, cache: c}}
		if err := p.GRPCServer(nil, m.srv); err != nil {
			t.Fatal(err)
		}
	} else {
		cachev1.RegisterCacheServer(m.srv, c)
	}
	lis, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = m.srv.Serve(lis) }()
	t.Cleanup(m.srv.Stop)
	return m
}

// dialMux connects to path, through a MuxClient when withMux.
func dialMux(t *testing.T, path string, withMux bool) cachev1.CacheClient {
	t.Helper()
	opts := []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}
	if withMux {
		mc := plugin.NewMuxClient()
		t.Cleanup(mc.Close)
		opts = append(opts, grpc.WithChainUnaryInterceptor(mc.Intercept))
	}
	conn, err := grpc.NewClient("unix://"+path, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return cachev1.NewCacheClient(conn)
}

// muxPair serves c with the Mux service and returns the server with a
// client through the mux and one that makes unary calls.
func muxPair(t *testing.T, c *muxCache) (*muxServer, cachev1.CacheClient, cachev1.CacheClient) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "plugin.sock")
	s := serveMux(t, path, c, true)
	return s, dialMux(t, path, true), dialMux(t, path, false)
}
