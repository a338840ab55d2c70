package apitest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchHandler measures one request (method, path, body) through the
// handler newHandler returns, which must answer 200. Its sub-benchmark
// "httptest" builds a request and a recorder per iteration, as a test
// would; "reused" reuses both (a DiscardWriter, X-Request-ID set), so
// what it reports is the handler's own cost. Each sub-benchmark gets its
// own handler.
func BenchHandler(b *testing.B, newHandler func(*testing.B) http.Handler, method, path, body string) {
	b.Run("httptest", func(b *testing.B) {
		h := newHandler(b)
		b.ReportAllocs()
		for b.Loop() {
			req := httptest.NewRequest(method, path, strings.NewReader(body))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
			}
		}
	})
	b.Run("reused", func(b *testing.B) {
		h := newHandler(b)
		rd := strings.NewReader(body)
		req := httptest.NewRequest(method, path, rd)
		req.Header.Set("X-Request-ID", "bench-request-1")
		w := NewDiscardWriter()
		b.ReportAllocs()
		for b.Loop() {
			rd.Reset(body)
			w.Reset()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("%s: %d", path, w.Code)
			}
		}
	})
}

// BenchParallel measures the same request through h from every P
// (b.RunParallel), with a new request and recorder per iteration; h must
// answer 200.
func BenchParallel(b *testing.B, h http.Handler, method, path, body string) {
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest(method, path, strings.NewReader(body))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Errorf("%s: %d", path, rec.Code)
				return
			}
		}
	})
}
