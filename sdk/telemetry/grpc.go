package telemetry

import (
	"context"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// The gRPC side of propagation: the client interceptors put the caller's
// span context in the call's metadata (traceparent, tracestate); the
// server interceptors start a server span under it. Calls without a
// sampled span context pass through untouched on both sides.

// tracerName names the spans this package starts.
const tracerName = "github.com/orama-network/orama/sdk/telemetry"

// UnaryClient is a grpc.UnaryClientInterceptor that propagates ctx's span
// context. In a chain it must come before any interceptor that does not
// call on (the plugin mux's).
func UnaryClient(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
	return invoker(Inject(ctx), method, req, reply, cc, opts...)
}

// StreamClient is a grpc.StreamClientInterceptor that propagates ctx's
// span context.
func StreamClient(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
	return streamer(Inject(ctx), desc, cc, method, opts...)
}

// Inject returns ctx with its span context added to the outgoing gRPC
// metadata; ctx itself when it has none, or when its trace is not
// sampled: nothing downstream would be exported, and a call without
// metadata is cheaper on both sides (the trace id of an unsampled request
// is still in the host's access log and on the response).
func Inject(ctx context.Context) context.Context {
	if !trace.SpanContextFromContext(ctx).IsSampled() {
		return ctx
	}
	var kv pairs
	Propagator.Inject(ctx, &kv)
	return metadata.AppendToOutgoingContext(ctx, kv...)
}

// pairs collects what a propagator injects as metadata key, value pairs.
type pairs []string

func (p *pairs) Get(string) string { return "" }
func (p *pairs) Set(k, v string)   { *p = append(*p, k, v) }
func (p *pairs) Keys() []string    { return nil }

// mdCarrier reads incoming metadata for a propagator (keys are lower
// case in gRPC metadata, as TraceContext asks for them).
type mdCarrier metadata.MD

func (m mdCarrier) Get(k string) string {
	if v := m[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}
func (m mdCarrier) Set(k, v string) { m[k] = []string{v} }
func (m mdCarrier) Keys() []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// Extract returns ctx with the remote span context of its incoming gRPC
// metadata, and whether there was one.
func Extract(ctx context.Context) (context.Context, bool) {
	md, ok := metadata.FromIncomingContext(ctx)
	if !ok || len(md["traceparent"]) == 0 {
		return ctx, false
	}
	ctx = Propagator.Extract(ctx, mdCarrier(md))
	return ctx, trace.SpanContextFromContext(ctx).IsRemote()
}

// UnaryServer is a grpc.UnaryServerInterceptor that starts a server span
// for a call that carries a span context.
func UnaryServer(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	ctx, span, ok := startServer(ctx, info.FullMethod)
	if !ok {
		return handler(ctx, req)
	}
	resp, err := handler(ctx, req)
	endServer(span, err)
	return resp, err
}

// StreamServer is a grpc.StreamServerInterceptor that starts a server
// span for a stream that carries a span context.
func StreamServer(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	ctx, span, ok := startServer(ss.Context(), info.FullMethod)
	if !ok {
		return handler(srv, ss)
	}
	err := handler(srv, &serverStream{ServerStream: ss, ctx: ctx})
	endServer(span, err)
	return err
}

type serverStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *serverStream) Context() context.Context { return s.ctx }

// startServer starts the server span of method ("/orama.cache.v1.Cache/Get")
// under the span context of ctx's metadata, if there is one.
func startServer(ctx context.Context, method string) (context.Context, trace.Span, bool) {
	ctx, ok := Extract(ctx)
	if !ok {
		return ctx, nil, false
	}
	name := strings.TrimPrefix(method, "/")
	service, rpc, _ := strings.Cut(name, "/")
	ctx, span := Tracer(tracerName).Start(ctx, name, trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(attribute.String("rpc.system", "grpc"),
			attribute.String("rpc.service", service), attribute.String("rpc.method", rpc)))
	return ctx, span, true
}

func endServer(span trace.Span, err error) {
	if span.IsRecording() {
		st, _ := status.FromError(err)
		span.SetAttributes(attribute.Int("rpc.grpc.status_code", int(st.Code())))
		if err != nil {
			span.SetStatus(codes.Error, st.Message())
		}
	}
	span.End()
}
