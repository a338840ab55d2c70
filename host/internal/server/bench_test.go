package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
)

// BenchmarkCacheGetHandler measures a cache get through the full chain:
// every middleware, the router, the handler and the fake cache.
func BenchmarkCacheGetHandler(b *testing.B) {
	e := newTestEnv(b, func(o *Options) { o.Logger = hclog.NewNullLogger() })
	if rec := e.do(b, "POST", "/v1/cache/put", `{"dmap":"users","key":"u1","value":{"name":"ada","age":36}}`); rec.Code != 200 {
		b.Fatalf("put: %d %s", rec.Code, rec.Body)
	}
	h := e.srv.Handler()
	const body = `{"dmap":"users","key":"u1"}`
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/v1/cache/get", strings.NewReader(body))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("get: %d %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkCacheGetHandlerParallel is the same under concurrency, which
// exercises the per-route metric caches.
func BenchmarkCacheGetHandlerParallel(b *testing.B) {
	e := newTestEnv(b, func(o *Options) { o.Logger = hclog.NewNullLogger() })
	e.do(b, "POST", "/v1/cache/put", `{"dmap":"users","key":"u1","value":{"name":"ada"}}`)
	h := e.srv.Handler()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(http.MethodPost, "/v1/cache/get", strings.NewReader(`{"dmap":"users","key":"u1"}`))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Errorf("get: %d", rec.Code)
				return
			}
		}
	})
}
