package client_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/client"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// received is one request as the test server saw it.
type received struct {
	Method, Path, ContentType, APIKey string
	Body                              map[string]any // nil when the request had no body
	RawBody                           string
}

// recorder is an httptest server that records requests and answers each
// with status and body.
type recorder struct {
	*httptest.Server
	status int
	body   string

	mu   sync.Mutex
	reqs []received
}

func newRecorder(t *testing.T, status int, body string) *recorder {
	t.Helper()
	r := &recorder{status: status, body: body}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		raw, err := io.ReadAll(req.Body)
		if err != nil {
			t.Errorf("read request body: %v", err)
		}
		rec := received{Method: req.Method, Path: req.URL.Path, ContentType: req.Header.Get("Content-Type"),
			APIKey: req.Header.Get("X-API-Key"), RawBody: string(raw)}
		if len(raw) > 0 {
			if err := json.Unmarshal(raw, &rec.Body); err != nil {
				t.Errorf("request body is not a JSON object: %q", raw)
			}
		}
		r.mu.Lock()
		r.reqs = append(r.reqs, rec)
		r.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(r.status)
		_, _ = io.WriteString(w, r.body)
	}))
	t.Cleanup(r.Close)
	return r
}

// only returns the one request the server received.
func (r *recorder) only(t *testing.T) received {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.reqs) != 1 {
		t.Fatalf("server received %d requests, want 1: %+v", len(r.reqs), r.reqs)
	}
	return r.reqs[0]
}

func checkRequest(t *testing.T, got received, method, path string, body map[string]any) {
	t.Helper()
	if got.Method != method || got.Path != path {
		t.Errorf("request %s %s, want %s %s", got.Method, got.Path, method, path)
	}
	if body != nil && got.ContentType != "application/json" {
		t.Errorf("Content-Type %q, want application/json", got.ContentType)
	}
	if !reflect.DeepEqual(got.Body, body) {
		t.Errorf("request body %s, want %v", got.RawBody, body)
	}
}

func TestCachePutSendsTTLAsDuration(t *testing.T) {
	srv := newRecorder(t, 200, `{"status":"ok","key":"u1","dmap":"sessions"}`)
	c := client.New(srv.URL).Cache()
	value := map[string]any{"user": "ada", "n": 1}
	if err := c.Put(t.Context(), "sessions", "u1", value, time.Minute); err != nil {
		t.Fatal(err)
	}
	checkRequest(t, srv.only(t), "POST", "/v1/cache/put", map[string]any{
		"dmap": "sessions", "key": "u1", "value": map[string]any{"user": "ada", "n": 1.0}, "ttl": "1m0s",
	})
}

func TestCachePutWithoutTTLOmitsIt(t *testing.T) {
	srv := newRecorder(t, 200, `{"status":"ok","key":"k","dmap":"d"}`)
	c := client.New(srv.URL).Cache()
	if err := c.Put(t.Context(), "d", "k", "plain string", 0); err != nil {
		t.Fatal(err)
	}
	got := srv.only(t)
	checkRequest(t, got, "POST", "/v1/cache/put", map[string]any{"dmap": "d", "key": "k", "value": "plain string"})
	if _, ok := got.Body["ttl"]; ok {
		t.Errorf("ttl sent although it is 0: %s", got.RawBody)
	}
}

func TestCachePutSubSecondTTL(t *testing.T) {
	srv := newRecorder(t, 200, `{"status":"ok"}`)
	if err := client.New(srv.URL).Cache().Put(t.Context(), "d", "k", 1, 1500*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if ttl := srv.only(t).Body["ttl"]; ttl != "1.5s" {
		t.Errorf("ttl %v, want 1.5s", ttl)
	}
}

func TestCacheGet(t *testing.T) {
	srv := newRecorder(t, 200, `{"key":"u1","value":{"user":"ada","visits":3},"dmap":"sessions"}`)
	c := client.New(srv.URL).Cache()
	var got struct {
		User   string `json:"user"`
		Visits int    `json:"visits"`
	}
	if err := c.Get(t.Context(), "sessions", "u1", &got); err != nil {
		t.Fatal(err)
	}
	checkRequest(t, srv.only(t), "POST", "/v1/cache/get", map[string]any{"dmap": "sessions", "key": "u1"})
	if got.User != "ada" || got.Visits != 3 {
		t.Errorf("decoded %+v", got)
	}
}

func TestCacheGetValueOfTheWrongShapeIsInvalid(t *testing.T) {
	srv := newRecorder(t, 200, `{"key":"k","value":"text","dmap":"d"}`)
	var n int
	e := plugintest.SDKError(t, client.New(srv.URL).Cache().Get(t.Context(), "d", "k", &n))
	if e.Code != sdk.CodeInvalid {
		t.Errorf("code %s, want invalid", e.Code)
	}
}

func TestCacheGetNotFound(t *testing.T) {
	srv := newRecorder(t, 404, `{"error":"key not found","code":"not_found","request_id":"r1"}`)
	var v any
	e := plugintest.SDKError(t, client.New(srv.URL).Cache().Get(t.Context(), "d", "missing", &v))
	if e.Code != sdk.CodeNotFound || e.Message != "key not found" {
		t.Errorf("got %+v, want not_found \"key not found\"", e)
	}
}

func TestCacheMGet(t *testing.T) {
	srv := newRecorder(t, 200, `{"results":[{"key":"a","value":1},{"key":"c","value":{"x":[true]}}],"dmap":"d"}`)
	got, err := client.New(srv.URL).Cache().MGet(t.Context(), "d", []string{"a", "b", "c"})
	if err != nil {
		t.Fatal(err)
	}
	checkRequest(t, srv.only(t), "POST", "/v1/cache/mget", map[string]any{"dmap": "d", "keys": []any{"a", "b", "c"}})
	if len(got) != 2 || got[0].Key != "a" || string(got[0].Value) != "1" || got[1].Key != "c" || string(got[1].Value) != `{"x":[true]}` {
		t.Errorf("MGet = %+v", got)
	}
}

func TestCacheDelete(t *testing.T) {
	srv := newRecorder(t, 200, `{"status":"ok","key":"k","dmap":"d"}`)
	if err := client.New(srv.URL).Cache().Delete(t.Context(), "d", "k"); err != nil {
		t.Fatal(err)
	}
	checkRequest(t, srv.only(t), "POST", "/v1/cache/delete", map[string]any{"dmap": "d", "key": "k"})
}

func TestCacheDeleteNotFound(t *testing.T) {
	srv := newRecorder(t, 404, `{"error":"key not found","code":"not_found"}`)
	e := plugintest.SDKError(t, client.New(srv.URL).Cache().Delete(t.Context(), "d", "k"))
	if e.Code != sdk.CodeNotFound || e.Message != "key not found" {
		t.Errorf("got %+v", e)
	}
}

func TestCacheScan(t *testing.T) {
	srv := newRecorder(t, 200, `{"keys":["user:1","user:2"],"count":2,"dmap":"d"}`)
	keys, err := client.New(srv.URL).Cache().Scan(t.Context(), "d", "^user:")
	if err != nil {
		t.Fatal(err)
	}
	checkRequest(t, srv.only(t), "POST", "/v1/cache/scan", map[string]any{"dmap": "d", "match": "^user:"})
	if !reflect.DeepEqual(keys, []string{"user:1", "user:2"}) {
		t.Errorf("Scan = %q", keys)
	}
}

func TestCacheHealth(t *testing.T) {
	srv := newRecorder(t, 200, `{"status":"ok","service":"olric"}`)
	driver, err := client.New(srv.URL).Cache().Health(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	checkRequest(t, srv.only(t), "GET", "/v1/cache/health", nil)
	if driver != "olric" {
		t.Errorf("Health = %q, want olric", driver)
	}
}

func TestCacheHealthDown(t *testing.T) {
	srv := newRecorder(t, 503, `{"error":"cache backend olric is down: no members","code":"unavailable"}`)
	_, err := client.New(srv.URL).Cache().Health(t.Context())
	if e := plugintest.SDKError(t, err); e.Code != sdk.CodeUnavailable || e.Message != "cache backend olric is down: no members" {
		t.Errorf("got %+v", e)
	}
}

func TestErrorBodies(t *testing.T) {
	cases := []struct {
		name    string
		status  int
		body    string
		code    sdk.Code
		message string
	}{
		{"code and message", 404, `{"error":"key not found","code":"not_found"}`, sdk.CodeNotFound, "key not found"},
		{"no code, 503", 503, `{"error":"cache plugin restarting"}`, sdk.CodeUnavailable, "cache plugin restarting"},
		{"no code, 413", 413, `{"error":"request body larger than 1048576 bytes"}`, sdk.CodeTooLarge, "request body larger than 1048576 bytes"},
		{"no code, 429", 429, `{"error":"slow down"}`, sdk.CodeRateLimited, "slow down"},
		{"no code, 401", 401, `{"error":"missing API key"}`, sdk.CodeUnauthorized, "missing API key"},
		{"code disagreeing with status", 503, `{"error":"x","code":"not_found"}`, sdk.CodeUnavailable, "x"},
		{"unknown code", 400, `{"error":"x","code":"bogus"}`, sdk.CodeInvalid, "x"},
		{"not JSON", 502, `<html>bad gateway</html>`, sdk.CodeInternal, "HTTP 502"},
		{"not JSON, 503", 503, `upstream down`, sdk.CodeUnavailable, "HTTP 503"},
		{"empty body", 403, ``, sdk.CodeForbidden, "HTTP 403"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := newRecorder(t, c.status, c.body)
			e := plugintest.SDKError(t, client.New(srv.URL).Cache().Delete(t.Context(), "d", "k"))
			if e.Code != c.code || e.Message != c.message {
				t.Errorf("got %+v, want {%s %q}", e, c.code, c.message)
			}
		})
	}
}

func TestConnectionRefusedIsUnavailable(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := lis.Addr().String()
	_ = lis.Close() // nothing listens there any more
	c := client.New("http://" + addr)
	e := plugintest.SDKError(t, c.Cache().Put(t.Context(), "d", "k", 1, 0))
	if e.Code != sdk.CodeUnavailable {
		t.Errorf("code %s (%s), want unavailable", e.Code, e.Message)
	}
	_, err = c.Health(t.Context())
	if e := plugintest.SDKError(t, err); e.Code != sdk.CodeUnavailable {
		t.Errorf("Health: code %s, want unavailable", e.Code)
	}
}

func TestWithAPIKey(t *testing.T) {
	srv := newRecorder(t, 200, `{"status":"ok"}`)
	if err := client.New(srv.URL, client.WithAPIKey("ak_abc:tenant1")).Cache().Delete(t.Context(), "d", "k"); err != nil {
		t.Fatal(err)
	}
	if got := srv.only(t).APIKey; got != "ak_abc:tenant1" {
		t.Errorf("X-API-Key = %q", got)
	}

	srv = newRecorder(t, 200, `{"status":"ok"}`)
	if err := client.New(srv.URL).Cache().Delete(t.Context(), "d", "k"); err != nil {
		t.Fatal(err)
	}
	if got := srv.only(t).APIKey; got != "" {
		t.Errorf("X-API-Key = %q without WithAPIKey", got)
	}
}

func TestTrailingSlashInBaseURL(t *testing.T) {
	srv := newRecorder(t, 200, `{"status":"ok","service":"olric"}`)
	if _, err := client.New(srv.URL + "/").Cache().Health(t.Context()); err != nil {
		t.Fatal(err)
	}
	if p := srv.only(t).Path; p != "/v1/cache/health" {
		t.Errorf("path %q", p)
	}
}

func TestWithHTTPClient(t *testing.T) {
	srv := newRecorder(t, 200, `{"status":"ok"}`)
	var used bool
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		used = true
		return http.DefaultTransport.RoundTrip(r)
	})}
	if err := client.New(srv.URL, client.WithHTTPClient(hc)).Cache().Delete(t.Context(), "d", "k"); err != nil {
		t.Fatal(err)
	}
	if !used {
		t.Error("the http.Client given to WithHTTPClient was not used")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
