package server

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/sdk/telemetry"
)

// tracedEnv is a test server with tracing on, sampled at ratio, spans
// recorded in memory, and the access log in the returned buffer.
func tracedEnv(t *testing.T, ratio float64) (*testEnv, *tracetest.SpanRecorder, *AccessLog, *apitest.SyncBuffer) {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	tp := telemetry.NewTracerProvider(ratio, sdktrace.WithSpanProcessor(rec))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	var out apitest.SyncBuffer
	a := NewAccessLog(&out, false)
	t.Cleanup(a.Close)
	e := newTestEnv(t, func(o *Options) { o.TracerProvider = tp; o.AccessLog = a })
	return e, rec, a, &out
}

func attr(s sdktrace.ReadOnlySpan, key string) attribute.Value {
	for _, kv := range s.Attributes() {
		if string(kv.Key) == key {
			return kv.Value
		}
	}
	return attribute.Value{}
}

// A request without a traceparent starts a trace: one server span named
// after the route, its traceparent on the response, its trace id in the
// access log line next to the request id.
func TestTracingStartsATrace(t *testing.T) {
	e, rec, a, out := tracedEnv(t, 1)
	resp := e.do(t, "POST", "/v1/cache/get", `{"dmap":"d","key":"k"}`, "X-Request-ID", "req-1")
	if resp.Code != http.StatusNotFound {
		t.Fatalf("status %d: %s", resp.Code, resp.Body)
	}
	spans := rec.Ended()
	if len(spans) != 1 {
		t.Fatalf("%d spans, want 1", len(spans))
	}
	s := spans[0]
	sc := s.SpanContext()
	if s.Name() != "POST /v1/cache/get" || s.Parent().IsValid() || !sc.IsSampled() {
		t.Errorf("span %q parent %v sampled %v; want a sampled root span POST /v1/cache/get", s.Name(), s.Parent(), sc.IsSampled())
	}
	if got := attr(s, "http.route").AsString(); got != "/v1/cache/get" {
		t.Errorf("http.route %q", got)
	}
	if got := attr(s, "http.response.status_code").AsInt64(); got != http.StatusNotFound {
		t.Errorf("http.response.status_code %d", got)
	}
	want := "00-" + sc.TraceID().String() + "-" + sc.SpanID().String() + "-01"
	if got := resp.Header().Get("Traceparent"); got != want {
		t.Errorf("response Traceparent %q, want %q", got, want)
	}
	a.Close()
	line := out.String()
	if !strings.Contains(line, `"request_id":"req-1"`) || !strings.Contains(line, `"trace_id":"`+sc.TraceID().String()+`"`) {
		t.Errorf("access log line lacks request_id req-1 and trace_id %s:\n%s", sc.TraceID(), line)
	}
}

// A client's traceparent is the parent of the server span: same trace id,
// and its sampled flag decides even when the ratio keeps nothing.
func TestTracingHonoursTraceparent(t *testing.T) {
	e, rec, _, _ := tracedEnv(t, 0)
	const trace, parent = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	resp := e.do(t, "GET", "/health", "", "Traceparent", "00-"+trace+"-"+parent+"-01")
	spans := rec.Ended()
	if len(spans) != 1 {
		t.Fatalf("%d spans, want 1 (a sampled parent is followed whatever the ratio)", len(spans))
	}
	s := spans[0]
	if s.SpanContext().TraceID().String() != trace || s.Parent().SpanID().String() != parent || !s.Parent().IsRemote() {
		t.Errorf("span trace %s parent %s; want trace %s under remote parent %s",
			s.SpanContext().TraceID(), s.Parent().SpanID(), trace, parent)
	}
	if got := resp.Header().Get("Traceparent"); !strings.HasPrefix(got, "00-"+trace+"-") || strings.Contains(got, parent) {
		t.Errorf("response Traceparent %q: want trace %s with the server's own span id", got, trace)
	}

	// Not sampled by the client, nor by the ratio (0): no span, but the
	// trace id still goes on (response header, access log).
	resp = e.do(t, "GET", "/health", "", "Traceparent", "00-"+trace+"-"+parent+"-00")
	if n := len(rec.Ended()); n != 1 {
		t.Errorf("%d spans after an unsampled request, want still 1", n)
	}
	if got := resp.Header().Get("Traceparent"); !strings.HasPrefix(got, "00-"+trace+"-") || !strings.HasSuffix(got, "-00") {
		t.Errorf("response Traceparent %q: want trace %s, not sampled", got, trace)
	}

	// A malformed traceparent is ignored: a new trace starts.
	resp = e.do(t, "GET", "/health", "", "Traceparent", "00-zz-"+parent+"-01")
	if got := resp.Header().Get("Traceparent"); len(got) != 55 || strings.Contains(got, trace) {
		t.Errorf("response Traceparent %q after a malformed one: want a new trace", got)
	}
}

// Without a tracer provider nothing changes: no header, no trace_id.
func TestTracingOff(t *testing.T) {
	var out apitest.SyncBuffer
	a := NewAccessLog(&out, false)
	e := newTestEnv(t, func(o *Options) { o.AccessLog = a })
	resp := e.do(t, "GET", "/health", "", "Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	a.Close()
	if got := resp.Header().Get("Traceparent"); got != "" {
		t.Errorf("response Traceparent %q with tracing off", got)
	}
	if strings.Contains(out.String(), "trace_id") {
		t.Errorf("access log has a trace_id with tracing off:\n%s", out.String())
	}
}
