package server

import (
	"net/http"
	"testing"

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
