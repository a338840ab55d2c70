package plugintest

import (
	"context"
	"net"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"
)

// Dial starts a gRPC server on an in-memory listener, lets register add its
// services (e.g. func(s *grpc.Server) { cache.Register(s, impl) }), and
// returns an insecure client connection to it. The server stops and the
// connection closes when the test ends.
func Dial(t testing.TB, register func(s *grpc.Server)) *grpc.ClientConn {
	t.Helper()
	return DialOptions(t, nil, nil, register)
}

// DialOptions is Dial with options for the server and for the client
// connection (e.g. fixed flow-control windows).
func DialOptions(t testing.TB, server []grpc.ServerOption, client []grpc.DialOption, register func(s *grpc.Server)) *grpc.ClientConn {
	t.Helper()
	lis := bufconn.Listen(1 << 20)
	s := grpc.NewServer(server...)
	register(s)
	go func() { _ = s.Serve(lis) }()
	t.Cleanup(s.Stop)

	conn, err := grpc.NewClient("passthrough:///bufconn", append([]grpc.DialOption{
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
	}, client...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}
