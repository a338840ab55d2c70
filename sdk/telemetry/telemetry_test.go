package telemetry

import (
	"context"
	"strings"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
)

func TestConfigThroughEnv(t *testing.T) {
	c := Config{Endpoint: "127.0.0.1:4317", TLS: true, SamplingRatio: 0.25}
	for _, kv := range c.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	got, err := FromEnv()
	if err != nil || got != c {
		t.Fatalf("FromEnv = %+v, %v; want %+v", got, err, c)
	}
	t.Setenv(EnvRatio, "2")
	if _, err := FromEnv(); err == nil {
		t.Error("ratio 2 accepted")
	}
	t.Setenv(EnvEndpoint, "")
	if got, err := FromEnv(); err != nil || got.Enabled() {
		t.Errorf("without an endpoint: %+v, %v; want tracing off", got, err)
	}
	if env := (Config{}).Environ(); env != nil {
		t.Errorf("Environ of tracing off: %q", env)
	}
}

// A span context crosses a call: the client interceptor puts it in the
// metadata, the server interceptor starts the server span under it.
func TestInterceptorsPropagate(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	defer tp.Shutdown(context.Background())
	useProvider(t, tp)

	ctx, parent := tp.Tracer("test").Start(context.Background(), "parent")
	var sent metadata.MD
	invoker := func(ctx context.Context, _ string, _, _ any, _ *grpc.ClientConn, _ ...grpc.CallOption) error {
		sent, _ = metadata.FromOutgoingContext(ctx)
		return nil
	}
	if err := UnaryClient(ctx, "/orama.cache.v1.Cache/Get", nil, nil, nil, invoker); err != nil {
		t.Fatal(err)
	}
	if len(sent["traceparent"]) != 1 {
		t.Fatalf("outgoing metadata %v: no traceparent", sent)
	}

	var inner trace.SpanContext
	handler := func(ctx context.Context, _ any) (any, error) {
		inner = trace.SpanContextFromContext(ctx)
		_, span := Start(ctx, tp.Tracer("backend"), "olric.Get")
		return nil, End(span, nil)
	}
	in := metadata.NewIncomingContext(context.Background(), sent)
	if _, err := UnaryServer(in, nil, &grpc.UnaryServerInfo{FullMethod: "/orama.cache.v1.Cache/Get"}, handler); err != nil {
		t.Fatal(err)
	}
	parent.End()
	spans := rec.Ended()
	if len(spans) != 3 {
		t.Fatalf("%d spans, want backend, server and parent", len(spans))
	}
	backend, server := spans[0], spans[1]
	if server.Name() != "orama.cache.v1.Cache/Get" || server.SpanKind() != trace.SpanKindServer ||
		server.Parent().SpanID() != parent.SpanContext().SpanID() || server.SpanContext().TraceID() != parent.SpanContext().TraceID() {
		t.Errorf("server span %q kind %v parent %v", server.Name(), server.SpanKind(), server.Parent())
	}
	if inner.SpanID() != server.SpanContext().SpanID() {
		t.Error("the handler's context does not hold the server span")
	}
	if backend.Name() != "olric.Get" || backend.Parent().SpanID() != server.SpanContext().SpanID() {
		t.Errorf("backend span %q parent %v", backend.Name(), backend.Parent())
	}

	// A call without a span context: no metadata, no span.
	sent = nil
	_ = UnaryClient(context.Background(), "/x/Y", nil, nil, nil, invoker)
	if sent != nil {
		t.Errorf("metadata %v sent without a span", sent)
	}
	_, _ = UnaryServer(context.Background(), nil, &grpc.UnaryServerInfo{FullMethod: "/x/Y"}, func(context.Context, any) (any, error) { return nil, nil })
	if n := len(rec.Ended()); n != 3 {
		t.Errorf("%d spans after a call without a span context, want still 3", n)
	}
}
