package server

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/orama-network/orama/host/internal/api/apitest"
)

// Unit tests of issue 8 around authentication: credential precedence
// with both headers, tokens minted from a revoked key, the membership
// routes, reserved namespaces and the client address of a challenge.

func TestBothHeadersJWTIsTheIdentity(t *testing.T) {
	e := newAuthEnv(t, nil)
	both := []string{"X-API-Key", apitest.KeyAlpha, "Authorization", "Bearer " + apitest.JWTBeta}
	code, m := whoami(t, e, "", both...)
	if code != 200 || m["method"] != "jwt" || m["subject"] != "0xbeta" {
		t.Errorf("whoami with both headers: %d %v, want the JWT", code, m)
	}
	rec := e.do(t, "POST", "/v1/auth/logout", `{"all":true}`, both...)
	if rec.Code != 200 {
		t.Fatalf("logout all with both headers: %d %s", rec.Code, rec.Body)
	}
	if c := e.auth.LastCall(t); c.Method != "Logout" || !c.All || c.Subject != "0xbeta" || c.Namespace != "beta" {
		t.Errorf("Logout call %+v, want all for 0xbeta in beta", c)
	}
	// /v1/auth/token still mints a token for the key the client sent.
	rec = e.do(t, "POST", "/v1/auth/token", "", both...)
	if rec.Code != 200 {
		t.Fatalf("token with both headers: %d %s", rec.Code, rec.Body)
	}
	if c := e.auth.LastCall(t); c.Method != "TokenForKey" || c.Token != apitest.KeyAlpha {
		t.Errorf("TokenForKey call %+v, want the X-API-Key", c)
	}
}

func TestTokenOfRevokedKeyRefusedWithinKeyCacheTTL(t *testing.T) {
	e := newAuthEnv(t, func(o *Options) { o.Auth.KeyCacheTTL = 5 * time.Second })
	const tok = "minted.from.alpha"
	e.jwt.AddForKey(tok, "key:ka", "alpha", "ka")
	for i := 0; i < 3; i++ {
		if code, m := whoami(t, e, "", "Authorization", "Bearer "+tok); code != 200 || m["method"] != "jwt" {
			t.Fatalf("token of an active key, #%d: %d %v", i+1, code, m)
		}
	}
	if n := e.auth.KeyIDCount(); n != 1 {
		t.Errorf("%d ValidateKeyID calls for three requests, want 1 (cached)", n)
	}
	e.auth.Revoke(apitest.KeyAlpha)
	e.clock.Advance(5 * time.Second) // key_cache_ttl
	rec := e.do(t, "GET", "/v1/auth/whoami", "", "Authorization", "Bearer "+tok)
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("token of a revoked key after key_cache_ttl: %d %s, want 401", rec.Code, rec.Body)
	}
	// A token of another namespace's key is refused too.
	const other = "minted.elsewhere.x"
	e.jwt.AddForKey(other, "key:kb", "alpha", "kb") // kb is beta's key
	if rec := e.do(t, "GET", "/v1/auth/whoami", "", "Authorization", "Bearer "+other); rec.Code != http.StatusUnauthorized {
		t.Errorf("token naming another namespace's key: %d, want 401", rec.Code)
	}
	// A wallet's token names no key and costs no key check.
	before := e.auth.KeyIDCount()
	if code, _ := whoami(t, e, "", "Authorization", "Bearer "+apitest.JWTBeta); code != 200 {
		t.Errorf("wallet token: %d", code)
	}
	if e.auth.KeyIDCount() != before {
		t.Error("a token without api_key_id was checked against the keys")
	}
}

func TestMembersRoutes(t *testing.T) {
	e := newAuthEnv(t, nil)
	e.jwt.Add("owner.jwt.x", "0xowner", "team")
	e.jwt.Add("friend.jwt.x", "0xfriend", "team")
	e.jwt.Add("opkey.jwt.x", "key:ko", "team")
	opKey := apitest.TestKey(50, "team")
	e.auth.AddKey(opKey, "team", "ko")
	e.auth.Mu.Lock()
	p := e.auth.KeyMap[opKey]
	p.Subject = "" // an operator key names no wallet
	e.auth.KeyMap[opKey] = p
	e.auth.Mu.Unlock()

	owner := []string{"Authorization", "Bearer owner.jwt.x"}
	rec := e.do(t, "POST", "/v1/auth/namespace/members", `{"wallet":"0xnew","role":"owner"}`, owner...)
	if rec.Code != 200 {
		t.Fatalf("owner adds: %d %s", rec.Code, rec.Body)
	}
	var added map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &added)
	if added["namespace"] != "team" || added["wallet"] != "0xnew" || added["role"] != "owner" || added["added_by"] != "0xowner" {
		t.Errorf("add response %v", added)
	}
	if c := e.auth.LastCall(t); c.Method != "AddMember" || c.Actor != "0xowner" || c.Namespace != "team" || c.Role != "owner" {
		t.Errorf("AddMember call %+v", c)
	}
	rec = e.do(t, "GET", "/v1/auth/namespace/members", "", owner...)
	if rec.Code != 200 {
		t.Fatalf("owner lists: %d %s", rec.Code, rec.Body)
	}
	var list map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &list)
	if list["owner"] != "0xowner" || list["count"] != float64(1) {
		t.Errorf("list %v", list)
	}
	rec = e.do(t, "DELETE", "/v1/auth/namespace/members/0xfriend", "", owner...)
	if rec.Code != 200 {
		t.Fatalf("owner removes: %d %s", rec.Code, rec.Body)
	}
	if c := e.auth.LastCall(t); c.Method != "RemoveMember" || c.Wallet != "0xfriend" || c.Actor != "0xowner" {
		t.Errorf("RemoveMember call %+v", c)
	}

	for name, hdr := range map[string][]string{
		"a member's JWT":                 {"Authorization", "Bearer friend.jwt.x"},
		"an operator key":                {"X-API-Key", opKey},
		"a token minted from an op. key": {"Authorization", "Bearer opkey.jwt.x"},
	} {
		calls := e.auth.CallCount()
		rec := e.do(t, "POST", "/v1/auth/namespace/members", `{"wallet":"0xevil"}`, hdr...)
		if rec.Code != http.StatusForbidden {
			t.Errorf("%s adds: %d %s, want 403", name, rec.Code, rec.Body)
		}
		if name != "a member's JWT" && e.auth.CallCount() != calls {
			t.Errorf("%s: the request reached the plugin (as an operator?)", name)
		}
	}
	if rec := e.do(t, "GET", "/v1/auth/namespace/members", ""); rec.Code != http.StatusUnauthorized {
		t.Errorf("anonymous list: %d, want 401", rec.Code)
	}
	if rec := e.do(t, "POST", "/v1/auth/namespace/members", `{"wallet":"0xnew","namespace":"other"}`, owner...); rec.Code != http.StatusForbidden {
		t.Errorf("add naming another namespace: %d, want 403", rec.Code)
	}
	if rec := e.do(t, "POST", "/v1/auth/namespace/members", `{}`, owner...); rec.Code != http.StatusBadRequest {
		t.Errorf("add without wallet: %d, want 400", rec.Code)
	}
}

func TestReservedNamespacesAnyCase(t *testing.T) {
	e := newAuthEnv(t, nil)
	for _, ns := range []string{"_system", "_SYSTEM", "_System", "_other"} {
		rec := e.do(t, "POST", "/v1/auth/challenge", `{"wallet":"0xabc","namespace":"`+ns+`"}`)
		if rec.Code != http.StatusForbidden {
			t.Errorf("challenge in %s: %d %s, want 403", ns, rec.Code, rec.Body)
		}
	}
}

func TestChallengePassesClientIP(t *testing.T) {
	e := newAuthEnv(t, nil)
	rec := e.doFrom(t, "203.0.113.9:4711", "POST", "/v1/auth/challenge", `{"wallet":"0xabc","namespace":"ns"}`)
	if rec.Code != 200 {
		t.Fatalf("challenge: %d %s", rec.Code, rec.Body)
	}
	if c := e.auth.LastCall(t); c.ClientIP != "203.0.113.9" {
		t.Errorf("client IP passed to the plugin %q, want 203.0.113.9", c.ClientIP)
	}
}

// BenchmarkAuthIssue8: the paths issue 8 added to authentication — a
// JWT minted from a key (its key's status from the key cache) and a JWT
// sent beside an X-API-Key — next to which BenchmarkAuthJWT/fake is the
// plain JWT.
func BenchmarkAuthIssue8(b *testing.B) {
	b.Run("jwt-from-key", func(b *testing.B) {
		e := benchAuthEnv(b, func(o *Options) { o.Auth.KeyCacheTTL = time.Hour })
		e.jwt.AddForKey("minted.from.alpha", "key:ka", "alpha", "ka")
		runGet(b, e, "Authorization", "Bearer minted.from.alpha")
		if n := e.auth.KeyIDCount(); n != 1 {
			b.Fatalf("the key id was checked %d times; want once (cached)", n)
		}
	})
	// The config's default per-IP limit of the auth routes turns the rate
	// limit middleware on for every route; a cache request pays only the
	// group lookup (compare BenchmarkAuthAPIKeyWarm).
	b.Run("api-key-with-default-auth-limit", func(b *testing.B) {
		e := benchAuthEnv(b, func(o *Options) {
			o.Auth.KeyCacheTTL = time.Hour
			o.RateLimits = map[string]RateLimit{GroupAuth: {IPRequestsPerSecond: 10, IPBurst: 100}}
		})
		runGet(b, e, "X-API-Key", apitest.KeyAlpha)
	})
	b.Run("both-headers", func(b *testing.B) {
		e := benchAuthEnv(b, nil)
		e.jwt.Add(apitest.JWTBeta, "0xbeta", "alpha")
		runGet(b, e, "X-API-Key", apitest.KeyAlpha, "Authorization", "Bearer "+apitest.JWTBeta)
	})
}
