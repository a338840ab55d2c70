package olric

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/telemetry"
)

var tracer = telemetry.Tracer("github.com/orama-network/orama/plugins/cache/olric")

// startSpan starts the span of one Olric operation ("olric.get") on a
// namespace's dmap, when the call is traced (telemetry.Start).
func startSpan(ctx context.Context, op, namespace, dmap string) (context.Context, trace.Span) {
	if !telemetry.Recording(ctx) {
		return ctx, trace.SpanFromContext(ctx)
	}
	return telemetry.Start(ctx, tracer, "olric."+op, attribute.String("db.system", "olric"),
		attribute.String("db.operation", op), attribute.String("orama.namespace", namespace),
		attribute.String("olric.dmap", dmap))
}

// endSpan ends span with err; a missing key is an outcome (cache.hit
// false), not a failure.
func endSpan(span trace.Span, err error) {
	if sdkCode(err) == sdk.CodeNotFound {
		span.SetAttributes(attribute.Bool("cache.hit", false))
		err = nil
	}
	telemetry.End(span, err)
}
