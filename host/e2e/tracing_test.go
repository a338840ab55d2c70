package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"

	"github.com/orama-network/orama/sdk/serverless/serverlesstest"
)

// traceOf splits a traceparent header into its trace id and span id.
func traceOf(t *testing.T, tp string) (traceID, spanID string) {
	t.Helper()
	parts := strings.Split(tp, "-")
	if len(parts) != 4 || len(parts[1]) != 32 || len(parts[2]) != 16 {
		t.Fatalf("response Traceparent %q is not a W3C traceparent", tp)
	}
	return parts[1], parts[2]
}

// accessLine returns the host's access log line of the request with id.
func accessLine(t *testing.T, h *host, id string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		for _, line := range strings.Split(h.logs.String(), "\n") {
			if !strings.Contains(line, `"request_id":"`+id+`"`) || !strings.Contains(line, `"@message":"request"`) {
				continue
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatalf("access line %q: %v", line, err)
			}
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("no access log line with request_id %s; log:\n%s", id, tail(h.logs.String(), 50))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestTracingAcrossThePluginBoundary: one request's trace holds the host's
// server span and, from the plugin process, the plugin's server span
// (its child) and the span of the backend call (Olric, SQLite) under that,
// all exported by OTLP to a receiver; a client's traceparent is honoured;
// the access log line carries the request id and the trace id together.
func TestTracingAcrossThePluginBoundary(t *testing.T) {
	t.Setenv("OTEL_BSP_SCHEDULE_DELAY", "100") // export every 100 ms (host and plugins)
	r := startReceiver(t)
	h := startHost(t, func(port int) string {
		return configText(port, cacheBlock(bins.cache, "")+sqliteBlock()) + telemetryBlock(r, "1.0")
	})

	resp, body := h.request(http.MethodPost, "/v1/cache/put", strings.NewReader(`{"dmap":"traced","key":"k","value":1}`),
		"Content-Type", "application/json", "X-Request-ID", "trace-e2e-put")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("put: %d %s", resp.StatusCode, body)
	}
	traceID, hostSpanID := traceOf(t, resp.Header.Get("Traceparent"))
	trace := r.waitTrace(t, traceID, 20*time.Second,
		func(s span) bool { return s.service == "orama" && s.id == hostSpanID },
		func(s span) bool { return s.service == "orama-plugin-cache" && s.name == "olric.put" },
		func(s span) bool { return s.service == "orama-plugin-cache" && s.name == "orama.cache.v1.Cache/Put" })
	host, _ := named(trace, "orama", "POST /v1/cache/put")
	if host.id != hostSpanID || host.parent != "" || host.kind != tracepb.Span_SPAN_KIND_SERVER ||
		host.attrs["http.route"] != "/v1/cache/put" || host.attrs["http.response.status_code"] != "200" {
		t.Errorf("host span %+v: want the root server span POST /v1/cache/put, status 200, id %s", host, hostSpanID)
	}
	server, ok := named(trace, "orama-plugin-cache", "orama.cache.v1.Cache/Put")
	if !ok || server.parent != hostSpanID || server.kind != tracepb.Span_SPAN_KIND_SERVER {
		t.Errorf("plugin server span %+v: want orama.cache.v1.Cache/Put, child of the host span %s; trace %+v", server, hostSpanID, trace)
	}
	olric, _ := named(trace, "orama-plugin-cache", "olric.put")
	if olric.parent != server.id || olric.kind != tracepb.Span_SPAN_KIND_CLIENT || olric.attrs["olric.dmap"] != "traced" {
		t.Errorf("olric span %+v: want a client span under the plugin's server span %s", olric, server.id)
	}
	line := accessLine(t, h, "trace-e2e-put")
	if line["trace_id"] != traceID {
		t.Errorf("access line %v: trace_id %v, want %s next to request_id trace-e2e-put", line, line["trace_id"], traceID)
	}

	// A client's traceparent: the request joins the client's trace, under
	// the client's span, and so does the plugin's work (SQLite here).
	const clientTrace, clientSpan = "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"
	resp, body = h.request(http.MethodPost, "/v1/rqlite/query", strings.NewReader(`{"sql":"SELECT 1"}`),
		"Content-Type", "application/json", "Traceparent", "00-"+clientTrace+"-"+clientSpan+"-01")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("query: %d %s", resp.StatusCode, body)
	}
	if got, _ := traceOf(t, resp.Header.Get("Traceparent")); got != clientTrace {
		t.Errorf("response Traceparent in trace %s, want the client's %s", got, clientTrace)
	}
	trace = r.waitTrace(t, clientTrace, 20*time.Second,
		func(s span) bool { return s.service == "orama" && s.name == "POST /v1/rqlite/query" },
		func(s span) bool { return s.service == "orama-plugin-database" && s.name == "sqlite.query" },
		func(s span) bool {
			return s.service == "orama-plugin-database" && s.name == "orama.database.v1.Database/Query"
		})
	host, _ = named(trace, "orama", "POST /v1/rqlite/query")
	if host.parent != clientSpan {
		t.Errorf("host span %+v: want the child of the client's span %s", host, clientSpan)
	}
	query, _ := named(trace, "orama-plugin-database", "sqlite.query")
	server, _ = named(trace, "orama-plugin-database", "orama.database.v1.Database/Query")
	if server.parent != host.id || query.parent != server.id || query.attrs["db.system"] != "sqlite" {
		t.Errorf("database spans: server %+v under %s, query %+v under it", server, host.id, query)
	}
}

// TestTracingOffExportsNothing: without a telemetry block the gateway
// exports no span (not even for a client's sampled traceparent), sets no
// Traceparent and logs no trace_id. The host is stopped before the check,
// so any span it or a plugin had queued would have been flushed.
func TestTracingOffExportsNothing(t *testing.T) {
	t.Setenv("OTEL_BSP_SCHEDULE_DELAY", "100")
	r := startReceiver(t)
	// The receiver is where OTel's standard variable points: the gateway
	// must not export on its own.
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://"+r.addr)
	h := startHost(t, func(port int) string { return configText(port, cacheBlock(bins.cache, "")) })
	resp, body := h.request(http.MethodPost, "/v1/cache/put", strings.NewReader(`{"dmap":"d","key":"k","value":1}`),
		"Content-Type", "application/json", "X-Request-ID", "untraced",
		"Traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("put: %d %s", resp.StatusCode, body)
	}
	if tp := resp.Header.Get("Traceparent"); tp != "" {
		t.Errorf("response Traceparent %q with tracing off", tp)
	}
	if line := accessLine(t, h, "untraced"); line["trace_id"] != nil {
		t.Errorf("access line %v has a trace_id with tracing off", line)
	}
	h.stop()
	if spans := r.all(); len(spans) != 0 {
		t.Errorf("%d spans exported with tracing off: %+v", len(spans), spans)
	}
}

// TestTracingThroughTheHostAPI: a function's database call goes from the
// serverless plugin through the host (the host API) to the database
// plugin, and stays in the request's trace: sqlite.query in the database
// plugin descends, through the host's span of the hop, from wazero.run in
// the serverless plugin.
func TestTracingThroughTheHostAPI(t *testing.T) {
	t.Setenv("OTEL_BSP_SCHEDULE_DELAY", "100")
	r := startReceiver(t)
	h := startFnHostBlocks(t, "", "", telemetryBlock(r, "0"))
	wantStatus(t, "create-table", h.send(http.MethodPost, "/v1/rqlite/create-table", map[string]string{"schema": "CREATE TABLE t (n INTEGER)"}, h.alpha...), 201)
	wantStatus(t, "insert", h.send(http.MethodPost, "/v1/rqlite/exec", map[string]string{"sql": "INSERT INTO t (n) VALUES (1),(2)"}, h.alpha...), 200)
	h.mustDeploy("db", serverlesstest.Module(t, "host_db"))

	// Sampling 0 keeps nothing of its own: this trace is kept because the
	// client's traceparent says so.
	const clientTrace, clientSpan = "5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174"
	resp := h.invoke("/v1/functions/db/invoke", "", append(h.alpha, "Traceparent", "00-"+clientTrace+"-"+clientSpan+"-01")...)
	if resp.code != http.StatusOK {
		t.Fatalf("invoke: %s", resp)
	}
	// Every process exports on its own schedule: wait for each span the
	// checks below look at (the host's end after the response is sent).
	trace := r.waitTrace(t, clientTrace, 20*time.Second,
		func(s span) bool { return s.service == "orama-plugin-serverless" && s.name == "wazero.run" },
		func(s span) bool { return fnQuery(s) },
		func(s span) bool { return s.service == "orama" && s.name == "POST /v1/functions/:name/invoke" },
		func(s span) bool {
			return s.service == "orama" && strings.HasPrefix(s.name, "orama.database.v1.Database/")
		})
	byID := map[string]span{}
	for _, s := range trace {
		byID[s.id] = s
	}
	var chain []string
	for _, s := range trace {
		if !fnQuery(s) {
			continue
		}
		for cur, ok := s, true; ok; cur, ok = byID[cur.parent] {
			chain = append(chain, cur.service+":"+cur.name)
		}
		break
	}
	// sqlite.* of the function's namespace (the plugin's own metadata
	// reads are in its system namespace, straight under Invoke) ←
	// Database/… (database plugin) ← Database/… (host hop) ←
	// wazero.run ← … (serverless plugin) ← POST … (host) ← the client.
	joined := strings.Join(chain, " ← ")
	for _, want := range []string{"orama-plugin-database:orama.database.v1.Database/", "orama:orama.database.v1.Database/",
		"orama-plugin-serverless:wazero.run", "orama:POST /v1/functions/:name/invoke"} {
		if !strings.Contains(joined, want) {
			t.Errorf("the database span's ancestry lacks %q: %s", want, joined)
		}
	}
	if root, ok := named(trace, "orama", "POST /v1/functions/:name/invoke"); !ok || root.parent != clientSpan {
		t.Errorf("host request span %+v: want the child of the client's span %s", root, clientSpan)
	}
}

// fnQuery: a statement of the function's namespace (alpha) in the
// database plugin.
func fnQuery(s span) bool {
	return s.service == "orama-plugin-database" && strings.HasPrefix(s.name, "sqlite.") && s.attrs["db.namespace"] == "alpha"
}
