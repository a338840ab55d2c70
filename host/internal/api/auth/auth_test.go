package auth_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/host/internal/server/servertest"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
)

// wantJSON checks status and the exact JSON object of a response.
func wantJSON(t *testing.T, e *servertest.Env, status int, want string, method, path, body string, hdr ...string) {
	t.Helper()
	rec := e.Do(t, method, path, body, hdr...)
	if rec.Code != status {
		t.Fatalf("%s %s: status %d, want %d; body %s", method, path, rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s: Content-Type %q", path, ct)
	}
	var got, exp any
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatalf("%s: %v: %s", path, err, rec.Body)
	}
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		t.Fatalf("bad want: %v", err)
	}
	if !reflect.DeepEqual(got, exp) {
		t.Errorf("%s %s:\n got %s\nwant %s", method, path, rec.Body, want)
	}
}

func TestAuthChallenge(t *testing.T) {
	e := servertest.NewAuth(t, nil)
	wantJSON(t, e, 200, `{"wallet":"0xw","namespace":"app","nonce":"nonce-1","purpose":"login","expires_at":"2026-03-01T12:05:00Z"}`,
		"POST", "/v1/auth/challenge", `{"wallet":"0xw","purpose":"login","namespace":"app"}`)
	if c := e.Auth.LastCall(t); c.Method != "Challenge" || c.Wallet != "0xw" || c.Purpose != "login" || c.Namespace != "app" {
		t.Errorf("plugin call %+v", c)
	}
	apitest.WantError(t, e.Do(t, "POST", "/v1/auth/challenge", `{"namespace":"app"}`), 400, sdk.CodeInvalid, "wallet is required")
	apitest.WantError(t, e.Do(t, "POST", "/v1/auth/challenge", `{"wallet":1}`), 400, sdk.CodeInvalid, "invalid JSON body")
	apitest.WantError(t, e.Do(t, "GET", "/v1/auth/challenge", ""), 405, "", "method not allowed")
	e.Plugins.AuthDown = true
	apitest.WantError(t, e.Do(t, "POST", "/v1/auth/challenge", `{"wallet":"0xw"}`), 503, sdk.CodeUnavailable, "restarting")
}

func TestAuthVerify(t *testing.T) {
	e := servertest.NewAuth(t, nil)
	wantJSON(t, e, 200, `{"access_token":"a.b.c","token_type":"Bearer","expires_in":900,"refresh_token":"rt-1",
		"subject":"0xw","namespace":"app","api_key":"`+apitest.TestKey(9, "app")+`","nonce":"n1","signature_verified":true}`,
		"POST", "/v1/auth/verify", `{"wallet":"0xw","nonce":"n1","signature":"0xsig","namespace":"app","chain_type":"SOL"}`)
	if c := e.Auth.LastCall(t); c.Method != "Verify" || c.Nonce != "n1" || c.Signature != "0xsig" || c.Chain != "SOL" || c.Namespace != "app" {
		t.Errorf("plugin call %+v", c)
	}
	apitest.WantError(t, e.Do(t, "POST", "/v1/auth/verify", `{"wallet":"0xw","nonce":"n1","signature":"bad"}`), 401, sdk.CodeUnauthorized, "signature")
	for _, missing := range []string{`{"nonce":"n","signature":"s"}`, `{"wallet":"w","signature":"s"}`, `{"wallet":"w","nonce":"n"}`} {
		apitest.WantError(t, e.Do(t, "POST", "/v1/auth/verify", missing), 400, sdk.CodeInvalid, "is required")
	}
}

func TestAuthAPIKeyAndSimpleKey(t *testing.T) {
	e := servertest.NewAuth(t, nil)
	wantJSON(t, e, 200, `{"api_key":"`+apitest.TestKey(8, "app")+`","namespace":"app","plan":"pro","wallet":"0xw"}`,
		"POST", "/v1/auth/api-key", `{"wallet":"0xw","nonce":"n","signature":"s","namespace":"app","plan":"pro"}`)
	if c := e.Auth.LastCall(t); c.Method != "CreateAPIKey" || c.Plan != "pro" {
		t.Errorf("plugin call %+v", c)
	}
	apitest.WantError(t, e.Do(t, "POST", "/v1/auth/api-key", `{"wallet":"0xw","nonce":"n","signature":"bad"}`), 401, sdk.CodeUnauthorized, "")

	// Simple keys: forbidden unless the plugin's config allows them.
	apitest.WantError(t, e.Do(t, "POST", "/v1/auth/simple-key", `{"wallet":"0xw","namespace":"app"}`), 403, sdk.CodeForbidden, "disabled")
	e.Auth.SimpleOK = true
	wantJSON(t, e, 200, `{"api_key":"`+apitest.TestKey(7, "app")+`","namespace":"app","wallet":"0xw","created":"2026-03-01T12:05:00Z"}`,
		"POST", "/v1/auth/simple-key", `{"wallet":"0xw","namespace":"app"}`)
	apitest.WantError(t, e.Do(t, "POST", "/v1/auth/simple-key", `{"namespace":"app"}`), 400, sdk.CodeInvalid, "wallet is required")
}

func TestAuthRegister(t *testing.T) {
	e := servertest.NewAuth(t, nil)
	wantJSON(t, e, 201, `{"client_id":"app_123","app":{"app_id":"app_123","name":"My App","namespace":"app","wallet":"0xw"},"signature_verified":true}`,
		"POST", "/v1/auth/register", `{"wallet":"0xw","nonce":"n","signature":"s","namespace":"app","name":"My App"}`)
	apitest.WantError(t, e.Do(t, "POST", "/v1/auth/register", `{"wallet":"0xw","nonce":"n","signature":"s"}`), 400, sdk.CodeInvalid, "name is required")
	e.Auth.SetErr(sdk.Errorf(sdk.CodeConflict, "app name taken"))
	apitest.WantError(t, e.Do(t, "POST", "/v1/auth/register", `{"wallet":"0xw","nonce":"n","signature":"s","name":"x"}`), 409, sdk.CodeConflict, "taken")
}

func TestAuthToken(t *testing.T) {
	e := servertest.NewAuth(t, nil)
	wantJSON(t, e, 200, `{"access_token":"x.y.z","token_type":"Bearer","expires_in":900,"namespace":"alpha"}`,
		"POST", "/v1/auth/token", "", "X-API-Key", apitest.KeyAlpha)
	if c := e.Auth.LastCall(t); c.Method != "TokenForKey" || c.Token != apitest.KeyAlpha {
		t.Errorf("plugin call %+v", c)
	}
	apitest.WantError(t, e.Do(t, "POST", "/v1/auth/token", ""), 401, sdk.CodeUnauthorized, "missing API key")
	// A JWT is not an API key.
	apitest.WantError(t, e.Do(t, "POST", "/v1/auth/token", "", "Authorization", "Bearer "+apitest.JWTBeta), 401, sdk.CodeUnauthorized, "API key is required")
}

func TestAuthRefresh(t *testing.T) {
	e := servertest.NewAuth(t, nil)
	wantJSON(t, e, 200, `{"access_token":"d.e.f","token_type":"Bearer","expires_in":600,"refresh_token":"rt-2","subject":"0xwallet","namespace":"app"}`,
		"POST", "/v1/auth/refresh", `{"refresh_token":"rt-1","namespace":"app"}`)
	apitest.WantError(t, e.Do(t, "POST", "/v1/auth/refresh", `{"refresh_token":"old","namespace":"app"}`), 401, sdk.CodeUnauthorized, "invalid refresh token")
	apitest.WantError(t, e.Do(t, "POST", "/v1/auth/refresh", `{"namespace":"app"}`), 400, sdk.CodeInvalid, "refresh_token is required")
}

func TestAuthLogout(t *testing.T) {
	e := servertest.NewAuth(t, nil)
	wantJSON(t, e, 200, `{"status":"ok"}`, "POST", "/v1/auth/logout", `{"refresh_token":"rt-1","namespace":"app"}`)
	if c := e.Auth.LastCall(t); c.Method != "Logout" || c.Token != "rt-1" || c.Namespace != "app" || c.All || c.Subject != "" {
		t.Errorf("plugin call %+v", c)
	}
	// all:true needs a JWT, and revokes that JWT's subject in its namespace.
	apitest.WantError(t, e.Do(t, "POST", "/v1/auth/logout", `{"all":true,"namespace":"beta"}`), 401, sdk.CodeUnauthorized, "needs a valid JWT")
	apitest.WantError(t, e.Do(t, "POST", "/v1/auth/logout", `{"all":true}`, "X-API-Key", apitest.KeyBeta), 401, sdk.CodeUnauthorized, "needs a valid JWT")
	apitest.WantError(t, e.Do(t, "POST", "/v1/auth/logout", `{"all":true}`, "Authorization", "Bearer not.a.token"), 401, sdk.CodeUnauthorized, "needs a valid JWT")
	wantJSON(t, e, 200, `{"status":"ok"}`, "POST", "/v1/auth/logout", `{"all":true}`, "Authorization", "Bearer "+apitest.JWTBeta)
	if c := e.Auth.LastCall(t); !c.All || c.Subject != "0xbeta" || c.Namespace != "beta" {
		t.Errorf("plugin call %+v", c)
	}
	apitest.WantError(t, e.Do(t, "POST", "/v1/auth/logout", `{"namespace":"app"}`), 400, sdk.CodeInvalid, "refresh_token is required")
}

func TestAuthWhoami(t *testing.T) {
	e := servertest.NewAuth(t, nil)
	wantJSON(t, e, 200, `{"authenticated":true,"method":"jwt","subject":"0xbeta","issuer":"orama","audience":"orama-gateway",
		"issued_at":"2026-03-01T11:59:00Z","not_before":"2026-03-01T11:59:00Z","expires_at":"2026-03-01T12:14:00Z","namespace":"beta"}`,
		"GET", "/v1/auth/whoami", "", "Authorization", "Bearer "+apitest.JWTBeta)
	wantJSON(t, e, 200, `{"authenticated":true,"method":"api_key","api_key":"`+apitest.KeyAlpha+`","namespace":"alpha"}`,
		"GET", "/v1/auth/whoami", "", "X-API-Key", apitest.KeyAlpha)
	// Several audiences come back as a list; a missing nbf is the issue time.
	c := e.JWT.Add("multi.aud.token", "0xm", "alpha")
	c.Audience, c.NotBefore = []string{"a", "b"}, time.Time{}
	e.JWT.Tokens["multi.aud.token"] = c
	rec := e.Do(t, "GET", "/v1/auth/whoami", "", "Authorization", "Bearer multi.aud.token")
	m := apitest.JSONBody(t, rec)
	if aud, _ := m["audience"].([]any); len(aud) != 2 || m["not_before"] != "2026-03-01T11:59:00Z" {
		t.Errorf("whoami %v", m)
	}
}

func TestAuthJWKS(t *testing.T) {
	e := servertest.NewAuth(t, nil)
	now := e.Clock.Now()
	e.Auth.PubKeys = []auth.PublicKey{
		{Kid: "k1", Alg: "EdDSA", JWK: []byte(`{"kty":"OKP","crv":"Ed25519","x":"AAAA","kid":"k1"}`), NotAfter: now.Add(time.Hour), Signing: true},
		{Kid: "k0", Alg: "EdDSA", JWK: []byte(`{"kty":"OKP","crv":"Ed25519","x":"BBBB","kid":"k0"}`), NotAfter: now.Add(-time.Second)},
		{Kid: "k2", Alg: "ES256", JWK: []byte(`{"kty":"EC","kid":"k2"}`)},
		{Kid: "bad", JWK: []byte(`{not json`)},
	}
	want := `{"keys":[{"kty":"OKP","crv":"Ed25519","x":"AAAA","kid":"k1"},{"kty":"EC","kid":"k2"}]}`
	for _, path := range []string{"/v1/auth/jwks", "/.well-known/jwks.json"} {
		wantJSON(t, e, 200, want, "GET", path, "")
		if cc := e.Do(t, "GET", path, "").Header().Get("Cache-Control"); cc != "public, max-age=60" {
			t.Errorf("%s: Cache-Control %q", path, cc)
		}
	}
	e.Auth.PubKeys = nil
	wantJSON(t, e, 200, `{"keys":[]}`, "GET", "/v1/auth/jwks", "")
	e.Auth.SetErr(sdk.Errorf(sdk.CodeUnavailable, "database down"))
	apitest.WantError(t, e.Do(t, "GET", "/v1/auth/jwks", ""), 503, sdk.CodeUnavailable, "database down")
}
