package namespaced

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/orama-network/orama/sdk/telemetry"
)

var tracer = telemetry.Tracer("github.com/orama-network/orama/plugins/database/namespaced")

// startSpan starts the span of one call into the engine ("sqlite.query",
// "rqlite.exec", "sqlite.batch") for namespace ns, when the call is traced
// (telemetry.Start). The statement's text stays out of the span: its
// literals may be private.
func (s *state) startSpan(ctx context.Context, op, ns string, write bool) (context.Context, trace.Span) {
	if !telemetry.Recording(ctx) {
		return ctx, trace.SpanFromContext(ctx)
	}
	return telemetry.Start(ctx, tracer, s.cfg.Driver+"."+op, attribute.String("db.system", s.cfg.Driver),
		attribute.String("db.operation", op), attribute.String("db.namespace", ns),
		attribute.Bool("orama.write", write))
}
