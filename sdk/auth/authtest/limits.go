package authtest

import (
	"fmt"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// uniqueIP is a client address no other subtest uses (the implementation
// treats it as text).
func uniqueIP() string {
	return fmt.Sprintf("2001:db8:%s::%x", plugintest.RunID()[:4], plugintest.Seq())
}

// testChallengeCaps: the outstanding challenges of one wallet and of one
// client IP are bounded; a used challenge no longer counts.
func testChallengeCaps(t *testing.T, e Env) {
	if e.MaxChallengesPerWallet <= 0 || e.MaxChallengesPerIP <= 0 {
		t.Fatal("Env.MaxChallengesPerWallet and MaxChallengesPerIP must be set: unbounded challenges let a stranger fill the database")
	}
	ctx := t.Context()
	w, ns, ip := NewETHWallet(), plugintest.Unique("caps"), uniqueIP()
	var first auth.Challenge
	for i := 0; i < e.MaxChallengesPerWallet; i++ {
		c, err := e.Auth.Challenge(ctx, w.Address(), "login", ns, uniqueIP())
		if err != nil {
			t.Fatalf("challenge %d of %d for one wallet: %v", i+1, e.MaxChallengesPerWallet, err)
		}
		if i == 0 {
			first = c
		}
	}
	_, err := e.Auth.Challenge(ctx, w.Address(), "login", ns, uniqueIP())
	plugintest.WantCode(t, err, "one challenge over the wallet's bound", sdk.CodeRateLimited)
	if _, err := e.Auth.Verify(ctx, w.Proof(first)); err != nil {
		t.Fatalf("verify a challenge issued before the bound: %v", err)
	}
	if _, err := e.Auth.Challenge(ctx, w.Address(), "login", ns, uniqueIP()); err != nil {
		t.Errorf("a challenge after one was used: %v", err)
	}

	for i := 0; i < e.MaxChallengesPerIP; i++ {
		if _, err := e.Auth.Challenge(ctx, NewETHWallet().Address(), "login", ns, ip); err != nil {
			t.Fatalf("challenge %d of %d from one address: %v", i+1, e.MaxChallengesPerIP, err)
		}
	}
	_, err = e.Auth.Challenge(ctx, NewETHWallet().Address(), "login", ns, ip)
	plugintest.WantCode(t, err, "one challenge over the address's bound", sdk.CodeRateLimited)
	if _, err := e.Auth.Challenge(ctx, NewETHWallet().Address(), "login", ns, uniqueIP()); err != nil {
		t.Errorf("a challenge from another address: %v", err)
	}
}

// testTokenNamesItsKey: a token minted from a key names it (claim
// api_key_id), and ValidateKeyID says whether that key is still active.
func testTokenNamesItsKey(t *testing.T, e Env) {
	ns := plugintest.Unique("tokkey")
	k, err := e.Auth.CreateKey(t.Context(), ns, "ci", "free")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := e.Auth.TokenForKey(t.Context(), k.Key)
	if err != nil {
		t.Fatal(err)
	}
	p, c, err := verifier(e).Verify(t.Context(), tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if p.KeyID != k.ID || c.APIKeyID != k.ID {
		t.Errorf("token principal key id %q, claim %q; want %q", p.KeyID, c.APIKeyID, k.ID)
	}
	kp, err := e.Auth.ValidateKeyID(t.Context(), k.ID)
	if err != nil || kp.KeyID != k.ID || kp.Namespace != ns {
		t.Errorf("ValidateKeyID(active) = %+v, %v; want the key in %s", kp, err, ns)
	}
	if err := e.Auth.RevokeKey(t.Context(), ns, k.ID); err != nil {
		t.Fatal(err)
	}
	_, err = e.Auth.ValidateKeyID(t.Context(), k.ID)
	plugintest.WantCode(t, err, "ValidateKeyID of a revoked key", sdk.CodeUnauthorized)
	_, err = e.Auth.ValidateKeyID(t.Context(), "key_nope")
	plugintest.WantCode(t, err, "ValidateKeyID of an unknown key", sdk.CodeUnauthorized)
	// A wallet's sign-in token names no key.
	w := NewETHWallet()
	s := signIn(t, e, w, plugintest.Unique("tokkey-w"))
	if p, _, err := verifier(e).Verify(t.Context(), s.AccessToken); err != nil || p.KeyID != "" {
		t.Errorf("sign-in token principal %+v, %v; want no key id", p, err)
	}
}
