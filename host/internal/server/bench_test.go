package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
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
	b.Run("httptest", func(b *testing.B) {
		h := newBenchEnv(b).srv.Handler()
		b.ReportAllocs()
		for b.Loop() {
			req := httptest.NewRequest(http.MethodPost, "/v1/cache/get", strings.NewReader(benchGetBody))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("get: %d %s", rec.Code, rec.Body)
			}
		}
	})
	b.Run("reused", func(b *testing.B) {
		h := newBenchEnv(b).srv.Handler()
		rd := strings.NewReader(benchGetBody)
		req := httptest.NewRequest(http.MethodPost, "/v1/cache/get", rd)
		req.Header.Set("X-Request-ID", "bench-request-1")
		w := apitest.NewDiscardWriter()
		b.ReportAllocs()
		for b.Loop() {
			rd.Reset(benchGetBody)
			w.Reset()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("get: %d", w.Code)
			}
		}
	})
}

// BenchmarkCacheGetHandlerParallel is the same under concurrency, which
// exercises the per-route metric caches.
func BenchmarkCacheGetHandlerParallel(b *testing.B) {
	h := newBenchEnv(b).srv.Handler()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodPost, "/v1/cache/get", strings.NewReader(benchGetBody))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Errorf("get: %d", rec.Code)
				return
			}
		}
	})
}
