package e2e

import (
	"context"
	"encoding/hex"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/grpc"
)

// receiver is an in-process OTLP/gRPC trace receiver: what a collector
// (Jaeger, Tempo, the OpenTelemetry Collector) is to the gateway.
type receiver struct {
	collectortrace.UnimplementedTraceServiceServer
	addr string

	mu    sync.Mutex
	spans []span
}

// span is one exported span with the service.name of its process.
type span struct {
	service             string
	name                string
	kind                tracepb.Span_SpanKind
	traceID, id, parent string // hex; parent "" for a root
	attrs               map[string]string
	statusCode          tracepb.Status_StatusCode
}

// startReceiver serves a receiver on a free port until t ends.
func startReceiver(t *testing.T) *receiver {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &receiver{addr: ln.Addr().String()}
	s := grpc.NewServer()
	collectortrace.RegisterTraceServiceServer(s, r)
	go func() { _ = s.Serve(ln) }()
	t.Cleanup(s.Stop)
	return r
}

func (r *receiver) Export(_ context.Context, req *collectortrace.ExportTraceServiceRequest) (*collectortrace.ExportTraceServiceResponse, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, rs := range req.ResourceSpans {
		var service string
		for _, kv := range rs.GetResource().GetAttributes() {
			if kv.Key == "service.name" {
				service = kv.Value.GetStringValue()
			}
		}
		for _, ss := range rs.ScopeSpans {
			for _, s := range ss.Spans {
				attrs := map[string]string{}
				for _, kv := range s.Attributes {
					attrs[kv.Key] = anyValue(kv.Value)
				}
				r.spans = append(r.spans, span{service: service, name: s.Name, kind: s.Kind,
					traceID: hex.EncodeToString(s.TraceId), id: hex.EncodeToString(s.SpanId),
					parent: hex.EncodeToString(s.ParentSpanId), attrs: attrs, statusCode: s.GetStatus().GetCode()})
			}
		}
	}
	return &collectortrace.ExportTraceServiceResponse{}, nil
}

func anyValue(v *commonpb.AnyValue) string {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return x.StringValue
	case *commonpb.AnyValue_IntValue:
		return strconv.FormatInt(x.IntValue, 10)
	case *commonpb.AnyValue_BoolValue:
		return strconv.FormatBool(x.BoolValue)
	}
	return v.String()
}

// all returns the spans received so far.
func (r *receiver) all() []span {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]span(nil), r.spans...)
}

// waitTrace waits (up to limit) until the spans of traceID include one
// matching each of want, and returns the trace's spans.
func (r *receiver) waitTrace(t *testing.T, traceID string, limit time.Duration, want ...func(span) bool) []span {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		var trace []span
		for _, s := range r.all() {
			if s.traceID == traceID {
				trace = append(trace, s)
			}
		}
		missing := 0
		for _, w := range want {
			found := false
			for _, s := range trace {
				found = found || w(s)
			}
			if !found {
				missing++
			}
		}
		if missing == 0 {
			return trace
		}
		if time.Now().After(deadline) {
			t.Fatalf("trace %s: %d of the %d spans looked for never arrived; got %+v", traceID, missing, len(want), trace)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// named finds the span of trace with this service and name.
func named(trace []span, service, name string) (span, bool) {
	for _, s := range trace {
		if s.service == service && s.name == name {
			return s, true
		}
	}
	return span{}, false
}

// telemetryBlock is a telemetry block exporting to r at ratio.
func telemetryBlock(r *receiver, ratio string) string {
	return "telemetry {\n  otlp_endpoint  = \"" + r.addr + "\"\n  sampling_ratio = " + ratio + "\n}\n"
}
