package apitest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/orama-network/orama/sdk"
)

// Do sends a request through h and returns the recorded response; hdr
// are name/value pairs. A body is sent as application/json.
func Do(t testing.TB, h http.Handler, method, path, body string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// SyncBuffer is a bytes.Buffer safe for a logger and a test at once.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// JSONBody decodes a response body into a generic map.
func JSONBody(t testing.TB, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("response is not a JSON object: %v: %q", err, rec.Body.String())
	}
	return m
}

// WantError checks an error response of API.md.
func WantError(t testing.TB, rec *httptest.ResponseRecorder, status int, code sdk.Code, msg string) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d; body %s", rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	m := JSONBody(t, rec)
	if got, _ := m["error"].(string); !strings.Contains(got, msg) {
		t.Errorf("error %q, want it to contain %q", got, msg)
	}
	if code != "" && m["code"] != string(code) {
		t.Errorf("code %v, want %s", m["code"], code)
	}
	if id := rec.Header().Get("X-Request-ID"); id == "" || m["request_id"] != id {
		t.Errorf("request_id %v, header %q", m["request_id"], id)
	}
}

var HexID = regexp.MustCompile(`^[0-9a-f]{32}$`)

// WantBody checks a 2xx response's status, its exact body and its JSON
// Content-Type.
func WantBody(t testing.TB, rec *httptest.ResponseRecorder, status int, body string) {
	t.Helper()
	if rec.Code != status || rec.Body.String() != body {
		t.Fatalf("got %d %s\nwant %d %s", rec.Code, rec.Body, status, body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
}

// DiscardWriter is a ResponseWriter for benchmarks: it keeps only the
// status and throws the body away. Reset it between requests.
type DiscardWriter struct {
	H    http.Header
	Code int
}

// NewDiscardWriter returns a DiscardWriter with an empty header.
func NewDiscardWriter() *DiscardWriter { return &DiscardWriter{H: http.Header{}} }

// Reset forgets the previous request's header and status.
func (w *DiscardWriter) Reset() {
	clear(w.H)
	w.Code = 0
}

func (w *DiscardWriter) Header() http.Header { return w.H }

func (w *DiscardWriter) WriteHeader(code int) { w.Code = code }

func (w *DiscardWriter) Write(b []byte) (int, error) {
	if w.Code == 0 {
		w.Code = http.StatusOK
	}
	return io.Discard.Write(b)
}
