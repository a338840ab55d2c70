package server

import (
	"context"
	"net/http"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/orama-network/orama/sdk/telemetry"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/host/internal/api/apitest"
)

const benchGetBody = `{"dmap":"users","key":"u1"}`

func newBenchEnv(b *testing.B) *testEnv {
	e := newTestEnv(b, func(o *Options) { o.Logger = hclog.NewNullLogger() })
	if rec := e.do(b, "POST", "/v1/cache/put", `{"dmap":"users","key":"u1","value":{"name":"ada","age":36}}`); rec.Code != 200 {
		b.Fatalf("put: %d %s", rec.Code, rec.Body)
	}
	return e
}

// BenchmarkCacheGetHandler measures a cache get through the full chain:
// every middleware, the router, the handler and the fake cache.
//
// "httptest" builds a request and recorder per iteration, as a test would;
// "reused" reuses both, so what it reports is the gateway's own cost.
func BenchmarkCacheGetHandler(b *testing.B) {
	apitest.BenchHandler(b, func(b *testing.B) http.Handler { return newBenchEnv(b).srv.Handler() },
		http.MethodPost, "/v1/cache/get", benchGetBody)
}

// BenchmarkCacheGetHandlerParallel is the same under concurrency, which
// exercises the per-route metric caches.
func BenchmarkCacheGetHandlerParallel(b *testing.B) {
	apitest.BenchParallel(b, newBenchEnv(b).srv.Handler(), http.MethodPost, "/v1/cache/get", benchGetBody)
}

// BenchmarkCacheGetTracing is BenchmarkCacheGetHandlerParallel with
// tracing off and on at two sampling ratios; spans go to a batcher whose
// exporter discards them (BENCHMARKS.md, Tracing overhead).
func BenchmarkCacheGetTracing(b *testing.B) {
	for _, c := range []struct {
		name  string
		ratio float64
	}{{"off", -1}, {"ratio0.1", 0.1}, {"ratio1", 1}} {
		b.Run(c.name, func(b *testing.B) {
			var tp trace.TracerProvider
			if c.ratio >= 0 {
				p := telemetry.NewTracerProvider(c.ratio, sdktrace.WithBatcher(tracetest.NewNoopExporter()))
				b.Cleanup(func() { _ = p.Shutdown(context.Background()) })
				tp = p
			}
			e := newTestEnv(b, func(o *Options) { o.Logger = hclog.NewNullLogger(); o.TracerProvider = tp })
			e.do(b, "POST", "/v1/cache/put", `{"dmap":"users","key":"u1","value":1}`)
			apitest.BenchParallel(b, e.srv.Handler(), http.MethodPost, "/v1/cache/get", benchGetBody)
		})
	}
}
