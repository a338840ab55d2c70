package service

import (
	"context"
	"errors"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/orama-network/orama/plugins/serverless/engine"
	"github.com/orama-network/orama/plugins/serverless/store"
	"github.com/orama-network/orama/sdk/serverless"
	"github.com/orama-network/orama/sdk/telemetry"
)

var tracer = telemetry.Tracer("github.com/orama-network/orama/plugins/serverless/service")

// startSpan starts the span of one wazero step ("wazero.run",
// "wazero.compile") of function r, when the call is traced
// (telemetry.Start).
func startSpan(ctx context.Context, op string, r store.Row) (context.Context, trace.Span) {
	if !telemetry.Recording(ctx) {
		return ctx, trace.SpanFromContext(ctx)
	}
	return telemetry.Start(ctx, tracer, "wazero."+op, attribute.String("faas.name", r.Name),
		attribute.Int("faas.version", r.Version), attribute.String("orama.namespace", r.Namespace))
}

// endRun ends a run's span: the function's own failure (a trap, a
// timeout, the memory limit) marks it failed like an error of the engine.
func endRun(span trace.Span, out engine.Outcome, err error) {
	if err == nil && out.Status != serverless.ResultSuccess && span.IsRecording() {
		span.SetAttributes(attribute.String("faas.outcome", out.Status))
		err = errors.New(out.Status + ": " + out.Error)
	}
	telemetry.End(span, err)
}
