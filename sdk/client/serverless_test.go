package client_test

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/client"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/serverless"
)

// rawRequest is one request as the raw test server saw it.
type rawRequest struct {
	Method, URI string // URI: path and query, as sent
	Header      http.Header
	Body        []byte
}

// rawServer answers every request with status, header and body, and
// records what it got.
type rawServer struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []rawRequest
}

func newRawServer(t *testing.T, status int, header map[string]string, body string) *rawServer {
	t.Helper()
	s := &rawServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("read request body: %v", err)
		}
		s.mu.Lock()
		s.reqs = append(s.reqs, rawRequest{Method: r.Method, URI: r.URL.RequestURI(), Header: r.Header.Clone(), Body: raw})
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(s.Close)
	return s
}

// only returns the one request the server received.
func (s *rawServer) only(t *testing.T) rawRequest {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.reqs) != 1 {
		t.Fatalf("server received %d requests, want 1", len(s.reqs))
	}
	return s.reqs[0]
}

// none fails unless the server received nothing.
func (s *rawServer) none(t *testing.T) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.reqs) != 0 {
		t.Errorf("server received %d requests, want none", len(s.reqs))
	}
}

func wantRequest(t *testing.T, got rawRequest, method, uri string) {
	t.Helper()
	if got.Method != method || got.URI != uri {
		t.Errorf("request %s %s, want %s %s", got.Method, got.URI, method, uri)
	}
}

const functionJSON = `{"id":"fn_1","name":"hello","namespace":"ns","version":2,"wasm_cid":"bafy1",
	"is_public":true,"memory_limit_mb":32,"timeout_seconds":5,"retry_count":1,"retry_delay_seconds":2,
	"env_vars":{"A":"1"},"status":"active","created_at":"2030-01-02T03:04:05.678Z","updated_at":"2030-01-02T03:04:06Z"}`

var wantFunction = client.Function{ID: "fn_1", Name: "hello", Namespace: "ns", Version: 2, WASMCID: "bafy1",
	IsPublic: true, MemoryLimitMB: 32, TimeoutSeconds: 5, RetryCount: 1, RetryDelaySeconds: 2,
	EnvVars: map[string]string{"A": "1"}, Status: "active",
	CreatedAt: time.Date(2030, 1, 2, 3, 4, 5, 678e6, time.UTC), UpdatedAt: time.Date(2030, 1, 2, 3, 4, 6, 0, time.UTC)}

// form parses a deploy request: its fields and the wasm file.
func form(t *testing.T, r rawRequest) (map[string]string, []byte) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("Content-Type %q, want multipart/form-data", r.Header.Get("Content-Type"))
	}
	mr := multipart.NewReader(bytes.NewReader(r.Body), params["boundary"])
	fields := map[string]string{}
	var file []byte
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		if p.FormName() == "wasm" {
			if p.FileName() == "" {
				t.Error("the wasm part is not a file")
			}
			file = b
			continue
		}
		fields[p.FormName()] = string(b)
	}
	return fields, file
}

func TestServerlessDeploy(t *testing.T) {
	srv := newRawServer(t, 201, nil, `{"message":"Function deployed successfully","function":`+functionJSON+`}`)
	c := client.New(srv.URL, client.WithAPIKey("ak_x:ns")).Serverless()
	module := []byte("\x00asm\x01\x00\x00\x00 module bytes \xff")
	def := serverless.Definition{Name: "hello", IsPublic: true, MemoryLimitMB: 32, TimeoutSeconds: 5,
		RetryCount: 1, RetryDelaySeconds: 2, EnvVars: map[string]string{"A": "1"}}
	f, err := c.Deploy(t.Context(), def, bytes.NewReader(module))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(f, wantFunction) {
		t.Errorf("Deploy = %+v, want %+v", f, wantFunction)
	}
	got := srv.only(t)
	wantRequest(t, got, "POST", "/v1/functions")
	if got.Header.Get("X-API-Key") != "ak_x:ns" {
		t.Errorf("X-API-Key %q", got.Header.Get("X-API-Key"))
	}
	fields, file := form(t, got)
	want := map[string]string{"name": "hello", "is_public": "true", "memory_limit_mb": "32", "timeout_seconds": "5",
		"retry_count": "1", "retry_delay_seconds": "2", "env_vars": `{"A":"1"}`}
	if !reflect.DeepEqual(fields, want) {
		t.Errorf("form fields %v, want %v (no namespace when the definition has none)", fields, want)
	}
	if !bytes.Equal(file, module) {
		t.Errorf("wasm file %q, want %q", file, module)
	}
}

func TestServerlessDeployNamespaceAndNoEnv(t *testing.T) {
	srv := newRawServer(t, 201, nil, `{"message":"ok","function":`+functionJSON+`}`)
	c := client.New(srv.URL).Serverless()
	if _, err := c.Deploy(t.Context(), serverless.Definition{Name: "hello", Namespace: "ns"}, strings.NewReader("\x00asm")); err != nil {
		t.Fatal(err)
	}
	fields, _ := form(t, srv.only(t))
	if fields["namespace"] != "ns" || fields["is_public"] != "false" {
		t.Errorf("fields %v: want namespace ns, is_public false", fields)
	}
	if _, ok := fields["env_vars"]; ok {
		t.Errorf("env_vars sent although empty: %v", fields)
	}
}

func TestServerlessDeployErrors(t *testing.T) {
	srv := newRawServer(t, 400, nil, `{"error":"module imports env.no_such_function, which is not provided","code":"invalid"}`)
	c := client.New(srv.URL).Serverless()
	_, err := c.Deploy(t.Context(), serverless.Definition{Name: "f"}, strings.NewReader("\x00asm"))
	if e := plugintest.SDKError(t, err); e.Code != sdk.CodeInvalid || !strings.Contains(e.Message, "env.no_such_function") {
		t.Errorf("Deploy answered 400: %+v", e)
	}

	// Refused here, without a request.
	quiet := newRawServer(t, 201, nil, `{}`)
	c = client.New(quiet.URL).Serverless()
	_, err = c.Deploy(t.Context(), serverless.Definition{Name: "bad name"}, strings.NewReader("\x00asm"))
	plugintest.WantCode(t, err, "Deploy with a bad name", sdk.CodeInvalid)
	_, err = c.Deploy(t.Context(), serverless.Definition{Name: "f"}, io.LimitReader(zeros{}, serverless.MaxModuleBytes+1))
	plugintest.WantCode(t, err, "Deploy of a module over MaxModuleBytes", sdk.CodeTooLarge)
	quiet.none(t)
}

// zeros reads as endless zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestServerlessInvokeJSONAsIs(t *testing.T) {
	srv := newRawServer(t, 200, map[string]string{"X-Request-ID": "req-9", "X-Duration-Ms": "12"}, `{"greeting":"Hello, X!"}`)
	c := client.New(srv.URL).Serverless()
	res, err := c.Invoke(t.Context(), "hello@2", []byte(`{"name":"X"}`))
	if err != nil {
		t.Fatal(err)
	}
	want := client.InvokeResult{Output: []byte(`{"greeting":"Hello, X!"}`), Status: "success", RequestID: "req-9", Duration: 12 * time.Millisecond}
	if !reflect.DeepEqual(res, want) {
		t.Errorf("Invoke = %+v, want %+v", res, want)
	}
	got := srv.only(t)
	wantRequest(t, got, "POST", "/v1/functions/hello@2/invoke")
	if string(got.Body) != `{"name":"X"}` {
		t.Errorf("request body %q", got.Body)
	}
}

func TestServerlessInvokeWrapped(t *testing.T) {
	srv := newRawServer(t, 200, map[string]string{"X-Request-ID": "req-1"}, `{"request_id":"req-1","output":"plain text","status":"success","duration_ms":3}`)
	res, err := client.New(srv.URL).Serverless().Invoke(t.Context(), "echo", []byte("plain text"))
	if err != nil {
		t.Fatal(err)
	}
	want := client.InvokeResult{Output: []byte("plain text"), Status: "success", RequestID: "req-1", Duration: 3 * time.Millisecond}
	if !reflect.DeepEqual(res, want) {
		t.Errorf("Invoke = %+v, want %+v", res, want)
	}
	wantRequest(t, srv.only(t), "POST", "/v1/functions/echo/invoke")
}

func TestServerlessInvokeFunctionFailed(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		want   client.FunctionError
	}{
		{500, `{"error":"wasm error: unreachable","code":"internal","request_id":"r1","status":"error","duration_ms":4}`,
			client.FunctionError{Status: "error", Message: "wasm error: unreachable", RequestID: "r1", Duration: 4 * time.Millisecond, HTTPStatus: 500}},
		{504, `{"error":"function timed out after 1s","request_id":"r2","status":"timeout","duration_ms":1000}`,
			client.FunctionError{Status: "timeout", Message: "function timed out after 1s", RequestID: "r2", Duration: time.Second, HTTPStatus: 504}},
	} {
		srv := newRawServer(t, tc.status, nil, tc.body)
		_, err := client.New(srv.URL).Serverless().Invoke(t.Context(), "f", nil)
		var fe *client.FunctionError
		if !errors.As(err, &fe) || *fe != tc.want {
			t.Errorf("HTTP %d: got %#v, want %+v", tc.status, err, tc.want)
		}
	}
}

func TestServerlessInvokeGatewayErrors(t *testing.T) {
	for status, code := range map[int]sdk.Code{404: sdk.CodeNotFound, 403: sdk.CodeForbidden, 429: sdk.CodeRateLimited,
		413: sdk.CodeTooLarge, 500: sdk.CodeInternal, 503: sdk.CodeUnavailable} {
		srv := newRawServer(t, status, nil, `{"error":"nope"}`)
		_, err := client.New(srv.URL).Serverless().Invoke(t.Context(), "f", nil)
		if e := plugintest.WantCode(t, err, "Invoke answered "+http.StatusText(status), code); e != nil && e.Message != "nope" {
			t.Errorf("HTTP %d: message %q", status, e.Message)
		}
	}
	quiet := newRawServer(t, 200, nil, `{}`)
	c := client.New(quiet.URL).Serverless()
	_, err := c.Invoke(t.Context(), "f@0", nil)
	plugintest.WantCode(t, err, "Invoke f@0", sdk.CodeInvalid)
	_, err = c.Invoke(t.Context(), "f", make([]byte, serverless.MaxInputBytes+1))
	plugintest.WantCode(t, err, "Invoke with input over MaxInputBytes", sdk.CodeTooLarge)
	_, err = c.InvokePublic(t.Context(), "", "f", nil)
	plugintest.WantCode(t, err, "InvokePublic without a namespace", sdk.CodeInvalid)
	quiet.none(t)
}

func TestServerlessInvokePublic(t *testing.T) {
	srv := newRawServer(t, 200, map[string]string{"X-Duration-Ms": "1"}, `[1,2]`)
	res, err := client.New(srv.URL).Serverless().InvokePublic(t.Context(), "team a", "hello@3", []byte("x"))
	if err != nil || string(res.Output) != "[1,2]" {
		t.Fatalf("InvokePublic = %+v, %v", res, err)
	}
	got := srv.only(t)
	wantRequest(t, got, "POST", "/v1/invoke/team%20a/hello@3")
	if got.Header.Get("X-API-Key") != "" {
		t.Errorf("X-API-Key sent without one configured")
	}
}

func TestServerlessReads(t *testing.T) {
	ctx := t.Context()
	srv := newRawServer(t, 200, nil, `{"functions":[`+functionJSON+`],"count":1}`)
	fs, err := client.New(srv.URL).Serverless().List(ctx)
	if err != nil || len(fs) != 1 || !reflect.DeepEqual(fs[0], wantFunction) {
		t.Errorf("List = %+v, %v", fs, err)
	}
	wantRequest(t, srv.only(t), "GET", "/v1/functions")

	srv = newRawServer(t, 200, nil, functionJSON)
	f, err := client.New(srv.URL).Serverless().Get(ctx, "hello@2")
	if err != nil || !reflect.DeepEqual(f, wantFunction) {
		t.Errorf("Get = %+v, %v", f, err)
	}
	wantRequest(t, srv.only(t), "GET", "/v1/functions/hello@2")

	srv = newRawServer(t, 200, nil, `{"versions":[`+functionJSON+`,`+functionJSON+`],"count":2}`)
	fs, err = client.New(srv.URL).Serverless().Versions(ctx, "hello")
	if err != nil || len(fs) != 2 {
		t.Errorf("Versions = %+v, %v", fs, err)
	}
	wantRequest(t, srv.only(t), "GET", "/v1/functions/hello/versions")

	srv = newRawServer(t, 200, nil, `{"message":"Function hello deleted successfully (2 versions)"}`)
	msg, err := client.New(srv.URL).Serverless().Delete(ctx, "hello")
	if err != nil || msg != "Function hello deleted successfully (2 versions)" {
		t.Errorf("Delete = %q, %v", msg, err)
	}
	wantRequest(t, srv.only(t), "DELETE", "/v1/functions/hello")

	srv = newRawServer(t, 200, nil, `{"name":"hello","namespace":"ns","logs":[{"level":"info","message":"first line","timestamp":"2030-01-02T03:04:05.678Z"}],"count":1}`)
	logs, err := client.New(srv.URL).Serverless().Logs(ctx, "hello", 20)
	wantLogs := []client.LogEntry{{Level: "info", Message: "first line", Timestamp: time.Date(2030, 1, 2, 3, 4, 5, 678e6, time.UTC)}}
	if err != nil || !reflect.DeepEqual(logs, wantLogs) {
		t.Errorf("Logs = %+v, %v", logs, err)
	}
	wantRequest(t, srv.only(t), "GET", "/v1/functions/hello/logs?limit=20")

	srv = newRawServer(t, 404, nil, `{"error":"function not found","code":"not_found"}`)
	_, err = client.New(srv.URL).Serverless().Get(ctx, "gone")
	plugintest.WantCode(t, err, "Get of a missing function", sdk.CodeNotFound)
}

func TestServerlessSecrets(t *testing.T) {
	ctx := t.Context()
	srv := newRawServer(t, 200, nil, `{"status":"ok","name":"API_KEY"}`)
	if err := client.New(srv.URL).Serverless().SetSecret(ctx, "API_KEY", "s3cret \"quoted\""); err != nil {
		t.Fatal(err)
	}
	got := srv.only(t)
	wantRequest(t, got, "PUT", "/v1/secrets/API_KEY")
	if string(got.Body) != `{"value":"s3cret \"quoted\""}` || got.Header.Get("Content-Type") != "application/json" {
		t.Errorf("SetSecret sent %s (%s)", got.Body, got.Header.Get("Content-Type"))
	}

	srv = newRawServer(t, 200, nil, `{"secrets":["API_KEY","DB"],"count":2}`)
	names, err := client.New(srv.URL).Serverless().Secrets(ctx)
	if err != nil || !reflect.DeepEqual(names, []string{"API_KEY", "DB"}) {
		t.Errorf("Secrets = %q, %v", names, err)
	}
	wantRequest(t, srv.only(t), "GET", "/v1/secrets")

	srv = newRawServer(t, 200, nil, `{"status":"ok","name":"DB"}`)
	if err := client.New(srv.URL).Serverless().DeleteSecret(ctx, "DB"); err != nil {
		t.Fatal(err)
	}
	wantRequest(t, srv.only(t), "DELETE", "/v1/secrets/DB")

	srv = newRawServer(t, 404, nil, `{"error":"secret not found","code":"not_found"}`)
	plugintest.WantCode(t, client.New(srv.URL).Serverless().DeleteSecret(ctx, "DB"), "DeleteSecret of a missing secret", sdk.CodeNotFound)

	quiet := newRawServer(t, 200, nil, `{}`)
	c := client.New(quiet.URL).Serverless()
	plugintest.WantCode(t, c.SetSecret(ctx, "a/b", "v"), "SetSecret named a/b", sdk.CodeInvalid)
	plugintest.WantCode(t, c.SetSecret(ctx, "K", "\xff"), "SetSecret of a value not UTF-8", sdk.CodeInvalid)
	quiet.none(t)
}
