package authtest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/jwtverify"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// refresh refreshes or fails the test.
func refresh(t *testing.T, e Env, token, ns string) auth.Session {
	t.Helper()
	s, err := e.Auth.Refresh(t.Context(), token, ns)
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	return s
}

func testRefreshRotates(t *testing.T, e Env) {
	w, ns := NewETHWallet(), plugintest.Unique("refresh")
	s1 := signIn(t, e, w, ns)
	s2 := refresh(t, e, s1.RefreshToken, ns)
	if s2.RefreshToken == "" || s2.RefreshToken == s1.RefreshToken {
		t.Fatalf("Refresh returned refresh token %q, want a new one", s2.RefreshToken)
	}
	if !strings.EqualFold(s2.Subject, w.Address()) || s2.Namespace != ns || s2.ExpiresIn <= 0 {
		t.Errorf("refreshed session %+v, want subject %s, namespace %s", s2, w.Address(), ns)
	}
	checkAccessToken(t, e, s2.AccessToken, w.Address(), ns)
	s3 := refresh(t, e, s2.RefreshToken, ns)
	checkAccessToken(t, e, s3.AccessToken, w.Address(), ns)
}

func testRefreshReuseRevokesFamily(t *testing.T, e Env) {
	w, ns := NewETHWallet(), plugintest.Unique("reuse")
	s1 := signIn(t, e, w, ns)
	other := signIn(t, e, w, ns) // a second session of the same wallet
	s2 := refresh(t, e, s1.RefreshToken, ns)

	_, err := e.Auth.Refresh(t.Context(), s1.RefreshToken, ns)
	plugintest.WantCode(t, err, "reuse of a rotated refresh token", sdk.CodeUnauthorized)
	_, err = e.Auth.Refresh(t.Context(), s2.RefreshToken, ns)
	plugintest.WantCode(t, err, "newest token of a family whose old token was reused", sdk.CodeUnauthorized)

	// The other session is another family: untouched.
	refresh(t, e, other.RefreshToken, ns)
}

func testRefreshBadTokens(t *testing.T, e Env) {
	w, ns := NewETHWallet(), plugintest.Unique("refresh-bad")
	s := signIn(t, e, w, ns)
	_, err := e.Auth.Refresh(t.Context(), s.RefreshToken, plugintest.Unique("refresh-other"))
	plugintest.WantCode(t, err, "refresh in another namespace", sdk.CodeUnauthorized)
	for name, tok := range map[string]string{
		"empty":        "",
		"garbage":      "nope",
		"access token": s.AccessToken,
		"api key":      s.APIKey,
		"changed":      s.RefreshToken[:len(s.RefreshToken)-1] + string(s.RefreshToken[len(s.RefreshToken)-1]^1),
	} {
		_, err := e.Auth.Refresh(t.Context(), tok, ns)
		plugintest.WantCode(t, err, "refresh with "+name, sdk.CodeUnauthorized, sdk.CodeInvalid)
	}
	// None of that hurt the real token.
	refresh(t, e, s.RefreshToken, ns)
}

func testLogoutOne(t *testing.T, e Env) {
	w, ns := NewETHWallet(), plugintest.Unique("logout")
	s, keep := signIn(t, e, w, ns), signIn(t, e, w, ns)
	if err := e.Auth.Logout(t.Context(), s.RefreshToken, ns, false, ""); err != nil {
		t.Fatal(err)
	}
	_, err := e.Auth.Refresh(t.Context(), s.RefreshToken, ns)
	plugintest.WantCode(t, err, "refresh after logout", sdk.CodeUnauthorized)
	refresh(t, e, keep.RefreshToken, ns)
}

func testLogoutAll(t *testing.T, e Env) {
	w, ns, elsewhere := NewETHWallet(), plugintest.Unique("logout-all"), plugintest.Unique("logout-all-b")
	s1, s2 := signIn(t, e, w, ns), signIn(t, e, w, ns)
	s3 := refresh(t, e, s2.RefreshToken, ns)
	away := signIn(t, e, w, elsewhere)
	otherWallet := NewETHWallet()
	if err := e.Auth.Logout(t.Context(), "", ns, true, ""); plugintest.Code(err) != sdk.CodeInvalid {
		t.Errorf("Logout all without a subject: %v, want invalid", err)
	}
	if err := e.Auth.Logout(t.Context(), "", ns, true, s1.Subject); err != nil {
		t.Fatal(err)
	}
	for name, tok := range map[string]string{"first": s1.RefreshToken, "rotated": s3.RefreshToken} {
		_, err := e.Auth.Refresh(t.Context(), tok, ns)
		plugintest.WantCode(t, err, "refresh of the "+name+" session after logout all", sdk.CodeUnauthorized)
	}
	refresh(t, e, away.RefreshToken, elsewhere)
	// Logging out a wallet with no sessions is fine.
	if err := e.Auth.Logout(t.Context(), "", ns, true, otherWallet.Address()); err != nil {
		t.Errorf("Logout all of a wallet without sessions: %v", err)
	}
}

func testKeys(t *testing.T, e Env) {
	w, ns := NewETHWallet(), plugintest.Unique("keys")
	s := signIn(t, e, w, ns)
	keys, err := e.Auth.Keys(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	signing, kids := 0, map[string]bool{}
	for _, k := range keys {
		j, err := jwtverify.ParseJWK(k.JWK)
		if err != nil {
			t.Errorf("key %s: %v", k.Kid, err)
			continue
		}
		if j.Kid != k.Kid || j.Alg != k.Alg {
			t.Errorf("key %s/%s has a JWK of kid %s alg %s", k.Kid, k.Alg, j.Kid, j.Alg)
		}
		var fields map[string]any
		_ = json.Unmarshal(k.JWK, &fields)
		for _, private := range []string{"d", "p", "q", "k"} {
			if _, ok := fields[private]; ok {
				t.Errorf("key %s: JWK has the private member %q", k.Kid, private)
			}
		}
		if k.Signing {
			signing++
		}
		kids[k.Kid] = true
	}
	if signing < 1 {
		t.Errorf("Keys lists %d keys, none marked Signing", len(keys))
	}
	_, c, err := verifier(e).Verify(t.Context(), s.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if !kids[c.KeyID] {
		t.Errorf("the token's kid %s is not in Keys", c.KeyID)
	}
}

func testSimpleKey(t *testing.T, e Env) {
	w, ns := NewETHWallet(), plugintest.Unique("simple")
	k, err := e.Auth.SimpleKey(t.Context(), w.Address(), ns)
	if !e.SimpleKeys {
		plugintest.WantCode(t, err, "SimpleKey with the default config", sdk.CodeForbidden)
		return
	}
	if err != nil {
		t.Fatalf("SimpleKey with simple keys allowed: %v", err)
	}
	checkNewKey(t, k, ns, w.Address(), k.Plan)
	wantValid(t, e, k.Key, k.ID, ns, w.Address())
}

func testRegister(t *testing.T, e Env) {
	w, ns := NewETHWallet(), plugintest.Unique("register")
	a, err := e.Auth.Register(t.Context(), w.Proof(challenge(t, e, w.Address(), ns)), "my-app")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(a.ClientID, "app_") || a.Name != "my-app" || a.Namespace != ns || !strings.EqualFold(a.Wallet, w.Address()) {
		t.Errorf("app %+v, want app_…, my-app, %s, %s", a, ns, w.Address())
	}
	_, err = e.Auth.Register(t.Context(), w.Proof(challenge(t, e, w.Address(), ns)), "my-app")
	plugintest.WantCode(t, err, "second app of the same name", sdk.CodeConflict)
	b, err := e.Auth.Register(t.Context(), w.Proof(challenge(t, e, w.Address(), ns)), "other-app")
	if err != nil {
		t.Fatal(err)
	}
	if b.ClientID == a.ClientID {
		t.Error("two apps share a client id")
	}
	_, err = e.Auth.Register(t.Context(), w.Proof(challenge(t, e, w.Address(), ns)), "")
	plugintest.WantCode(t, err, "app without a name", sdk.CodeInvalid)
}

func testHealth(t *testing.T, e Env) {
	h, err := e.Auth.Health(t.Context())
	if err != nil || !h.OK {
		t.Errorf("Health = %+v, %v; want OK", h, err)
	}
}
