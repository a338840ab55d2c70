package pluginmgr

import (
	"context"
	"strings"
	"sync"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
	"google.golang.org/grpc"
)

// Calls into a plugin's domain service are counted per instance by gRPC
// client interceptors, for every domain alike: an upgrade retires the old
// instance, waits for its calls to finish, and a call that reaches a
// retired instance (its caller fetched the client just before the switch)
// is sent to the successor instead of failing. Base calls and go-plugin's
// own services are not counted or moved: they belong to their process.

// routed reports whether method belongs to a domain service.
func routed(method string) bool {
	return strings.HasPrefix(method, "/orama.") && !strings.HasPrefix(method, "/orama.plugin.")
}

// dialOptions are the interceptors of inst's connection: counting and
// routing first, then the mux (plugin.MuxDialOptions), which carries the
// unary domain calls over one long-lived stream unless ORAMA_PLUGIN_MUX=off.
func (i *instance) dialOptions() []grpc.DialOption {
	return append([]grpc.DialOption{
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(plugin.MaxMessageSize), grpc.MaxCallSendMsgSize(plugin.MaxMessageSize)),
		grpc.WithChainUnaryInterceptor(i.unary),
		grpc.WithChainStreamInterceptor(i.stream),
	}, plugin.MuxDialOptions()...)
}

func (i *instance) unary(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	if !routed(method) {
		return invoker(ctx, method, req, reply, cc, opts...)
	}
	if !i.enter() {
		next, err := i.successor(ctx)
		if err != nil {
			return err
		}
		return next.conn.Invoke(ctx, method, req, reply, opts...)
	}
	defer i.release()
	return invoker(ctx, method, req, reply, cc, opts...)
}

func (i *instance) stream(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
	if !routed(method) {
		return streamer(ctx, desc, cc, method, opts...)
	}
	if subscriptionMethods[method] {
		return i.subscription(ctx, desc, cc, method, streamer, opts...)
	}
	if !i.enter() {
		next, err := i.successor(ctx)
		if err != nil {
			return nil, err
		}
		return next.conn.NewStream(ctx, desc, method, opts...)
	}
	cs, err := streamer(ctx, desc, cc, method, opts...)
	if err != nil {
		i.release()
		return nil, err
	}
	return newCountedStream(ctx, cs, i.release), nil
}

// subscription opens a long-lived stream: not counted as a call in
// progress (an upgrade would wait for it until the drain bound) but
// tracked, so that retiring the instance ends it (its caller sees the
// stream fail and subscribes again, which reaches the successor).
func (i *instance) subscription(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
	sctx, cancel := context.WithCancel(ctx)
	if !i.trackSubscription(&cancel) {
		cancel()
		next, err := i.successor(ctx)
		if err != nil {
			return nil, err
		}
		return next.conn.NewStream(ctx, desc, method, opts...)
	}
	context.AfterFunc(sctx, func() { i.untrackSubscription(&cancel) })
	cs, err := streamer(sctx, desc, cc, method, opts...)
	if err != nil {
		cancel()
		return nil, err
	}
	return cs, nil
}

// successor is the instance serving now, as a gRPC status error if none.
func (i *instance) successor(ctx context.Context) (*instance, error) {
	next, err := i.sup.current(ctx)
	if err != nil {
		return nil, sdk.ToGRPC(err)
	}
	if next == i {
		return nil, sdk.ToGRPC(sdk.Errorf(sdk.CodeUnavailable, "%s plugin is being replaced", i.sup.kind))
	}
	return next, nil
}

// countedStream releases its instance once, when the stream ends: an error
// or EOF from RecvMsg, or the end of its context.
type countedStream struct {
	grpc.ClientStream
	once sync.Once
	done func()
	stop func() bool
}

func newCountedStream(ctx context.Context, cs grpc.ClientStream, done func()) *countedStream {
	s := &countedStream{ClientStream: cs, done: done}
	s.stop = context.AfterFunc(ctx, s.finish)
	return s
}

func (s *countedStream) finish() { s.once.Do(s.done) }

func (s *countedStream) RecvMsg(m any) error {
	err := s.ClientStream.RecvMsg(m)
	if err != nil {
		s.stop()
		s.finish()
	}
	return err
}
