package serverless_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/sdk"
)

// functionKeys are the fields of API.md's function object.
var functionKeys = []string{"id", "name", "namespace", "version", "wasm_cid", "is_public",
	"memory_limit_mb", "timeout_seconds", "retry_count", "retry_delay_seconds", "env_vars",
	"status", "created_at", "updated_at"}

func wantFunction(t *testing.T, fn map[string]any) {
	t.Helper()
	keys := slices.Sorted(maps.Keys(fn))
	want := slices.Sorted(slices.Values(functionKeys))
	if !slices.Equal(keys, want) {
		t.Errorf("function object keys %v, want %v", keys, want)
	}
	for _, k := range []string{"created_at", "updated_at"} {
		s, _ := fn[k].(string)
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			t.Errorf("%s %q is not RFC 3339: %v", k, s, err)
		}
	}
	if _, ok := fn["env_vars"].(map[string]any); !ok {
		t.Errorf("env_vars %v is not an object", fn["env_vars"])
	}
}

func TestDeployFields(t *testing.T) {
	e := newEnv(t, nil)
	rec := deploy(t, e, apitest.KeyAlpha, module, "name", "hello", "namespace", "alpha", "is_public", "true",
		"memory_limit_mb", "32", "timeout_seconds", "5", "retry_count", "2", "retry_delay_seconds", "1",
		"env_vars", `{"GREETING":"hi"}`)
	if rec.Code != 201 {
		t.Fatalf("deploy: %d %s", rec.Code, rec.Body)
	}
	m := apitest.JSONBody(t, rec)
	if m["message"] == "" || m["message"] == nil {
		t.Errorf("no message: %v", m)
	}
	fn, _ := m["function"].(map[string]any)
	wantFunction(t, fn)
	want := map[string]any{"name": "hello", "namespace": "alpha", "version": 1, "is_public": true,
		"memory_limit_mb": 32, "timeout_seconds": 5, "retry_count": 2, "retry_delay_seconds": 1,
		"status": "active"}
	for k, v := range want {
		if fmt.Sprint(fn[k]) != fmt.Sprint(v) {
			t.Errorf("%s = %v, want %v", k, fn[k], v)
		}
	}
	if env, _ := fn["env_vars"].(map[string]any); env["GREETING"] != "hi" {
		t.Errorf("env_vars %v", fn["env_vars"])
	}
	if got := e.Fn.Modules[fn["id"].(string)]; string(got) != string(module) {
		t.Errorf("module reached the plugin as %q", got)
	}
}

func TestDeployMetadata(t *testing.T) {
	e := newEnv(t, nil)
	meta := `{"name":"meta","namespace":"alpha","is_public":true,"timeout_seconds":7,"env_vars":{"A":"1"}}`
	fn := mustDeploy(t, e, "metadata", meta)
	if fn["name"] != "meta" || fn["is_public"] != true || fn["timeout_seconds"] != 7.0 {
		t.Errorf("function %v", fn)
	}
	// Fields are applied over the metadata.
	fn = mustDeploy(t, e, "metadata", meta, "timeout_seconds", "9")
	if fn["version"] != 2.0 || fn["timeout_seconds"] != 9.0 {
		t.Errorf("fields over metadata: %v", fn)
	}
	// Defaults for what neither gives; no namespace means the caller's;
	// unknown fields are skipped unread (even binary ones).
	fn = mustDeploy(t, e, "name", "bare", "description", "a \xff binary note")
	if fn["namespace"] != "alpha" || fn["memory_limit_mb"] != 64.0 || fn["timeout_seconds"] != 30.0 {
		t.Errorf("defaults: %v", fn)
	}
	wantFunction(t, fn)
}

func TestDeployRefused(t *testing.T) {
	e := newEnv(t, nil)
	for _, c := range []struct {
		name   string
		wasm   []byte
		fields []string
		status int
		code   sdk.Code
		msg    string
	}{
		{"no module", nil, []string{"name", "f"}, 400, sdk.CodeInvalid, `"wasm" is required`},
		{"empty module", []byte{}, []string{"name", "f"}, 400, sdk.CodeInvalid, "empty"},
		{"no name", module, nil, 400, sdk.CodeInvalid, "name is required"},
		{"bad name", module, []string{"name", "../etc"}, 400, sdk.CodeInvalid, "function name"},
		{"long name", module, []string{"name", strings.Repeat("a", 65)}, 400, sdk.CodeInvalid, "longer than"},
		{"invalid UTF-8 name", module, []string{"name", "f\xff"}, 400, sdk.CodeInvalid, `invalid UTF-8 in "name"`},
		{"invalid UTF-8 env", module, []string{"name", "f", "env_vars", "{\"A\":\"\xfe\"}"}, 400, sdk.CodeInvalid, `invalid UTF-8 in "env_vars"`},
		{"other namespace", module, []string{"name", "f", "namespace", "beta"}, 403, sdk.CodeForbidden, "beta"},
		{"other namespace in metadata", module, []string{"metadata", `{"name":"f","namespace":"beta"}`}, 403, sdk.CodeForbidden, "beta"},
		{"reserved namespace", module, []string{"name", "f", "namespace", "_system"}, 403, sdk.CodeForbidden, "reserved"},
		{"bad is_public", module, []string{"name", "f", "is_public", "maybe"}, 400, sdk.CodeInvalid, "is_public"},
		{"bad number", module, []string{"name", "f", "timeout_seconds", "soon"}, 400, sdk.CodeInvalid, "timeout_seconds"},
		{"negative number", module, []string{"name", "f", "memory_limit_mb", "-1"}, 400, sdk.CodeInvalid, "memory_limit_mb"},
		{"bad env_vars", module, []string{"name", "f", "env_vars", `["x"]`}, 400, sdk.CodeInvalid, "env_vars"},
		{"bad metadata", module, []string{"metadata", `{"name":`}, 400, sdk.CodeInvalid, "metadata"},
		{"metadata of wrong type", module, []string{"metadata", `{"name":1}`}, 400, sdk.CodeInvalid, "metadata"},
		{"large field", module, []string{"name", strings.Repeat("a", 2000)}, 400, sdk.CodeInvalid, "larger than"},
		{"large unknown field", module, []string{"name", "f", "other", strings.Repeat("a", 70<<10)}, 400, sdk.CodeInvalid, "larger than"},
		{"field twice", module, []string{"name", "f", "name", "g"}, 400, sdk.CodeInvalid, "twice"},
		{"module too large", make([]byte, testMaxModule+1), []string{"name", "f"}, 413, sdk.CodeTooLarge, "module larger than"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := deploy(t, e, apitest.KeyAlpha, c.wasm, c.fields...)
			apitest.WantError(t, rec, c.status, c.code, c.msg)
		})
	}
	if fs, _ := e.Fn.List(t.Context(), "alpha"); len(fs) != 0 {
		t.Errorf("refused deploys stored %d functions", len(fs))
	}
	if fs, _ := e.Fn.List(t.Context(), "beta"); len(fs) != 0 {
		t.Errorf("a deploy reached namespace beta")
	}
}

func TestDeployNotMultipart(t *testing.T) {
	e := newEnv(t, nil)
	rec := e.Do(t, "POST", "/v1/functions", `{"name":"f"}`, "X-API-Key", apitest.KeyAlpha)
	apitest.WantError(t, rec, 400, sdk.CodeInvalid, "multipart/form-data")
	rec = e.Do(t, "POST", "/v1/functions", "x", "Content-Type", "multipart/form-data", "X-API-Key", apitest.KeyAlpha)
	apitest.WantError(t, rec, 400, sdk.CodeInvalid, "boundary")
	// A truncated form.
	body, ct := form(t, module, "name", "f")
	rec = e.Do(t, "POST", "/v1/functions", body[:len(body)-20], "Content-Type", ct, "X-API-Key", apitest.KeyAlpha)
	apitest.WantError(t, rec, 400, sdk.CodeInvalid, "")
}

func TestDeployNeedsCredential(t *testing.T) {
	e := newEnv(t, nil)
	body, ct := form(t, module, "name", "f")
	rec := e.Do(t, "POST", "/v1/functions", body, "Content-Type", ct)
	apitest.WantError(t, rec, 401, sdk.CodeUnauthorized, "missing API key")
}

// A module larger than the server's general body limit but within the
// module limit deploys: the deploy route has its own body limit.
func TestDeployBodyLimit(t *testing.T) {
	e := newEnv(t, nil)
	big := make([]byte, testMaxModule) // fits; the form adds a little
	rec := deploy(t, e, apitest.KeyAlpha, big, "name", "big")
	if rec.Code != 201 {
		t.Fatalf("deploy of %d bytes: %d %s", len(big), rec.Code, rec.Body)
	}
	// A declared body far over the deploy limit is refused before reading.
	e2 := newEnv(t, nil)
	big = make([]byte, 2<<20)
	rec = deploy(t, e2, apitest.KeyAlpha, big, "name", "huge")
	apitest.WantError(t, rec, 413, sdk.CodeTooLarge, "")
}

func TestDeployPluginError(t *testing.T) {
	e := newEnv(t, nil)
	e.Fn.MaxModule = 8
	rec := deploy(t, e, apitest.KeyAlpha, module, "name", "f")
	apitest.WantError(t, rec, 413, sdk.CodeTooLarge, "module larger than 8")
	e.Plugins.SetFnDown(true)
	rec = deploy(t, e, apitest.KeyAlpha, module, "name", "f")
	apitest.WantError(t, rec, 503, sdk.CodeUnavailable, "")
	if rec.Header().Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
}

func TestFunctionJSONTimes(t *testing.T) {
	e := newEnv(t, nil)
	fn := mustDeploy(t, e, "name", "t")
	got, _ := time.Parse(time.RFC3339, fn["created_at"].(string))
	if !got.Equal(apitest.Epoch.Add(time.Second)) {
		t.Errorf("created_at %v", fn["created_at"])
	}
	b, _ := json.Marshal(fn)
	if strings.Contains(string(b), "null") {
		t.Errorf("null in the function object: %s", b)
	}
}
