package plugin

import (
	"context"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	pluginv1 "github.com/orama-network/orama/sdk/gen/orama/plugin/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// The host side of the mux (mux.proto). A MuxClient is the last unary
// interceptor of a plugin connection: it sends each call of a domain
// service ("/orama.<kind>.v1.…", not Base) as a frame on a long-lived Mux
// stream, which it opens on the first call, and reopens on the next call
// after the stream broke. Calls in flight on a broken stream fail as
// unary calls to a dead plugin do (the stream's error, Unavailable when
// the plugin is gone). A plugin that answers the stream Unimplemented (not
// served through this package, or older) is called with plain unary gRPC
// from then on, as is a call whose request is too large for a frame or
// that asks for headers, trailers or the peer.

// MuxEnv is the environment variable that turns the mux off in the host:
// ORAMA_PLUGIN_MUX=off (or 0, false) makes every call a plain unary call.
const MuxEnv = "ORAMA_PLUGIN_MUX"

// MuxEnabled reports whether MuxEnv leaves the mux on (the default).
func MuxEnabled() bool {
	switch strings.ToLower(os.Getenv(MuxEnv)) {
	case "off", "0", "false", "no":
		return false
	}
	return true
}

// MuxDialOptions returns the dial options that send a plugin connection's
// domain calls through a new MuxClient, or none when MuxEnabled is false.
// Each connection needs its own (go-plugin's ClientConfig.GRPCDialOptions).
func MuxDialOptions() []grpc.DialOption {
	if !MuxEnabled() {
		return nil
	}
	return []grpc.DialOption{grpc.WithChainUnaryInterceptor(NewMuxClient().Intercept)}
}

// muxStreams is how many Mux streams a client spreads its calls over.
const muxStreams = 1

// MuxClient carries the unary domain calls of one connection over Mux
// streams. Its zero value is not usable; NewMuxClient makes one.
type MuxClient struct {
	mu      sync.Mutex
	cc      *grpc.ClientConn // the connection it is bound to (its first call's)
	streams [muxStreams]*muxStream
	next    atomic.Uint32
	unary   atomic.Bool // the plugin has no Mux service
	life    context.Context
	stop    context.CancelFunc
}

// NewMuxClient returns a client bound to the connection of its first call.
func NewMuxClient() *MuxClient {
	// The streams live as long as the client (Close) or their connection.
	life, stop := context.WithCancel(context.Background())
	return &MuxClient{life: life, stop: stop}
}

// Close ends the client's streams; calls in flight fail as unavailable.
func (m *MuxClient) Close() { m.stop() }

// Intercept is a grpc.UnaryClientInterceptor.
func (m *MuxClient) Intercept(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	if !muxed(method) || m.unary.Load() || needsUnary(opts) {
		return invoker(ctx, method, req, reply, cc, opts...)
	}
	s, err := m.stream(ctx, cc)
	if s == nil && err == nil { // no Mux service, or another connection
		return invoker(ctx, method, req, reply, cc, opts...)
	}
	if err != nil {
		return err
	}
	err = s.invoke(ctx, method, req, reply)
	if err == errMuxUnary {
		return invoker(ctx, method, req, reply, cc, opts...)
	}
	return err
}

// muxed reports whether method belongs to a domain service.
func muxed(method string) bool {
	return strings.HasPrefix(method, "/orama.") && !strings.HasPrefix(method, "/orama.plugin.")
}

// needsUnary reports whether opts ask for what only a unary call returns.
func needsUnary(opts []grpc.CallOption) bool {
	for _, o := range opts {
		switch o.(type) {
		case grpc.HeaderCallOption, grpc.TrailerCallOption, grpc.PeerCallOption, grpc.OnFinishCallOption:
			return true
		}
	}
	return false
}

// stream returns an open stream on cc, opening one if needed: nil, nil
// when calls on cc go unary.
func (m *MuxClient) stream(ctx context.Context, cc *grpc.ClientConn) (*muxStream, error) {
	i := 0
	if muxStreams > 1 {
		i = int(m.next.Add(1) % muxStreams)
	}
	m.mu.Lock()
	if m.cc == nil {
		m.cc = cc
	}
	if m.cc != cc {
		m.mu.Unlock()
		return nil, nil
	}
	s := m.streams[i]
	if s == nil || s.broken() {
		s = newMuxStream()
		m.streams[i] = s
		go s.run(m.life, cc)
	}
	m.mu.Unlock()
	select {
	case <-s.ready:
		return s, nil
	case <-s.done:
		if status.Code(s.err) == codes.Unimplemented && !s.answered {
			m.unary.Store(true)
			return nil, nil
		}
		return nil, s.err
	case <-ctx.Done():
		return nil, status.FromContextError(ctx.Err()).Err()
	}
}

// openMux opens a Mux stream on cc. It bypasses nothing: the stream goes
// through cc's stream interceptors like any other.
func openMux(ctx context.Context, cc *grpc.ClientConn) (pluginv1.Mux_MuxClient, error) {
	return pluginv1.NewMuxClient(cc).Mux(ctx,
		grpc.MaxCallRecvMsgSize(MaxMessageSize+muxFrameOverhead), grpc.MaxCallSendMsgSize(MaxMessageSize))
}
