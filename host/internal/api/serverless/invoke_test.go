package serverless_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/serverless"
)

func result(status, output, msg string) func(context.Context, serverless.Invocation, serverless.Function) (serverless.Result, error) {
	return func(context.Context, serverless.Invocation, serverless.Function) (serverless.Result, error) {
		return serverless.Result{Status: status, Output: []byte(output), Error: msg, Duration: 42 * time.Millisecond}, nil
	}
}

func TestInvokeJSONOutputAsIs(t *testing.T) {
	e := newEnv(t, nil)
	mustDeploy(t, e, "name", "echo")
	for _, body := range []string{`{"greeting":"Hello, X!"}`, `[1,2]`, " \n\t{\"a\":1}\n"} {
		rec := e.Do(t, "POST", "/v1/functions/echo/invoke", body, "X-API-Key", apitest.KeyAlpha)
		if rec.Code != 200 || rec.Body.String() != body {
			t.Fatalf("invoke %q: %d %q", body, rec.Code, rec.Body)
		}
		if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type %q", ct)
		}
		if rec.Header().Get("X-Request-ID") == "" || rec.Header().Get("X-Duration-Ms") != "1" {
			t.Errorf("headers %v", rec.Header())
		}
	}
	inv := e.Fn.InvocationsMade()
	last := inv[len(inv)-1]
	if last.Namespace != "alpha" || last.Caller != "alpha" || last.Name != "echo" || last.Version != 0 || last.RequestID == "" {
		t.Errorf("invocation %+v", last)
	}
}

func TestInvokeWrappedOutput(t *testing.T) {
	e := newEnv(t, nil)
	mustDeploy(t, e, "name", "echo")
	rec := e.Do(t, "POST", "/v1/functions/echo/invoke", "plain text", "X-API-Key", apitest.KeyAlpha, "X-Request-ID", "req-1")
	apitest.WantBody(t, rec, 200, `{"request_id":"req-1","output":"plain text","status":"success","duration_ms":1}`)
	// An empty body is an empty input and an empty output.
	rec = e.Do(t, "POST", "/v1/functions/echo/invoke", "", "X-API-Key", apitest.KeyAlpha, "X-Request-ID", "req-2")
	apitest.WantBody(t, rec, 200, `{"request_id":"req-2","output":"","status":"success","duration_ms":1}`)
}

func TestInvokeResults(t *testing.T) {
	e := newEnv(t, nil)
	mustDeploy(t, e, "name", "f")
	e.Fn.SetRun(result(serverless.ResultTimeout, "", "function timed out after 1s"))
	rec := e.Do(t, "POST", "/v1/functions/f/invoke", "x", "X-API-Key", apitest.KeyAlpha)
	apitest.WantError(t, rec, 504, "", "timed out after 1s")
	if m := apitest.JSONBody(t, rec); m["status"] != "timeout" {
		t.Errorf("body %v", m)
	}
	e.Fn.SetRun(result(serverless.ResultError, "partial", "wasm error: unreachable"))
	rec = e.Do(t, "POST", "/v1/functions/f/invoke", "x", "X-API-Key", apitest.KeyAlpha)
	apitest.WantError(t, rec, 500, sdk.CodeInternal, "wasm error: unreachable")
	if m := apitest.JSONBody(t, rec); m["status"] != "error" {
		t.Errorf("body %v", m)
	}
	for _, c := range []struct {
		err    error
		status int
	}{
		{sdk.Errorf(sdk.CodeRateLimited, "concurrency limit"), 429},
		{sdk.Errorf(sdk.CodeTooLarge, "input too large"), 413},
		{sdk.Errorf(sdk.CodeInvalid, "bad"), 400},
	} {
		err := c.err
		e.Fn.SetRun(func(context.Context, serverless.Invocation, serverless.Function) (serverless.Result, error) {
			return serverless.Result{}, err
		})
		rec = e.Do(t, "POST", "/v1/functions/f/invoke", "x", "X-API-Key", apitest.KeyAlpha)
		apitest.WantError(t, rec, c.status, sdk.AsError(err).Code, sdk.AsError(err).Message)
	}
}

func TestInvokeVersionsAndRefs(t *testing.T) {
	e := newEnv(t, nil)
	mustDeploy(t, e, "name", "f")
	mustDeploy(t, e, "name", "f")
	rec := e.Do(t, "POST", "/v1/functions/f@1/invoke", "{}", "X-API-Key", apitest.KeyAlpha)
	if rec.Code != 200 {
		t.Fatalf("f@1: %d %s", rec.Code, rec.Body)
	}
	if inv := e.Fn.InvocationsMade(); inv[len(inv)-1].Version != 1 {
		t.Errorf("ran version %d", inv[len(inv)-1].Version)
	}
	apitest.WantError(t, e.Do(t, "POST", "/v1/functions/f@3/invoke", "{}", "X-API-Key", apitest.KeyAlpha), 404, sdk.CodeNotFound, "")
	apitest.WantError(t, e.Do(t, "POST", "/v1/functions/nope/invoke", "{}", "X-API-Key", apitest.KeyAlpha), 404, sdk.CodeNotFound, "")
	for _, p := range []string{"f@0", "f@x", "f@", "f@-1", "@1", "-f", "f%20g", "f@1@2"} {
		rec := e.Do(t, "POST", "/v1/functions/"+p+"/invoke", "{}", "X-API-Key", apitest.KeyAlpha)
		apitest.WantError(t, rec, 400, sdk.CodeInvalid, "")
	}
	rec = e.Do(t, "POST", "/v1/functions/f%ff/invoke", "{}", "X-API-Key", apitest.KeyAlpha)
	apitest.WantError(t, rec, 400, sdk.CodeInvalid, "UTF-8")
}

func TestInvokeBodyLimit(t *testing.T) {
	e := newEnv(t, nil)
	mustDeploy(t, e, "name", "f")
	rec := e.Do(t, "POST", "/v1/functions/f/invoke", strings.Repeat("a", testMaxInput), "X-API-Key", apitest.KeyAlpha)
	if rec.Code != 200 {
		t.Fatalf("input at the limit: %d %s", rec.Code, rec.Body)
	}
	rec = e.Do(t, "POST", "/v1/functions/f/invoke", strings.Repeat("a", testMaxInput+1), "X-API-Key", apitest.KeyAlpha)
	apitest.WantError(t, rec, 413, sdk.CodeTooLarge, "")
	rec = e.Do(t, "POST", "/v1/invoke/alpha/f", strings.Repeat("a", 1<<17), "X-API-Key", apitest.KeyAlpha)
	apitest.WantError(t, rec, 413, sdk.CodeTooLarge, "")
}

func TestInvokePublicAndPrivate(t *testing.T) {
	e := newEnv(t, nil)
	mustDeploy(t, e, "name", "pub", "is_public", "true")
	mustDeploy(t, e, "name", "priv")

	// No credential: public runs, private is 403.
	rec := e.Do(t, "POST", "/v1/invoke/alpha/pub", "{}")
	if rec.Code != 200 {
		t.Fatalf("public without credential: %d %s", rec.Code, rec.Body)
	}
	if inv := e.Fn.InvocationsMade(); inv[len(inv)-1].Caller != "" || inv[len(inv)-1].Namespace != "alpha" {
		t.Errorf("anonymous invocation %+v", inv[len(inv)-1])
	}
	apitest.WantError(t, e.Do(t, "POST", "/v1/invoke/alpha/priv", "{}"), 403, sdk.CodeForbidden, "private")
	// Another namespace's key: public runs with that caller, private 403.
	rec = e.Do(t, "POST", "/v1/invoke/alpha/pub", "{}", "X-API-Key", apitest.KeyBeta)
	if rec.Code != 200 {
		t.Fatalf("public with beta's key: %d %s", rec.Code, rec.Body)
	}
	if inv := e.Fn.InvocationsMade(); inv[len(inv)-1].Caller != "beta" {
		t.Errorf("caller %q", inv[len(inv)-1].Caller)
	}
	apitest.WantError(t, e.Do(t, "POST", "/v1/invoke/alpha/priv", "{}", "X-API-Key", apitest.KeyBeta), 403, sdk.CodeForbidden, "")
	apitest.WantError(t, e.Do(t, "POST", "/v1/invoke/alpha/priv", "{}", "Authorization", "Bearer "+apitest.JWTBeta), 403, sdk.CodeForbidden, "")
	// The owner runs both.
	if rec := e.Do(t, "POST", "/v1/invoke/alpha/priv", "{}", "X-API-Key", apitest.KeyAlpha); rec.Code != 200 {
		t.Errorf("owner: %d %s", rec.Code, rec.Body)
	}
	// Beta's own namespace has no such function.
	apitest.WantError(t, e.Do(t, "POST", "/v1/functions/priv/invoke", "{}", "X-API-Key", apitest.KeyBeta), 404, sdk.CodeNotFound, "")

	// A present but bad credential is 401, never anonymous.
	for _, p := range []string{"/v1/invoke/alpha/pub", "/v1/functions/pub/invoke?namespace=alpha"} {
		rec := e.Do(t, "POST", p, "{}", "X-API-Key", "ak_bogus:alpha")
		apitest.WantError(t, rec, 401, sdk.CodeUnauthorized, "")
		rec = e.Do(t, "POST", p, "{}", "Authorization", "Bearer a.b.c")
		apitest.WantError(t, rec, 401, sdk.CodeUnauthorized, "")
	}

	// /v1/functions/:name/invoke without a credential: ?namespace= names it.
	rec = e.Do(t, "POST", "/v1/functions/pub/invoke?namespace=alpha", "{}")
	if rec.Code != 200 {
		t.Fatalf("public by ?namespace=: %d %s", rec.Code, rec.Body)
	}
	apitest.WantError(t, e.Do(t, "POST", "/v1/functions/priv/invoke?namespace=alpha", "{}"), 403, sdk.CodeForbidden, "")
	rec = e.Do(t, "POST", "/v1/functions/pub/invoke", "{}")
	apitest.WantError(t, rec, 401, sdk.CodeUnauthorized, "missing API key")
	if rec.Header().Get("WWW-Authenticate") == "" {
		t.Error("401 without WWW-Authenticate")
	}
	// With a credential, ?namespace= must be its own.
	apitest.WantError(t, e.Do(t, "POST", "/v1/functions/pub/invoke?namespace=alpha", "{}", "X-API-Key", apitest.KeyBeta), 403, sdk.CodeForbidden, "")
	// Reserved namespaces.
	apitest.WantError(t, e.Do(t, "POST", "/v1/invoke/_system/pub", "{}"), 403, sdk.CodeForbidden, "reserved")
	apitest.WantError(t, e.Do(t, "POST", "/v1/functions/pub/invoke?namespace=_system", "{}"), 403, sdk.CodeForbidden, "reserved")
	// Other routes of a public function still need a credential.
	for _, p := range []string{"/v1/functions/pub", "/v1/functions/pub/logs", "/v1/functions/pub/versions", "/v1/functions"} {
		apitest.WantError(t, e.Do(t, "GET", p, ""), 401, sdk.CodeUnauthorized, "")
	}
}

func TestInvokeWallet(t *testing.T) {
	e := newEnv(t, nil)
	body, ct := form(t, module, "name", "w")
	if rec := e.Do(t, "POST", "/v1/functions", body, "Content-Type", ct, "Authorization", "Bearer "+apitest.JWTBeta); rec.Code != 201 {
		t.Fatalf("deploy: %d %s", rec.Code, rec.Body)
	}
	if rec := e.Do(t, "POST", "/v1/functions/w/invoke", "{}", "Authorization", "Bearer "+apitest.JWTBeta); rec.Code != 200 {
		t.Fatalf("invoke: %d %s", rec.Code, rec.Body)
	}
	inv := e.Fn.InvocationsMade()
	if got := inv[len(inv)-1]; got.Wallet != "0xbeta" || got.Caller != "beta" {
		t.Errorf("invocation %+v", got)
	}
}

// A hung plugin: the invocation's bound ends the wait with 503, as for
// every domain; a plugin that is gone is 503 with Retry-After.
func TestInvokePluginHungOrGone(t *testing.T) {
	e := newEnv(t, nil)
	mustDeploy(t, e, "name", "f")
	gate := make(chan struct{})
	e.Fn.SetGate(gate)
	rec := e.Do(t, "POST", "/v1/functions/f/invoke", "{}", "X-API-Key", apitest.KeyAlpha)
	apitest.WantError(t, rec, 503, sdk.CodeUnavailable, "")
	close(gate)
	e.Fn.SetGate(nil)
	if rec := e.Do(t, "POST", "/v1/functions/f/invoke", "{}", "X-API-Key", apitest.KeyAlpha); rec.Code != 200 {
		t.Fatalf("after the hang: %d %s", rec.Code, rec.Body)
	}
	e.Plugins.SetFnDown(true)
	for _, r := range [][2]string{{"POST", "/v1/functions/f/invoke"}, {"GET", "/v1/functions"}, {"GET", "/v1/functions/f"},
		{"GET", "/v1/secrets"}, {"DELETE", "/v1/functions/f"}} {
		rec := e.Do(t, r[0], r[1], "", "X-API-Key", apitest.KeyAlpha)
		apitest.WantError(t, rec, 503, sdk.CodeUnavailable, "")
		if rec.Header().Get("Retry-After") == "" {
			t.Errorf("%s %s: no Retry-After", r[0], r[1])
		}
	}
}
