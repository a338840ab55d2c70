package telemetry

import (
	"context"
	"errors"

	"github.com/hashicorp/go-hclog"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// Propagator is the one propagation format: W3C Trace Context.
var Propagator propagation.TextMapPropagator = propagation.TraceContext{}

// Service names the process in the spans it exports (the OTel resource).
type Service struct {
	Name     string // service.name: "orama", "orama-plugin-cache" …
	Version  string // service.version; may be empty
	Instance string // service.instance.id, e.g. the node id; may be empty
}

// Setup installs the global tracer provider and propagator for c: spans
// batched and exported with OTLP/gRPC to c.Endpoint, sampled
// parent-based with c.SamplingRatio for new traces. Export failures are
// logged to log (nil: discarded). The returned shutdown flushes the spans
// still queued; call it before the process exits. With tracing off Setup
// changes nothing and shutdown does nothing.
//
// The exporter connects lazily: an unreachable collector does not fail
// Setup, only the exports (logged, and the spans dropped).
func Setup(ctx context.Context, c Config, svc Service, log hclog.Logger) (shutdown func(context.Context) error, err error) {
	if !c.Enabled() {
		return func(context.Context) error { return nil }, nil
	}
	if c.SamplingRatio < 0 || c.SamplingRatio > 1 {
		return nil, errors.New("telemetry: sampling ratio must be from 0 to 1")
	}
	opts := []otlptracegrpc.Option{otlptracegrpc.WithEndpoint(c.Endpoint)}
	if !c.TLS {
		opts = append(opts, otlptracegrpc.WithInsecure())
	}
	exp, err := otlptracegrpc.New(ctx, opts...)
	if err != nil {
		return nil, err
	}
	attrs := []attribute.KeyValue{attribute.String("service.name", svc.Name)}
	if svc.Version != "" {
		attrs = append(attrs, attribute.String("service.version", svc.Version))
	}
	if svc.Instance != "" {
		attrs = append(attrs, attribute.String("service.instance.id", svc.Instance))
	}
	tp := NewTracerProvider(c.SamplingRatio, sdktrace.WithBatcher(exp),
		sdktrace.WithResource(resource.NewSchemaless(attrs...)))
	if log == nil {
		log = hclog.NewNullLogger()
	}
	log = log.Named("telemetry")
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) { log.Warn("tracing", "error", err) }))
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(Propagator)
	return tp.Shutdown, nil
}

// NewTracerProvider is the tracer provider Setup installs, with opts (an
// exporter, a resource): parent-based sampling at ratio for new traces,
// and lock-free id generation. Tests and benchmarks use it with their own
// span processors.
func NewTracerProvider(ratio float64, opts ...sdktrace.TracerProviderOption) *sdktrace.TracerProvider {
	opts = append([]sdktrace.TracerProviderOption{
		sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.TraceIDRatioBased(ratio))),
		sdktrace.WithIDGenerator(idGenerator{}),
	}, opts...)
	return sdktrace.NewTracerProvider(opts...)
}

// Tracer returns the named tracer of the global provider (OTel's no-op
// one until Setup ran with tracing on).
func Tracer(name string) trace.Tracer { return otel.Tracer(name) }
