package authtest

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

func testChallenge(t *testing.T, e Env) {
	w, ns := NewETHWallet(), plugintest.Unique("chal")
	before := e.Now()
	c, err := e.Auth.Challenge(t.Context(), w.Address(), "login", ns, "")
	after := e.Now()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.EqualFold(c.Wallet, w.Address()) || c.Namespace != ns || c.Purpose != "login" {
		t.Errorf("Challenge = %+v, want wallet %s, namespace %s, purpose login", c, w.Address(), ns)
	}
	raw, err := base64.RawURLEncoding.DecodeString(c.Nonce)
	if err != nil || len(raw) != 32 {
		t.Errorf("nonce %q is not base64url of 32 bytes (%v)", c.Nonce, err)
	}
	// The wire carries milliseconds: allow one either way.
	lo, hi := before.Add(e.NonceTTL-time.Millisecond), after.Add(e.NonceTTL+time.Millisecond)
	if c.ExpiresAt.Before(lo) || c.ExpiresAt.After(hi) {
		t.Errorf("ExpiresAt %v, want within [%v, %v] (NonceTTL %v after issue)", c.ExpiresAt, lo, hi, e.NonceTTL)
	}
	c2 := challenge(t, e, w.Address(), ns)
	if c2.Nonce == c.Nonce {
		t.Error("two challenges got the same nonce")
	}
}

func testChallengeInvalid(t *testing.T, e Env) {
	w := NewETHWallet().Address()
	cases := map[string][2]string{
		"no wallet":        {"", plugintest.Unique("inv")},
		"no namespace":     {w, ""},
		"system namespace": {w, "_system"},
		"system, upper":    {w, "_SYSTEM"},
		"reserved prefix":  {w, "_private"},
		"bad namespace":    {w, "a/b"},
		"long namespace":   {w, strings.Repeat("n", 200)},
		"long wallet":      {strings.Repeat("w", 300), plugintest.Unique("inv")},
	}
	for name, c := range cases {
		_, err := e.Auth.Challenge(t.Context(), c[0], "login", c[1], "")
		plugintest.WantCode(t, err, name, sdk.CodeInvalid, sdk.CodeForbidden)
	}
}

// checkSession checks a sign-in's session: tokens, subject, namespace
// and the API key, which must validate to the same wallet and namespace.
func checkSession(t *testing.T, e Env, s auth.Session, wallet, ns string) {
	t.Helper()
	if !strings.EqualFold(s.Subject, wallet) || s.Namespace != ns {
		t.Errorf("session subject %q namespace %q, want %q and %q", s.Subject, s.Namespace, wallet, ns)
	}
	if s.ExpiresIn <= 0 || s.RefreshToken == "" {
		t.Errorf("session ExpiresIn %v, refresh token %q: want both set", s.ExpiresIn, s.RefreshToken)
	}
	checkAccessToken(t, e, s.AccessToken, wallet, ns)
	if !strings.HasPrefix(s.APIKey, auth.APIKeyPrefix) || !strings.HasSuffix(s.APIKey, ":"+ns) {
		t.Errorf("session API key %q, want ak_…:%s", s.APIKey, ns)
		return
	}
	p, err := e.Auth.ValidateAPIKey(t.Context(), s.APIKey)
	if err != nil {
		t.Errorf("ValidateAPIKey(session key): %v", err)
		return
	}
	if p.Method != auth.MethodAPIKey || p.Namespace != ns || !strings.EqualFold(p.Subject, wallet) || p.KeyID == "" {
		t.Errorf("principal of the session key %+v, want api_key, %s, %s and a key id", p, ns, wallet)
	}
}

// checkAccessToken verifies tok as the host does and checks its claims.
func checkAccessToken(t *testing.T, e Env, tok, subject, ns string) {
	t.Helper()
	p, c, err := verifier(e).Verify(t.Context(), tok)
	if err != nil {
		t.Errorf("access token does not verify with Keys: %v", err)
		return
	}
	if p.Method != auth.MethodJWT || p.Namespace != ns || (subject != "" && !strings.EqualFold(p.Subject, subject)) {
		t.Errorf("token principal %+v, want jwt, namespace %s, subject %s", p, ns, subject)
	}
	if c.ExpiresAt.Sub(c.IssuedAt) <= 0 || c.KeyID == "" {
		t.Errorf("token claims %+v: want exp after iat and a kid", c)
	}
}

func testVerifyETH(t *testing.T, e Env) {
	w, ns := NewETHWallet(), plugintest.Unique("eth")
	c := challenge(t, e, w.Address(), ns)
	s, err := e.Auth.Verify(t.Context(), w.Proof(c))
	if err != nil {
		t.Fatalf("Verify with v 27/28: %v", err)
	}
	checkSession(t, e, s, w.Address(), ns)
}

func testVerifyETHRecoveryID01(t *testing.T, e Env) {
	w, ns := NewETHWallet(), plugintest.Unique("eth01")
	c := challenge(t, e, w.Address(), ns)
	sig := w.SignPersonal(c.Nonce)
	sig[64] -= 27 // v 0/1, as some wallets and libraries produce
	p := w.Proof(c)
	p.Signature = "0x" + hex.EncodeToString(sig)
	s, err := e.Auth.Verify(t.Context(), p)
	if err != nil {
		t.Fatalf("Verify with v 0/1: %v", err)
	}
	checkSession(t, e, s, w.Address(), ns)
}

func testVerifyETHSpellings(t *testing.T, e Env) {
	w, ns := NewETHWallet(), plugintest.Unique("spell")
	addr := w.Address()
	cases := []struct {
		name                    string
		challengeWallet, wallet string
		sig                     func([]byte) string
		chain                   string
	}{
		{"checksummed challenge, lower-case proof, no 0x on the signature", addr, strings.ToLower(addr),
			func(b []byte) string { return hex.EncodeToString(b) }, auth.ChainETH},
		{"lower-case challenge, upper-case hex, empty chain type", strings.ToLower(addr), "0x" + strings.ToUpper(addr[2:]),
			func(b []byte) string { return "0x" + strings.ToUpper(hex.EncodeToString(b)) }, ""},
		{"address without 0x", strings.TrimPrefix(strings.ToLower(addr), "0x"), addr,
			func(b []byte) string { return "0x" + hex.EncodeToString(b) }, auth.ChainETH},
	}
	for _, tc := range cases {
		c := challenge(t, e, tc.challengeWallet, ns)
		p := auth.Proof{Wallet: tc.wallet, Nonce: c.Nonce, Signature: tc.sig(w.SignPersonal(c.Nonce)), Namespace: ns, ChainType: tc.chain}
		s, err := e.Auth.Verify(t.Context(), p)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !strings.EqualFold(strings.TrimPrefix(s.Subject, "0x"), strings.TrimPrefix(addr, "0x")) {
			t.Errorf("%s: subject %q, want %s", tc.name, s.Subject, addr)
		}
	}
}

func testVerifySOL(t *testing.T, e Env) {
	w, ns := NewSOLWallet(), plugintest.Unique("sol")
	c := challenge(t, e, w.Address(), ns)
	s, err := e.Auth.Verify(t.Context(), w.Proof(c))
	if err != nil {
		t.Fatalf("Verify SOL: %v", err)
	}
	if s.Subject != w.Address() {
		t.Errorf("subject %q, want the base58 key %s exactly", s.Subject, w.Address())
	}
	checkSession(t, e, s, w.Address(), ns)
}
