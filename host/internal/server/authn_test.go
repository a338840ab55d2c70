package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/sdk"
)

// whoami returns the status and body of GET /v1/auth/whoami with the
// given headers, at path (whoami plus an optional query).
func whoami(t *testing.T, e *testEnv, query string, hdr ...string) (int, map[string]any) {
	t.Helper()
	rec := e.do(t, "GET", "/v1/auth/whoami"+query, "", hdr...)
	if rec.Code != 200 {
		return rec.Code, nil
	}
	return rec.Code, apitest.JSONBody(t, rec)
}

func TestCredentialSources(t *testing.T) {
	e := newAuthEnv(t, nil)
	cases := []struct {
		name, query string
		hdr         []string
		method, ns  string
	}{
		{"X-API-Key", "", []string{"X-API-Key", apitest.KeyAlpha}, "api_key", "alpha"},
		{"Bearer JWT", "", []string{"Authorization", "Bearer " + apitest.JWTBeta}, "jwt", "beta"},
		{"bearer lower case", "", []string{"Authorization", "bearer " + apitest.KeyAlpha}, "api_key", "alpha"},
		{"Bearer key", "", []string{"Authorization", "Bearer " + apitest.KeyAlpha}, "api_key", "alpha"},
		{"ApiKey", "", []string{"Authorization", "ApiKey " + apitest.KeyBeta}, "api_key", "beta"},
		{"?api_key=", "?api_key=" + url.QueryEscape(apitest.KeyAlpha), nil, "api_key", "alpha"},
		{"?token= key", "?token=" + url.QueryEscape(apitest.KeyBeta), nil, "api_key", "beta"},
		{"?token= JWT", "?token=" + url.QueryEscape(apitest.JWTBeta), nil, "jwt", "beta"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, m := whoami(t, e, c.query, c.hdr...)
			if code != 200 {
				t.Fatalf("status %d", code)
			}
			if m["authenticated"] != true || m["method"] != c.method || m["namespace"] != c.ns {
				t.Errorf("whoami %v, want method %s namespace %s", m, c.method, c.ns)
			}
		})
	}
}

func TestCredentialOrder(t *testing.T) {
	e := newAuthEnv(t, nil)
	// X-API-Key wins over Authorization: ApiKey or a Bearer key; a Bearer
	// JWT beside it wins when it verifies (what established clients send
	// after a wallet sign-in), and the key counts when it does not.
	if _, m := whoami(t, e, "", "X-API-Key", apitest.KeyAlpha, "Authorization", "ApiKey "+apitest.KeyBeta); m["namespace"] != "alpha" {
		t.Errorf("X-API-Key + ApiKey: %v", m)
	}
	if _, m := whoami(t, e, "", "X-API-Key", apitest.KeyAlpha, "Authorization", "Bearer "+apitest.KeyBeta); m["namespace"] != "alpha" {
		t.Errorf("X-API-Key + Bearer key: %v", m)
	}
	if _, m := whoami(t, e, "", "X-API-Key", apitest.KeyAlpha, "Authorization", "Bearer "+apitest.JWTBeta); m["method"] != "jwt" || m["namespace"] != "beta" {
		t.Errorf("X-API-Key + Bearer JWT: %v, want the JWT", m)
	}
	if _, m := whoami(t, e, "", "X-API-Key", apitest.KeyAlpha, "Authorization", "Bearer not.a.jwt"); m["method"] != "api_key" || m["namespace"] != "alpha" {
		t.Errorf("X-API-Key + a Bearer JWT that does not verify: %v, want the key", m)
	}
	// Authorization wins over the query.
	if _, m := whoami(t, e, "?api_key="+url.QueryEscape(apitest.KeyAlpha), "Authorization", "ApiKey "+apitest.KeyBeta); m["namespace"] != "beta" {
		t.Errorf("ApiKey + query: %v", m)
	}
	// ?api_key wins over ?token.
	if _, m := whoami(t, e, "?token="+url.QueryEscape(apitest.KeyBeta)+"&api_key="+url.QueryEscape(apitest.KeyAlpha)); m["namespace"] != "alpha" {
		t.Errorf("api_key + token: %v", m)
	}
	// Otherwise only the first source present counts: a bad X-API-Key is
	// not rescued by a good Bearer key or a Bearer JWT that fails.
	if code, _ := whoami(t, e, "", "X-API-Key", apitest.TestKey(99, "alpha"), "Authorization", "Bearer "+apitest.KeyBeta); code != 401 {
		t.Errorf("bad X-API-Key + good Bearer key: %d", code)
	}
	if code, _ := whoami(t, e, "", "X-API-Key", apitest.TestKey(99, "alpha"), "Authorization", "Bearer not.a.jwt"); code != 401 {
		t.Errorf("bad X-API-Key + bad Bearer JWT: %d", code)
	}
	// Another scheme is no credential; the query is used.
	if _, m := whoami(t, e, "?api_key="+url.QueryEscape(apitest.KeyBeta), "Authorization", "Basic dXNlcjpwYXNz"); m["namespace"] != "beta" {
		t.Errorf("Basic + query: %v", m)
	}
}

func TestTwoDotBearerFallsBackToKey(t *testing.T) {
	e := newAuthEnv(t, nil)
	const legacy = "legacy.key.value" // two dots: looks like a JWT, is a key
	e.auth.AddKey(legacy, "alpha", "kl")
	code, m := whoami(t, e, "", "Authorization", "Bearer "+legacy)
	if code != 200 || m["method"] != "api_key" || m["namespace"] != "alpha" {
		t.Fatalf("two-dot key: %d %v", code, m)
	}
	if e.jwt.CallCount() != 1 || e.auth.ValidateCount() != 1 {
		t.Errorf("verifier calls %d, key validations %d; want 1 and 1", e.jwt.CallCount(), e.auth.ValidateCount())
	}
	// A real JWT never reaches the key path.
	whoami(t, e, "", "Authorization", "Bearer "+apitest.JWTBeta)
	if e.auth.ValidateCount() != 1 {
		t.Errorf("a valid JWT was validated as a key")
	}
	// A two-dot value that is neither: 401 with the token message.
	rec := e.do(t, "GET", "/v1/auth/whoami", "", "Authorization", "Bearer x.y.z")
	apitest.WantError(t, rec, 401, sdk.CodeUnauthorized, "invalid or expired token")
	// When the token could not be checked at all (no keys), 503, not 401.
	e.jwt.Err = sdk.Errorf(sdk.CodeUnavailable, "auth plugin is restarting")
	rec = e.do(t, "GET", "/v1/auth/whoami", "", "Authorization", "Bearer x.y.z")
	apitest.WantError(t, rec, 503, sdk.CodeUnavailable, "restarting")
}

func TestMissingAndBadCredential(t *testing.T) {
	e := newAuthEnv(t, nil)
	for _, path := range []string{"/v1/auth/whoami", "/v1/rqlite/schema", "/v1/nope"} {
		rec := e.do(t, "GET", path, "")
		apitest.WantError(t, rec, 401, sdk.CodeUnauthorized, "missing API key")
		if got := rec.Header().Get("WWW-Authenticate"); got != `Bearer realm="gateway"` {
			t.Errorf("%s: WWW-Authenticate %q", path, got)
		}
	}
	// Empty values are no credential either.
	apitest.WantError(t, e.do(t, "GET", "/v1/auth/whoami", "", "X-API-Key", " ", "Authorization", "Bearer "),
		401, sdk.CodeUnauthorized, "missing API key")

	for _, hdr := range [][]string{
		{"X-API-Key", apitest.TestKey(42, "alpha")},
		{"X-API-Key", "not a key"},
		{"Authorization", "ApiKey " + strings.Repeat("k", maxCredentialLen+1)},
	} {
		rec := e.do(t, "POST", "/v1/cache/get", `{"dmap":"d","key":"k"}`, hdr...)
		apitest.WantError(t, rec, 401, sdk.CodeUnauthorized, "invalid")
		if got := rec.Header().Get("WWW-Authenticate"); !strings.HasPrefix(got, `Bearer realm="gateway"`) || !strings.Contains(got, "invalid_token") {
			t.Errorf("WWW-Authenticate %q", got)
		}
		if strings.Contains(rec.Body.String(), hdr[1]) {
			t.Errorf("the credential is echoed in the error: %s", rec.Body)
		}
	}
	// A key whose plugin answer names another namespace than the key does.
	e.auth.AddKey(apitest.TestKey(5, "alpha"), "beta", "k5")
	apitest.WantError(t, e.do(t, "GET", "/v1/auth/whoami", "", "X-API-Key", apitest.TestKey(5, "alpha")), 401, sdk.CodeUnauthorized, "invalid API key")
	// Plugin down: 503, not 401.
	e.plugins.AuthDown = true
	apitest.WantError(t, e.do(t, "GET", "/v1/auth/whoami", "", "X-API-Key", apitest.TestKey(6, "alpha")), 503, sdk.CodeUnavailable, "restarting")
}

func TestPublicPaths(t *testing.T) {
	e := newAuthEnv(t, nil)
	open := []struct{ method, path, body string }{
		{"GET", "/health", ""}, {"GET", "/v1/health", ""}, {"GET", "/status", ""}, {"GET", "/v1/status", ""},
		{"GET", "/v1/version", ""}, {"GET", "/metrics", ""},
		{"GET", "/v1/auth/jwks", ""}, {"GET", "/.well-known/jwks.json", ""},
		{"GET", "/v1/auth/login?callback=https%3A%2F%2Fapp.example%2Fcb", ""},
		{"POST", "/v1/auth/challenge", `{"wallet":"0xw"}`},
		{"POST", "/v1/auth/verify", `{"wallet":"0xw","nonce":"n","signature":"s"}`},
		{"POST", "/v1/auth/register", `{"wallet":"0xw","nonce":"n","signature":"s","name":"app"}`},
		{"POST", "/v1/auth/refresh", `{"refresh_token":"rt-1"}`},
		{"POST", "/v1/auth/logout", `{"refresh_token":"rt-1"}`},
		{"POST", "/v1/auth/api-key", `{"wallet":"0xw","nonce":"n","signature":"s"}`},
		{"POST", "/v1/auth/simple-key", `{"wallet":"0xw"}`},
		{"GET", "/.well-known/acme-challenge/token123", ""}, // no route yet: 404, not 401
	}
	for _, r := range open {
		rec := e.do(t, r.method, r.path, r.body)
		if rec.Code == 401 {
			t.Errorf("%s %s: 401 without a credential: %s", r.method, r.path, rec.Body)
		}
	}
	closed := []string{"/v1/auth/whoami", "/v1/auth/token", "/v1/cache/get", "/v1/rqlite/query",
		"/v1/auth/jwks/x", "/health/x", "/.well-known/other", "/v1/functions/f/logs", "/v1/functions",
		"/v1/secrets/x"}
	for _, p := range closed {
		if rec := e.do(t, "POST", p, `{}`); rec.Code != 401 {
			t.Errorf("POST %s: %d without a credential", p, rec.Code)
		}
	}
	// The hook for public functions (by default open) lets the invoke
	// paths through without a credential, and those only; the plugin
	// decides by the function's is_public.
	for _, p := range []string{"/v1/functions/f/invoke?namespace=ns", "/v1/invoke/ns/f"} {
		if rec := e.do(t, "POST", p, `{}`); rec.Code == 401 {
			t.Errorf("public function %s: 401", p)
		}
		// A credential that is present must be valid.
		if rec := e.do(t, "POST", p, `{}`, "X-API-Key", "ak_bogus:ns"); rec.Code != 401 {
			t.Errorf("%s with a bad key: %d", p, rec.Code)
		}
	}
	if rec := e.do(t, "POST", "/v1/functions/f/logs", `{}`); rec.Code != 401 {
		t.Errorf("logs of a public function: %d", rec.Code)
	}
	e.srv.publicFn = func(r *http.Request) bool { return false }
	for _, p := range []string{"/v1/functions/f/invoke", "/v1/invoke/ns/f"} {
		if rec := e.do(t, "POST", p, `{}`); rec.Code != 401 {
			t.Errorf("hook closed: POST %s: %d without a credential", p, rec.Code)
		}
	}
}

func TestRoutesUseCredentialNamespace(t *testing.T) {
	e := newAuthEnv(t, nil)
	rec := e.do(t, "POST", "/v1/cache/put", `{"dmap":"d","key":"k","value":"a"}`, "X-API-Key", apitest.KeyAlpha)
	if rec.Code != 200 {
		t.Fatalf("put: %d %s", rec.Code, rec.Body)
	}
	if _, err := e.cache.Get(t.Context(), "alpha", "d", "k"); err != nil {
		t.Errorf("value not in namespace alpha: %v", err)
	}
	for _, ns := range []string{"default", "beta"} {
		if _, err := e.cache.Get(t.Context(), ns, "d", "k"); err == nil {
			t.Errorf("value reached namespace %s", ns)
		}
	}
	// beta cannot read alpha's value.
	rec = e.do(t, "POST", "/v1/cache/get", `{"dmap":"d","key":"k"}`, "Authorization", "Bearer "+apitest.JWTBeta)
	apitest.WantError(t, rec, 404, sdk.CodeNotFound, "")

	e.db.SetRows([]string{"n"})
	for _, c := range []struct {
		hdr []string
		ns  string
	}{{[]string{"X-API-Key", apitest.KeyAlpha}, "alpha"}, {[]string{"Authorization", "Bearer " + apitest.JWTBeta}, "beta"}} {
		if rec := e.do(t, "POST", "/v1/rqlite/query", `{"sql":"SELECT 1"}`, c.hdr...); rec.Code != 200 {
			t.Fatalf("query: %d %s", rec.Code, rec.Body)
		}
		calls := e.db.CallsMade()
		if got := calls[len(calls)-1]; got.Namespace != c.ns {
			t.Errorf("query ran in %q, want %q", got.Namespace, c.ns)
		}
	}
}

func TestCrossNamespaceForbidden(t *testing.T) {
	e := newAuthEnv(t, nil)
	e.auth.SimpleOK = true
	// A query naming another namespace.
	rec := e.do(t, "POST", "/v1/cache/get?namespace=beta", `{"dmap":"d","key":"k"}`, "X-API-Key", apitest.KeyAlpha)
	apitest.WantError(t, rec, 403, sdk.CodeForbidden, "not the namespace of the credential")
	if rec := e.do(t, "POST", "/v1/cache/put?namespace=alpha", `{"dmap":"d","key":"k","value":1}`, "X-API-Key", apitest.KeyAlpha); rec.Code != 200 {
		t.Errorf("own namespace in the query: %d %s", rec.Code, rec.Body)
	}
	// /v1/auth bodies naming another namespace than the caller's.
	for _, r := range []struct{ path, body string }{
		{"/v1/auth/challenge", `{"wallet":"0xw","namespace":"beta"}`},
		{"/v1/auth/verify", `{"wallet":"0xw","nonce":"n","signature":"s","namespace":"beta"}`},
		{"/v1/auth/api-key", `{"wallet":"0xw","nonce":"n","signature":"s","namespace":"beta"}`},
		{"/v1/auth/register", `{"wallet":"0xw","nonce":"n","signature":"s","namespace":"beta","name":"a"}`},
		{"/v1/auth/simple-key", `{"wallet":"0xw","namespace":"beta"}`},
		{"/v1/auth/refresh", `{"refresh_token":"rt-1","namespace":"beta"}`},
		{"/v1/auth/logout", `{"refresh_token":"rt-1","namespace":"beta"}`},
	} {
		before := e.auth.CallCount()
		apitest.WantError(t, e.do(t, "POST", r.path, r.body, "X-API-Key", apitest.KeyAlpha), 403, sdk.CodeForbidden, "beta")
		if e.auth.CallCount() != before {
			t.Errorf("%s: a refused request reached the plugin", r.path)
		}
		// Anonymous callers name the namespace they sign in to.
		if rec := e.do(t, "POST", r.path, r.body); rec.Code >= 400 {
			t.Errorf("%s anonymous: %d %s", r.path, rec.Code, rec.Body)
		} else if c := e.auth.LastCall(t); c.Namespace != "beta" {
			t.Errorf("%s anonymous: plugin got namespace %q", r.path, c.Namespace)
		}
		// The caller's own namespace is fine, and an empty one means it.
		body := strings.Replace(r.body, `"namespace":"beta"`, `"namespace":""`, 1)
		if rec := e.do(t, "POST", r.path, body, "X-API-Key", apitest.KeyAlpha); rec.Code >= 400 {
			t.Errorf("%s own: %d %s", r.path, rec.Code, rec.Body)
		} else if c := e.auth.LastCall(t); c.Namespace != "alpha" {
			t.Errorf("%s own: plugin got namespace %q", r.path, c.Namespace)
		}
	}
	// An anonymous sign-in naming no namespace gets "default".
	e.do(t, "POST", "/v1/auth/challenge", `{"wallet":"0xw"}`)
	if c := e.auth.LastCall(t); c.Namespace != "default" {
		t.Errorf("anonymous challenge without namespace: %q", c.Namespace)
	}
	// A bad credential on a sign-in route is ignored, not refused: an
	// expired token can still refresh.
	if rec := e.do(t, "POST", "/v1/auth/refresh", `{"refresh_token":"rt-1","namespace":"beta"}`, "Authorization", "Bearer expired.jwt.token"); rec.Code != 200 {
		t.Errorf("refresh with an expired token: %d %s", rec.Code, rec.Body)
	}
}

func TestSystemNamespaceNeverRequestNamespace(t *testing.T) {
	e := newAuthEnv(t, nil)
	const sysJWT = "sys.jwt.token"
	e.jwt.Add(sysJWT, "0xroot", "_system")
	for _, p := range []string{"/v1/cache/get", "/v1/rqlite/query", "/v1/auth/whoami"} {
		apitest.WantError(t, e.do(t, "POST", p, `{}`, "Authorization", "Bearer "+sysJWT), 403, sdk.CodeForbidden, "reserved")
	}
	apitest.WantError(t, e.do(t, "POST", "/v1/auth/challenge", `{"wallet":"0xw","namespace":"_system"}`), 403, sdk.CodeForbidden, "reserved")
	apitest.WantError(t, e.do(t, "POST", "/v1/cache/get?namespace=_system", `{}`, "X-API-Key", apitest.KeyAlpha), 403, sdk.CodeForbidden, "reserved")
	// Disabled mode cannot reach it either.
	d := newTestEnv(t, nil)
	apitest.WantError(t, d.do(t, "POST", "/v1/auth/simple-key", `{"wallet":"0xw","namespace":"_system"}`), 403, sdk.CodeForbidden, "reserved")
}

func TestAuthDisabled(t *testing.T) {
	e := newTestEnv(t, nil)
	if !strings.Contains(e.logs.String(), "AUTHENTICATION IS DISABLED") {
		t.Errorf("no startup warning:\n%s", e.logs)
	}
	rec := e.do(t, "GET", "/v1/auth/whoami", "", "X-API-Key", apitest.KeyAlpha)
	if m := apitest.JSONBody(t, rec); rec.Code != 200 || m["authenticated"] != false || m["namespace"] != "default" {
		t.Errorf("whoami: %d %v", rec.Code, m)
	}
	if e.auth.ValidateCount() != 0 {
		t.Error("a key was validated with authentication disabled")
	}
	apitest.WantError(t, e.do(t, "POST", "/v1/cache/get?namespace=alpha", `{"dmap":"d","key":"k"}`), 403, sdk.CodeForbidden, "alpha")
	r := newAuthEnv(t, nil)
	if strings.Contains(r.logs.String(), "AUTHENTICATION IS DISABLED") {
		t.Error("warning logged with authentication required")
	}
}

func TestKeyCacheRevocationWithinTTL(t *testing.T) {
	e := newAuthEnv(t, func(o *Options) { o.Auth.KeyCacheTTL = 5 * time.Second })
	get := func() int {
		return e.do(t, "GET", "/v1/auth/whoami", "", "X-API-Key", apitest.KeyAlpha).Code
	}
	if get() != 200 || e.auth.ValidateCount() != 1 {
		t.Fatalf("first use: validations %d", e.auth.ValidateCount())
	}
	if get() != 200 || e.auth.ValidateCount() != 1 {
		t.Errorf("warm key asked the plugin again: %d", e.auth.ValidateCount())
	}
	e.auth.Revoke(apitest.KeyAlpha)
	e.clock.Advance(4 * time.Second)
	if get() != 200 {
		t.Error("the cached answer was not used within the TTL")
	}
	e.clock.Advance(time.Second)
	if code := get(); code != 401 {
		t.Errorf("revoked key still works %v after it was cached: %d", 5*time.Second, code)
	}
	if e.auth.ValidateCount() != 2 {
		t.Errorf("validations %d, want 2", e.auth.ValidateCount())
	}
}

func TestKeyCacheNegative(t *testing.T) {
	e := newAuthEnv(t, nil)
	k := apitest.TestKey(50, "alpha")
	get := func() int { return e.do(t, "GET", "/v1/auth/whoami", "", "X-API-Key", k).Code }
	if get() != 401 || get() != 401 {
		t.Fatal("unknown key accepted")
	}
	if n := e.auth.ValidateCount(); n != 1 {
		t.Errorf("refused key asked %d times within the negative TTL", n)
	}
	e.auth.AddKey(k, "alpha", "k50")
	e.clock.Advance(999 * time.Millisecond)
	if get() != 401 {
		t.Error("negative entry expired early")
	}
	e.clock.Advance(time.Millisecond)
	if code := get(); code != 200 {
		t.Errorf("new key refused after the negative TTL: %d", code)
	}
	// Errors other than unauthorized are not cached.
	k2 := apitest.TestKey(51, "alpha")
	e.auth.SetErr(sdk.Errorf(sdk.CodeUnavailable, "busy"))
	if code := e.do(t, "GET", "/v1/auth/whoami", "", "X-API-Key", k2).Code; code != 503 {
		t.Errorf("plugin error: %d", code)
	}
	e.auth.SetErr(nil)
	e.auth.AddKey(k2, "alpha", "k51")
	if code := e.do(t, "GET", "/v1/auth/whoami", "", "X-API-Key", k2).Code; code != 200 {
		t.Errorf("a transient error was cached: %d", code)
	}
}

func TestKeyCacheBoundedAndHashed(t *testing.T) {
	clock := apitest.NewFakeClock()
	c := newKeyCache(5*time.Second, time.Second, 32, clock.Now)
	for i := range 500 {
		c.put(hashKey(apitest.TestKey(byte(i), "ns")+string(rune('a'+i%26))), apitest.PrincipalOf("ns"))
	}
	if n := c.len(); n > 32 {
		t.Errorf("%d entries held, bound 32", n)
	}
	// Expired entries go first: after the TTL, a full shard drops them all.
	clock.Advance(6 * time.Second)
	k := hashKey(apitest.KeyAlpha)
	c.put(k, apitest.PrincipalOf("alpha"))
	if _, _, ok := c.get(k); !ok {
		t.Error("fresh entry missing")
	}
	// Entries are keyed by the SHA-256 of the key, never the key.
	sh := c.shard(k)
	sh.mu.Lock()
	_, byHash := sh.m[k]
	sh.mu.Unlock()
	if !byHash {
		t.Error("entry not stored under sha256(key)")
	}
}
