package server

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/sdk"
)

func TestRequestID(t *testing.T) {
	e := newTestEnv(t, nil)

	rec := e.do(t, "GET", "/v1/version", "", "X-Request-ID", "client-id_1.2")
	if got := rec.Header().Get("X-Request-ID"); got != "client-id_1.2" {
		t.Errorf("sane id not echoed: %q", got)
	}

	generated := map[string]bool{}
	for _, bad := range []string{"", "has space", "semi;colon", strings.Repeat("a", 129), "ünïcode"} {
		rec := e.do(t, "GET", "/v1/version", "", "X-Request-ID", bad)
		got := rec.Header().Get("X-Request-ID")
		if !apitest.HexID.MatchString(got) {
			t.Errorf("id for %q: %q, want generated hex", bad, got)
		}
		generated[got] = true
	}
	if len(generated) != 5 {
		t.Errorf("generated ids repeat: %v", generated)
	}
	if got := e.do(t, "GET", "/v1/version", "", "X-Request-ID", strings.Repeat("a", 128)).Header().Get("X-Request-ID"); got != strings.Repeat("a", 128) {
		t.Errorf("128-char id not echoed: %q", got)
	}

	// Error bodies carry the same id, and so do the log lines.
	rec = e.do(t, "POST", "/v1/cache/get", `{}`, "X-Request-ID", "abc-123")
	if m := apitest.JSONBody(t, rec); m["request_id"] != "abc-123" {
		t.Errorf("body request_id %v", m["request_id"])
	}
	if logs := e.logs.String(); !strings.Contains(logs, "request_id=abc-123") {
		t.Errorf("access log lacks the request id:\n%s", logs)
	}
}

func TestAccessLogUsesRoutePattern(t *testing.T) {
	e := newTestEnv(t, nil)
	e.do(t, "POST", "/v1/cache/get", `{"dmap":"d","key":"k"}`, "X-Request-ID", "log-1")
	e.do(t, "GET", "/no/such/path/123", "", "X-Request-ID", "log-2")
	logs := e.logs.String()
	for _, want := range []string{
		"method=POST route=/v1/cache/get status=404", "request_id=log-1",
		"route=unmatched status=404", "request_id=log-2", "remote=192.0.2.1:1234",
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
	if strings.Contains(logs, "/no/such/path/123") {
		t.Errorf("log carries a raw path:\n%s", logs)
	}
}

func TestRecover(t *testing.T) {
	e := newTestEnv(t, nil)
	h := e.srv.chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("boom")
	}))
	req := httptest.NewRequest("GET", "/panic", nil)
	req.Header.Set("X-Request-ID", "panic-1")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	apitest.WantError(t, rec, 500, sdk.CodeInternal, "internal error")
	if strings.Contains(rec.Body.String(), "boom") {
		t.Errorf("panic value leaked: %s", rec.Body)
	}
	logs := e.logs.String()
	for _, want := range []string{"panic serving request", "request_id=panic-1", "boom", "middleware_test.go",
		"status=500"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}

	// The server lives on.
	if rec := e.do(t, "GET", "/v1/version", ""); rec.Code != 200 {
		t.Errorf("after panic: %d", rec.Code)
	}
}

func TestRecoverAfterResponseStarted(t *testing.T) {
	e := newTestEnv(t, nil)
	ts := httptest.NewServer(e.srv.chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(200)
		_, _ = io.WriteString(w, "partial")
		panic("late boom")
	})))
	defer ts.Close()
	resp, err := http.Get(ts.URL)
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if err == nil {
		t.Fatal("a response cut short by a panic read as complete")
	}
	if !strings.Contains(e.logs.String(), "late boom") {
		t.Error("late panic not logged")
	}
}

func TestCORS(t *testing.T) {
	e := newTestEnv(t, nil)

	preflight := func(origin string) *httptest.ResponseRecorder {
		return e.do(t, "OPTIONS", "/v1/cache/get", "", "Origin", origin,
			"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type,x-api-key")
	}
	rec := preflight("https://app.example")
	h := rec.Header()
	if rec.Code != 204 || h.Get("Access-Control-Allow-Origin") != "https://app.example" {
		t.Fatalf("allowed preflight: %d %v", rec.Code, h)
	}
	for _, want := range []string{"Content-Type", "Authorization", "X-API-Key", "X-Request-ID"} {
		if !strings.Contains(h.Get("Access-Control-Allow-Headers"), want) {
			t.Errorf("Allow-Headers %q lacks %s", h.Get("Access-Control-Allow-Headers"), want)
		}
	}
	if !strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") || h.Get("Access-Control-Max-Age") == "" {
		t.Errorf("preflight headers %v", h)
	}
	if !strings.Contains(strings.Join(h.Values("Vary"), ","), "Origin") {
		t.Errorf("Vary %v", h.Values("Vary"))
	}
	if h.Get("X-Request-ID") == "" {
		t.Error("preflight without X-Request-ID")
	}

	rec = preflight("https://evil.example")
	if rec.Code != 204 || rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("denied preflight: %d %v", rec.Code, rec.Header())
	}

	// Simple requests.
	rec = e.do(t, "GET", "/v1/version", "", "Origin", "https://APP.example")
	if rec.Code != 200 || rec.Header().Get("Access-Control-Allow-Origin") != "https://APP.example" {
		t.Errorf("allowed origin: %v", rec.Header())
	}
	if !strings.Contains(rec.Header().Get("Access-Control-Expose-Headers"), "X-Request-ID") {
		t.Errorf("expose headers: %v", rec.Header())
	}
	rec = e.do(t, "GET", "/v1/version", "", "Origin", "https://evil.example")
	if rec.Code != 200 || rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("denied origin: %v", rec.Header())
	}

	// "*" allows any origin, echoed.
	e = newTestEnv(t, func(o *Options) { o.CORSOrigins = []string{"*"} })
	rec = preflight("https://anything.example")
	if rec.Code != 204 || rec.Header().Get("Access-Control-Allow-Origin") != "https://anything.example" {
		t.Errorf("wildcard preflight: %d %v", rec.Code, rec.Header())
	}

	// No origins configured: no CORS at all; OPTIONS is answered by the router.
	e = newTestEnv(t, func(o *Options) { o.CORSOrigins = nil })
	rec = preflight("https://app.example")
	if rec.Header().Get("Access-Control-Allow-Origin") != "" || rec.Header().Get("Allow") == "" {
		t.Errorf("CORS disabled: %d %v", rec.Code, rec.Header())
	}
}

func TestBodyLimitContentLength(t *testing.T) {
	e := newTestEnv(t, func(o *Options) { o.MaxBodyBytes = 64 })
	body := `{"dmap":"d","key":"k","value":"` + strings.Repeat("x", 100) + `"}`
	rec := e.do(t, "POST", "/v1/cache/put", body)
	apitest.WantError(t, rec, 413, sdk.CodeTooLarge, "larger than 64 bytes")
	if _, err := e.cache.Get(t.Context(), "default", "d", "k"); err == nil {
		t.Error("an oversized put was stored")
	}
	// At the limit is fine.
	small := `{"dmap":"d","key":"k","value":1}`
	if rec := e.do(t, "POST", "/v1/cache/put", small); rec.Code != 200 {
		t.Errorf("small body: %d %s", rec.Code, rec.Body)
	}
}

// hideLen hides a reader's length so the client streams it chunked.
type hideLen struct{ io.Reader }

func TestBodyLimitChunked(t *testing.T) {
	e := newTestEnv(t, func(o *Options) { o.MaxBodyBytes = 64 })
	seen := make(chan []string, 1)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.TransferEncoding
		e.srv.Handler().ServeHTTP(w, r)
	}))
	defer ts.Close()

	body := `{"dmap":"d","key":"k","value":"` + strings.Repeat("x", 1000) + `"}`
	req, err := http.NewRequest("POST", ts.URL+"/v1/cache/put", hideLen{strings.NewReader(body)})
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Request-ID", "chunked-1")
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if chunked := <-seen; len(chunked) == 0 || chunked[0] != "chunked" {
		t.Fatalf("request was not chunked: %v", chunked)
	}
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 413 || !strings.Contains(string(got), `"code":"too_large"`) ||
		!strings.Contains(string(got), `"request_id":"chunked-1"`) {
		t.Fatalf("%d %s", resp.StatusCode, got)
	}
	if _, err := e.cache.Get(t.Context(), "default", "d", "k"); err == nil {
		t.Error("an oversized put was stored")
	}
}

func TestNotFoundAndMethodNotAllowed(t *testing.T) {
	e := newTestEnv(t, nil)
	apitest.WantError(t, e.do(t, "GET", "/v1/nope", ""), 404, sdk.CodeNotFound, "not found")
	if m := apitest.JSONBody(t, e.do(t, "GET", "/v1/nope", "")); m["error"] != "not found" {
		t.Errorf("404 body %v", m)
	}
	// No redirects for a trailing slash: an API answers 404.
	apitest.WantError(t, e.do(t, "POST", "/v1/cache/get/", `{}`), 404, sdk.CodeNotFound, "not found")

	rec := e.do(t, "GET", "/v1/cache/get", "")
	apitest.WantError(t, rec, 405, "", "method not allowed")
	if allow := rec.Header().Get("Allow"); !strings.Contains(allow, "POST") {
		t.Errorf("Allow %q", allow)
	}
	rec = e.do(t, "DELETE", "/health", "")
	apitest.WantError(t, rec, 405, "", "method not allowed")
}

func TestErrorAdapter(t *testing.T) {
	e := newTestEnv(t, nil)
	cases := []struct {
		err    error
		status int
		code   sdk.Code
		msg    string
	}{
		{sdk.Errorf(sdk.CodeConflict, "exists"), 409, sdk.CodeConflict, "exists"},
		{sdk.Errorf(sdk.CodeInternal, "db password wrong"), 500, sdk.CodeInternal, "internal error"},
		{errors.New("secret detail"), 500, sdk.CodeInternal, "internal error"},
		{&sdk.Error{Code: "weird", Message: "x"}, 500, sdk.CodeInternal, "internal error"},
		{sdk.Errorf(sdk.CodeRateLimited, "slow down"), 429, sdk.CodeRateLimited, "slow down"},
		{&http.MaxBytesError{Limit: 10}, 413, sdk.CodeTooLarge, "larger than 10 bytes"},
	}
	for _, c := range cases {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", "/", nil)
		e.srv.chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			e.srv.writeError(w, r, c.err)
		})).ServeHTTP(rec, req)
		apitest.WantError(t, rec, c.status, c.code, c.msg)
		if strings.Contains(rec.Body.String(), "secret") || strings.Contains(rec.Body.String(), "password") {
			t.Errorf("internal detail leaked: %s", rec.Body)
		}
	}
	if !strings.Contains(e.logs.String(), "secret detail") {
		t.Error("internal error not logged")
	}
}

func TestNamespaceFrom(t *testing.T) {
	if _, err := api.Namespace(t.Context()); sdk.AsError(err).Code != sdk.CodeInternal {
		t.Errorf("no namespace: %v", err)
	}
	e := newTestEnv(t, nil)
	var got string
	e.srv.chain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = api.Namespace(r.Context())
	})).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	if got != "default" {
		t.Errorf("namespace %q", got)
	}
}
