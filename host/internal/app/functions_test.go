package app

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// answer is what the fake gateway sends for one route.
type answer struct {
	status int
	header map[string]string
	body   string
}

// gotRequest is one request the fake gateway received.
type gotRequest struct {
	method, uri, key, ctype string
	body                    []byte
}

// fakeGateway answers "METHOD /path" routes with fixed answers and
// records every request; other routes are 404.
type fakeGateway struct {
	*httptest.Server
	routes map[string]answer
	mu     sync.Mutex
	reqs   []gotRequest
}

func newFakeGateway(t *testing.T, routes map[string]answer) *fakeGateway {
	t.Helper()
	g := &fakeGateway{routes: routes}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		g.mu.Lock()
		g.reqs = append(g.reqs, gotRequest{method: r.Method, uri: r.URL.RequestURI(), key: r.Header.Get("X-API-Key"),
			ctype: r.Header.Get("Content-Type"), body: body})
		g.mu.Unlock()
		a, ok := routes[r.Method+" "+r.URL.Path]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, `{"error":"function not found","code":"not_found"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		for k, v := range a.header {
			w.Header().Set(k, v)
		}
		if a.status == 0 {
			a.status = http.StatusOK
		}
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.body)
	}))
	t.Cleanup(g.Close)
	t.Setenv("HOME", t.TempDir()) // no saved login
	t.Setenv("ORAMA_GATEWAY", g.URL)
	t.Setenv("ORAMA_API_KEY", "ak_test:ns")
	return g
}

// only returns the one request the gateway received.
func (g *fakeGateway) only(t *testing.T) gotRequest {
	t.Helper()
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.reqs) != 1 {
		t.Fatalf("gateway received %d requests, want 1: %+v", len(g.reqs), g.reqs)
	}
	return g.reqs[0]
}

// count is how many requests the gateway received.
func (g *fakeGateway) count() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.reqs)
}

func runFunctionsCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := functionsCommand(t.Context(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func runSecretsCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := secretsCommand(t.Context(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

const fnJSON = `{"id":"fn_1","name":"hello","namespace":"ns","version":3,"wasm_cid":"bafyhello","is_public":true,
	"memory_limit_mb":32,"timeout_seconds":30,"retry_count":0,"retry_delay_seconds":0,"env_vars":{"A":"1"},
	"status":"active","created_at":"2030-01-02T03:04:05Z","updated_at":"2030-01-02T03:04:05Z"}`

func TestFunctionsDeploy(t *testing.T) {
	g := newFakeGateway(t, map[string]answer{"POST /v1/functions": {status: 201, body: `{"message":"ok","function":` + fnJSON + `}`}})
	module := []byte("\x00asm\x01\x00\x00\x00")
	file := filepath.Join(t.TempDir(), "hello.wasm")
	if err := os.WriteFile(file, module, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runFunctionsCmd(t, "", "deploy", "-file", file, "-public", "-memory", "32", "-env", "A=1", "-env", "B=x=y")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out != "Deployed hello version 3 (wasm_cid bafyhello).\n" {
		t.Errorf("stdout %q", out)
	}
	req := g.only(t)
	if req.method != "POST" || req.uri != "/v1/functions" || req.key != "ak_test:ns" {
		t.Errorf("request %s %s key %q", req.method, req.uri, req.key)
	}
	fields, wasm := parseForm(t, req)
	want := map[string]string{"name": "hello", "is_public": "true", "memory_limit_mb": "32", "timeout_seconds": "0",
		"retry_count": "0", "retry_delay_seconds": "0", "env_vars": `{"A":"1","B":"x=y"}`}
	for k, v := range want {
		if fields[k] != v {
			t.Errorf("field %s = %q, want %q", k, fields[k], v)
		}
	}
	if !bytes.Equal(wasm, module) {
		t.Errorf("wasm %q, want %q", wasm, module)
	}
}

func parseForm(t *testing.T, r gotRequest) (map[string]string, []byte) {
	t.Helper()
	_, params, err := mime.ParseMediaType(r.ctype)
	if err != nil {
		t.Fatalf("Content-Type %q: %v", r.ctype, err)
	}
	mr := multipart.NewReader(bytes.NewReader(r.body), params["boundary"])
	fields := map[string]string{}
	var wasm []byte
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return fields, wasm
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		if p.FormName() == "wasm" {
			wasm = b
		} else {
			fields[p.FormName()] = string(b)
		}
	}
}

func TestFunctionsInvoke(t *testing.T) {
	g := newFakeGateway(t, map[string]answer{
		"POST /v1/functions/hello@2/invoke": {header: map[string]string{"X-Duration-Ms": "7", "X-Request-ID": "r1"}, body: `{"greeting":"Hello, X!"}`},
		"POST /v1/functions/echo/invoke":    {body: `{"request_id":"r2","output":"plain","status":"success","duration_ms":1}`},
		"POST /v1/invoke/other/pub":         {header: map[string]string{"X-Duration-Ms": "1"}, body: `[1]`},
	})
	code, out, errOut := runFunctionsCmd(t, "", "invoke", "hello@2", "-data", `{"name":"X"}`)
	if code != 0 || out != `{"greeting":"Hello, X!"}` {
		t.Errorf("invoke hello@2: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if body := string(g.only(t).body); body != `{"name":"X"}` {
		t.Errorf("sent %q", body)
	}
	code, out, _ = runFunctionsCmd(t, "from stdin", "invoke", "-name", "echo")
	if code != 0 || out != "plain" {
		t.Errorf("invoke echo: exit %d, stdout %q", code, out)
	}
	if last := g.reqs[len(g.reqs)-1]; string(last.body) != "from stdin" {
		t.Errorf("stdin sent as %q", last.body)
	}
	code, out, _ = runFunctionsCmd(t, "", "invoke", "pub", "-namespace", "other", "-data", "x")
	if code != 0 || out != "[1]" {
		t.Errorf("invoke -namespace: exit %d, stdout %q", code, out)
	}
	code, out, _ = runFunctionsCmd(t, "", "invoke", "echo", "-json", "-data", "plain")
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil || got["output"] != "plain" || got["request_id"] != "r2" {
		t.Errorf("invoke -json: exit %d, stdout %q", code, out)
	}
}

func TestFunctionsInvokeFailures(t *testing.T) {
	newFakeGateway(t, map[string]answer{
		"POST /v1/functions/trap/invoke": {status: 500, body: `{"error":"wasm error: unreachable","code":"internal","request_id":"r9","status":"error","duration_ms":1}`},
		"POST /v1/functions/slow/invoke": {status: 504, body: `{"error":"timed out after 1s","request_id":"r8","status":"timeout","duration_ms":1000}`},
		"POST /v1/functions/priv/invoke": {status: 403, body: `{"error":"function priv is private","code":"forbidden"}`},
	})
	for name, want := range map[string]string{
		"trap": "orama functions invoke: the function failed (error): wasm error: unreachable [request r9]\n",
		"slow": "orama functions invoke: the function failed (timeout): timed out after 1s [request r8]\n",
		"priv": "orama functions invoke: function priv is private (forbidden)\n",
		"gone": "orama functions invoke: function not found (not_found)\n",
	} {
		code, out, errOut := runFunctionsCmd(t, "", "invoke", name, "-data", "")
		if code != 1 || out != "" || errOut != want {
			t.Errorf("invoke %s: exit %d, stdout %q, stderr %q; want 1 and %q", name, code, out, errOut, want)
		}
	}
}

func TestFunctionsReads(t *testing.T) {
	g := newFakeGateway(t, map[string]answer{
		"GET /v1/functions":                {body: `{"functions":[` + fnJSON + `],"count":1}`},
		"GET /v1/functions/hello":          {body: fnJSON},
		"GET /v1/functions/hello/versions": {body: `{"versions":[` + fnJSON + `],"count":1}`},
		"GET /v1/functions/hello/logs":     {body: `{"name":"hello","namespace":"ns","logs":[{"level":"info","message":"first line","timestamp":"2030-01-02T03:04:05Z"}],"count":1}`},
		"DELETE /v1/functions/hello@3":     {body: `{"message":"Function hello@3 deleted successfully"}`},
	})
	cases := []struct {
		args     []string
		uri      string
		contains []string
	}{
		{[]string{"list"}, "/v1/functions", []string{"NAME", "hello", "3", "true", "32"}},
		{[]string{"get", "hello"}, "/v1/functions/hello", []string{"wasm_cid:", "bafyhello", `{"A":"1"}`}},
		{[]string{"versions", "hello"}, "/v1/functions/hello/versions", []string{"VERSION", "bafyhello"}},
		{[]string{"logs", "hello", "-limit", "5"}, "/v1/functions/hello/logs?limit=5", []string{"2030-01-02T03:04:05Z info  first line\n"}},
		{[]string{"delete", "hello@3"}, "/v1/functions/hello@3", []string{"Function hello@3 deleted successfully\n"}},
	}
	for _, tc := range cases {
		before := g.count()
		code, out, errOut := runFunctionsCmd(t, "", tc.args...)
		if code != 0 {
			t.Errorf("%v: exit %d: %s", tc.args, code, errOut)
			continue
		}
		for _, want := range tc.contains {
			if !strings.Contains(out, want) {
				t.Errorf("%v: stdout %q lacks %q", tc.args, out, want)
			}
		}
		if g.count() != before+1 || g.reqs[before].uri != tc.uri {
			t.Errorf("%v: requests %+v, want one of %s", tc.args, g.reqs[before:], tc.uri)
		}
	}
	code, out, _ := runFunctionsCmd(t, "", "list", "-json")
	var list struct {
		Functions []map[string]any `json:"functions"`
		Count     int              `json:"count"`
	}
	if err := json.Unmarshal([]byte(out), &list); code != 0 || err != nil || list.Count != 1 || list.Functions[0]["wasm_cid"] != "bafyhello" {
		t.Errorf("list -json: exit %d, %q", code, out)
	}
}

func TestFunctionsUsage(t *testing.T) {
	g := newFakeGateway(t, nil)
	file := filepath.Join(t.TempDir(), "f.wasm")
	cases := []struct {
		args []string
		code int
		err  string
	}{
		{nil, 2, "name a subcommand"},
		{[]string{"frobnicate"}, 2, `unknown subcommand "frobnicate"`},
		{[]string{"help"}, 0, ""},
		{[]string{"invoke", "-h"}, 0, "flags of orama functions invoke"},
		{[]string{"deploy", "hello"}, 2, "-file is required"},
		{[]string{"deploy", "-file", file, "-memory", "5000"}, 2, "memory_limit_mb"},
		{[]string{"deploy", "-file", file, "-env", "novalue"}, 2, "want NAME=VALUE"},
		{[]string{"deploy", "hello@2", "-file", file}, 2, "without @version"},
		{[]string{"invoke"}, 2, "name the function"},
		{[]string{"invoke", "bad name"}, 2, "function name"},
		{[]string{"invoke", "f@x"}, 2, "version"},
		{[]string{"invoke", "f", "-data", "x", "-file", file}, 2, "not both"},
		{[]string{"invoke", "f", "g"}, 2, `unexpected argument "g"`},
		{[]string{"invoke", "f", "-name", "g"}, 2, "two names"},
		{[]string{"versions", "f@1"}, 2, "without @version"},
		{[]string{"logs", "f", "-limit", "-1"}, 2, "-limit"},
		{[]string{"list", "extra"}, 2, "unexpected argument"},
		{[]string{"list", "-gateway", "ftp://x"}, 2, "http(s) URL"},
	}
	for _, tc := range cases {
		code, _, errOut := runFunctionsCmd(t, "", tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.err) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", tc.args, code, errOut, tc.code, tc.err)
		}
	}
	if g.count() != 0 {
		t.Errorf("refused commands sent %d requests", g.count())
	}
}

func TestSecretsCommands(t *testing.T) {
	g := newFakeGateway(t, map[string]answer{
		"PUT /v1/secrets/API_KEY":    {body: `{"status":"ok","name":"API_KEY"}`},
		"GET /v1/secrets":            {body: `{"secrets":["API_KEY","DB"],"count":2}`},
		"DELETE /v1/secrets/API_KEY": {body: `{"status":"ok","name":"API_KEY"}`},
	})
	code, out, errOut := runSecretsCmd(t, "s3cret\n", "set", "API_KEY")
	if code != 0 || out != "Secret API_KEY set.\n" {
		t.Fatalf("set: exit %d, %q %q", code, out, errOut)
	}
	if body := string(g.only(t).body); body != `{"value":"s3cret"}` {
		t.Errorf("set sent %s (one trailing newline dropped)", body)
	}
	if code, _, _ := runSecretsCmd(t, "", "set", "API_KEY", "-value", "line\n"); code != 0 || string(g.reqs[1].body) != `{"value":"line\n"}` {
		t.Errorf("set -value: exit %d, sent %s (kept as given)", code, g.reqs[1].body)
	}
	if code, out, _ := runSecretsCmd(t, "", "list"); code != 0 || out != "API_KEY\nDB\n" {
		t.Errorf("list: exit %d, %q", code, out)
	}
	if code, out, _ := runSecretsCmd(t, "", "delete", "API_KEY"); code != 0 || out != "Secret API_KEY deleted.\n" {
		t.Errorf("delete: exit %d, %q", code, out)
	}
	if code, _, errOut := runSecretsCmd(t, "", "delete", "NOPE"); code != 1 || !strings.Contains(errOut, "not_found") {
		t.Errorf("delete of a missing secret: exit %d, %q", code, errOut)
	}
	for _, args := range [][]string{{"set"}, {"set", "a/b", "-value", "v"}, {"set", "K", "-value", "v", "-file", "f"}, {"list", "x"}, {"rotate"}} {
		before := g.count()
		if code, _, _ := runSecretsCmd(t, "", args...); code != 2 || g.count() != before {
			t.Errorf("%q: exit %d (want 2, no request)", args, code)
		}
	}
}
