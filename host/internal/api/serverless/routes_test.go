package serverless_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/serverless"
)

func TestGetListVersionsDelete(t *testing.T) {
	e := newEnv(t, nil)
	mustDeploy(t, e, "name", "b")
	mustDeploy(t, e, "name", "a")
	mustDeploy(t, e, "name", "a", "is_public", "true")

	rec := e.Do(t, "GET", "/v1/functions", "", "X-API-Key", apitest.KeyAlpha)
	m := apitest.JSONBody(t, rec)
	fs, _ := m["functions"].([]any)
	if rec.Code != 200 || len(fs) != 2 || fmt.Sprint(m["count"]) != "2" {
		t.Fatalf("list: %d %s", rec.Code, rec.Body)
	}
	first := fs[0].(map[string]any)
	wantFunction(t, first)
	if first["name"] != "a" || fmt.Sprint(first["version"]) != "2" {
		t.Errorf("list shows %v, want the latest a", first)
	}
	// Beta sees none of alpha's.
	apitest.WantBody(t, e.Do(t, "GET", "/v1/functions", "", "X-API-Key", apitest.KeyBeta), 200, `{"functions":[],"count":0}`)

	rec = e.Do(t, "GET", "/v1/functions/a", "", "X-API-Key", apitest.KeyAlpha)
	fn := apitest.JSONBody(t, rec)
	if rec.Code != 200 || fmt.Sprint(fn["version"]) != "2" || fn["is_public"] != true {
		t.Fatalf("get a: %d %s", rec.Code, rec.Body)
	}
	wantFunction(t, fn)
	rec = e.Do(t, "GET", "/v1/functions/a@1", "", "X-API-Key", apitest.KeyAlpha)
	if fn := apitest.JSONBody(t, rec); fmt.Sprint(fn["version"]) != "1" || fn["is_public"] != false {
		t.Errorf("get a@1: %s", rec.Body)
	}
	apitest.WantError(t, e.Do(t, "GET", "/v1/functions/a", "", "X-API-Key", apitest.KeyBeta), 404, sdk.CodeNotFound, "")
	apitest.WantError(t, e.Do(t, "GET", "/v1/functions/a@9", "", "X-API-Key", apitest.KeyAlpha), 404, sdk.CodeNotFound, "")
	apitest.WantError(t, e.Do(t, "GET", "/v1/functions/a@x", "", "X-API-Key", apitest.KeyAlpha), 400, sdk.CodeInvalid, "version")

	rec = e.Do(t, "GET", "/v1/functions/a/versions", "", "X-API-Key", apitest.KeyAlpha)
	m = apitest.JSONBody(t, rec)
	vs, _ := m["versions"].([]any)
	if rec.Code != 200 || len(vs) != 2 || fmt.Sprint(m["count"]) != "2" {
		t.Fatalf("versions: %d %s", rec.Code, rec.Body)
	}
	if v := vs[0].(map[string]any); fmt.Sprint(v["version"]) != "1" {
		t.Errorf("versions not oldest first: %s", rec.Body)
	}
	apitest.WantError(t, e.Do(t, "GET", "/v1/functions/a@1/versions", "", "X-API-Key", apitest.KeyAlpha), 400, sdk.CodeInvalid, "")
	apitest.WantError(t, e.Do(t, "GET", "/v1/functions/a/versions", "", "X-API-Key", apitest.KeyBeta), 404, sdk.CodeNotFound, "")

	// Beta cannot delete alpha's; alpha deletes a@1, then a.
	apitest.WantError(t, e.Do(t, "DELETE", "/v1/functions/a", "", "X-API-Key", apitest.KeyBeta), 404, sdk.CodeNotFound, "")
	rec = e.Do(t, "DELETE", "/v1/functions/a@1", "", "X-API-Key", apitest.KeyAlpha)
	if m := apitest.JSONBody(t, rec); rec.Code != 200 || len(m) != 1 || !strings.Contains(fmt.Sprint(m["message"]), "a@1") {
		t.Fatalf("delete a@1: %d %s", rec.Code, rec.Body)
	}
	apitest.WantError(t, e.Do(t, "GET", "/v1/functions/a@1", "", "X-API-Key", apitest.KeyAlpha), 404, sdk.CodeNotFound, "")
	if rec := e.Do(t, "GET", "/v1/functions/a@2", "", "X-API-Key", apitest.KeyAlpha); rec.Code != 200 {
		t.Errorf("a@2 after deleting a@1: %d", rec.Code)
	}
	rec = e.Do(t, "DELETE", "/v1/functions/a", "", "X-API-Key", apitest.KeyAlpha)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "message") {
		t.Fatalf("delete a: %d %s", rec.Code, rec.Body)
	}
	apitest.WantError(t, e.Do(t, "GET", "/v1/functions/a", "", "X-API-Key", apitest.KeyAlpha), 404, sdk.CodeNotFound, "")
	apitest.WantError(t, e.Do(t, "DELETE", "/v1/functions/a", "", "X-API-Key", apitest.KeyAlpha), 404, sdk.CodeNotFound, "")
}

func TestLogs(t *testing.T) {
	e := newEnv(t, nil)
	mustDeploy(t, e, "name", "f")
	for i := range 5 {
		e.Fn.AddLog("alpha", "f", serverless.LogEntry{Level: serverless.LevelError, Message: fmt.Sprint("line ", i),
			Timestamp: apitest.Epoch.Add(time.Duration(i) * time.Second), Version: 1})
	}
	rec := e.Do(t, "GET", "/v1/functions/f/logs?limit=2", "", "X-API-Key", apitest.KeyAlpha)
	apitest.WantBody(t, rec, 200, `{"name":"f","namespace":"alpha","logs":[`+
		`{"level":"error","message":"line 3","timestamp":"2026-01-02T03:04:08Z"},`+
		`{"level":"error","message":"line 4","timestamp":"2026-01-02T03:04:09Z"}],"count":2}`)
	rec = e.Do(t, "GET", "/v1/functions/f/logs?limit=100000", "", "X-API-Key", apitest.KeyAlpha)
	if m := apitest.JSONBody(t, rec); rec.Code != 200 || fmt.Sprint(m["count"]) != "5" {
		t.Errorf("large limit: %d %s", rec.Code, rec.Body)
	}
	rec = e.Do(t, "GET", "/v1/functions/f@2/logs", "", "X-API-Key", apitest.KeyAlpha)
	apitest.WantBody(t, rec, 200, `{"name":"f","namespace":"alpha","logs":[],"count":0}`)
	for _, q := range []string{"0", "-1", "x", "1.5"} {
		apitest.WantError(t, e.Do(t, "GET", "/v1/functions/f/logs?limit="+q, "", "X-API-Key", apitest.KeyAlpha), 400, sdk.CodeInvalid, "limit")
	}
	apitest.WantError(t, e.Do(t, "GET", "/v1/functions/f/logs", "", "X-API-Key", apitest.KeyBeta), 404, sdk.CodeNotFound, "")
	apitest.WantError(t, e.Do(t, "GET", "/v1/functions/f/logs?namespace=alpha", "", "X-API-Key", apitest.KeyBeta), 403, sdk.CodeForbidden, "")
}

func TestSecrets(t *testing.T) {
	e := newEnv(t, nil)
	rec := e.Do(t, "PUT", "/v1/secrets/API_TOKEN", `{"value":"s3cr3t-value"}`, "X-API-Key", apitest.KeyAlpha)
	apitest.WantBody(t, rec, 200, `{"status":"ok","name":"API_TOKEN"}`)
	if v, ok := e.Fn.Secret("alpha", "API_TOKEN"); !ok || string(v) != "s3cr3t-value" {
		t.Fatalf("secret stored as %q %v", v, ok)
	}
	if _, ok := e.Fn.Secret("beta", "API_TOKEN"); ok {
		t.Fatal("secret reached beta")
	}
	rec = e.Do(t, "GET", "/v1/secrets", "", "X-API-Key", apitest.KeyAlpha)
	apitest.WantBody(t, rec, 200, `{"secrets":["API_TOKEN"],"count":1}`)
	apitest.WantBody(t, e.Do(t, "GET", "/v1/secrets", "", "X-API-Key", apitest.KeyBeta), 200, `{"secrets":[],"count":0}`)
	for _, p := range []string{"/v1/secrets", "/v1/secrets/API_TOKEN"} {
		if rec := e.Do(t, "GET", p, "", "X-API-Key", apitest.KeyAlpha); strings.Contains(rec.Body.String(), "s3cr3t") {
			t.Errorf("GET %s returned the value: %s", p, rec.Body)
		}
	}
	for _, c := range []struct{ path, body, msg string }{
		{"/v1/secrets/API_TOKEN", `{}`, "value is required"},
		{"/v1/secrets/API_TOKEN", `{"value":1}`, "value"},
		{"/v1/secrets/API_TOKEN", "{\"value\":\"\xff\"}", "UTF-8"},
		{"/v1/secrets/-bad", `{"value":"x"}`, "secret name"},
		{"/v1/secrets/bad%2Cname", `{"value":"x"}`, "secret name"},
		{"/v1/secrets/" + strings.Repeat("s", serverless.MaxSecretNameLen+1), `{"value":"x"}`, "secret name"},
	} {
		apitest.WantError(t, e.Do(t, "PUT", c.path, c.body, "X-API-Key", apitest.KeyAlpha), 400, sdk.CodeInvalid, c.msg)
	}
	apitest.WantError(t, e.Do(t, "PUT", "/v1/secrets/x", `{"value":"x"}`), 401, sdk.CodeUnauthorized, "")
	apitest.WantError(t, e.Do(t, "DELETE", "/v1/secrets/API_TOKEN", "", "X-API-Key", apitest.KeyBeta), 404, sdk.CodeNotFound, "")
	rec = e.Do(t, "DELETE", "/v1/secrets/API_TOKEN", "", "X-API-Key", apitest.KeyAlpha)
	apitest.WantBody(t, rec, 200, `{"status":"ok","name":"API_TOKEN"}`)
	apitest.WantBody(t, e.Do(t, "GET", "/v1/secrets", "", "X-API-Key", apitest.KeyAlpha), 200, `{"secrets":[],"count":0}`)
	apitest.WantError(t, e.Do(t, "DELETE", "/v1/secrets/API_TOKEN", "", "X-API-Key", apitest.KeyAlpha), 404, sdk.CodeNotFound, "")
	// The value never appears in the logs.
	if strings.Contains(e.Logs.String(), "s3cr3t") {
		t.Error("the secret's value was logged")
	}
}
