package ipfs

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/orama-network/orama/sdk/telemetry"
)

var tracer = telemetry.Tracer("github.com/orama-network/orama/plugins/storage/ipfs")

// startSpan starts the span of one call into the driver ("embedded.add"
// for the local blockstore, "kubo.open", "kubo.pin" …) for namespace,
// when the call is traced (telemetry.Start).
func (b *backend) startSpan(ctx context.Context, op, namespace string) (context.Context, trace.Span) {
	if !telemetry.Recording(ctx) {
		return ctx, trace.SpanFromContext(ctx)
	}
	return telemetry.Start(ctx, tracer, b.cfg.Driver+"."+op, attribute.String("storage.driver", b.cfg.Driver),
		attribute.String("storage.operation", op), attribute.String("orama.namespace", namespace))
}

// endSpan ends span with err, recording the size of the content when it
// is known (bytes ≥ 0). It returns err.
func endSpan(span trace.Span, bytes int64, err error) error {
	if bytes >= 0 && span.IsRecording() {
		span.SetAttributes(attribute.Int64("storage.bytes", bytes))
	}
	return telemetry.End(span, err)
}
