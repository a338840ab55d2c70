package server

import (
	"net/http"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/orama-network/orama/sdk/telemetry"
)

// hdrTraceparent is the W3C Trace Context header, in canonical form. The
// server reads it from requests and sets it on every response with the
// request's own span, so a client can find its request's trace (and
// continue it).
const hdrTraceparent = "Traceparent"

// tracerName names the host's HTTP spans.
const tracerName = "github.com/orama-network/orama/host/server"

// tracing starts a server span per request when Options.TracerProvider
// is set: the child of the request's traceparent when it has a valid one
// (its sampled flag decides), else the root of a new trace (sampled at
// the configured ratio). The span is named "<METHOD> <route pattern>" and
// carries the status; its trace id goes to the access log next to the
// request id, and its traceparent to the response. Without a provider the
// middleware is not installed.
func (s *Server) tracing(next http.Handler) http.Handler {
	tp := s.opts.TracerProvider
	if tp == nil {
		return next
	}
	tracer := tp.Tracer(tracerName)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := telemetry.Propagator.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		ctx, span := tracer.Start(ctx, r.Method, trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(attribute.String("http.request.method", r.Method),
				attribute.String("url.path", r.URL.Path)))
		sc := span.SpanContext()
		st := stateFrom(ctx)
		if st != nil {
			st.traceID = sc.TraceID().String()
		}
		w.Header()[hdrTraceparent] = []string{traceparent(sc)}
		done := false
		defer func() {
			if span.IsRecording() {
				route := routeOf(st)
				status := http.StatusInternalServerError
				if st != nil {
					status = st.finalStatus(done)
				}
				span.SetName(r.Method + " " + route)
				span.SetAttributes(attribute.String("http.route", route),
					attribute.Int("http.response.status_code", status))
				if status >= 500 {
					span.SetStatus(codes.Error, http.StatusText(status))
				}
			}
			span.End()
		}()
		next.ServeHTTP(w, r.WithContext(ctx))
		done = true
	})
}

// traceparent formats sc as a W3C traceparent header value (version 00).
func traceparent(sc trace.SpanContext) string {
	return "00-" + sc.TraceID().String() + "-" + sc.SpanID().String() + "-" + sc.TraceFlags().String()
}
