package telemetry

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// Recording reports whether ctx's span records, so that a span started
// under it would be exported. Callers check it before they build a
// span's attributes, which would cost allocations on every call with
// tracing off.
func Recording(ctx context.Context) bool { return trace.SpanFromContext(ctx).IsRecording() }

// Start starts a client span named name under ctx's span, for a call from
// a plugin into its backend ("olric.Get", "sqlite.Query" …), with attrs.
// Without a recording span in ctx (tracing off, the request not sampled,
// or a call outside any request) it starts nothing and returns ctx with a
// non-recording span, so the cost on those paths is a context lookup.
func Start(ctx context.Context, tracer trace.Tracer, name string, attrs ...attribute.KeyValue) (context.Context, trace.Span) {
	parent := trace.SpanFromContext(ctx)
	if !parent.IsRecording() {
		return ctx, parent
	}
	return tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
}

// End ends span, marking it failed with err when err is not nil. It
// returns err, so a call can end with `return telemetry.End(span, err)`.
func End(span trace.Span, err error) error {
	if err != nil && span.IsRecording() {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
	span.End()
	return err
}
