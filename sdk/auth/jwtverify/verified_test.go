package jwtverify_test

import (
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// A remembered token answers like a fresh verification: valid until it
// expires, and a changed byte is never served from the cache.
func TestVerifiedCacheKeepsTheAnswers(t *testing.T) {
	f := newFixture(t)
	tok := sign(t, jwt.SigningMethodEdDSA, "ed-1", f.claims(), f.ed)
	p1, c1, err := f.v.Verify(t.Context(), tok)
	if err != nil {
		t.Fatal(err)
	}
	p2, c2, err := f.v.Verify(t.Context(), tok)
	if err != nil || p2 != p1 || c2.ExpiresAt != c1.ExpiresAt || c2.Namespace != "ns1" {
		t.Fatalf("second verify: %+v %+v %v", p2, c2, err)
	}
	// A tampered copy (last signature byte flipped) is checked afresh.
	b := []byte(tok)
	if b[len(b)-2] == 'A' {
		b[len(b)-2] = 'B'
	} else {
		b[len(b)-2] = 'A'
	}
	_, _, err = f.v.Verify(t.Context(), string(b))
	plugintest.WantCode(t, err, "tampered copy of a cached token", sdk.CodeUnauthorized)
	// Past exp + skew the cached token is refused.
	f.clock.Advance(15*time.Minute + 61*time.Second)
	_, _, err = f.v.Verify(t.Context(), tok)
	plugintest.WantCode(t, err, "cached token after expiry", sdk.CodeUnauthorized)
}

func TestVerifiedCacheBoundedAndOptional(t *testing.T) {
	f := newFixture(t)
	f.v.VerifiedCacheSize = 2
	for i := range 5 {
		c := f.claims()
		c["sub"] = "0x" + strings.Repeat("a", i+1)
		if _, _, err := f.v.Verify(t.Context(), sign(t, jwt.SigningMethodEdDSA, "ed-1", c, f.ed)); err != nil {
			t.Fatal(err)
		}
	}
	g := newFixture(t)
	g.v.VerifiedCacheSize = -1 // no cache: every call verifies
	tok := sign(t, jwt.SigningMethodES256, "ec-1", g.claims(), g.ec)
	for range 3 {
		if _, _, err := g.v.Verify(t.Context(), tok); err != nil {
			t.Fatal(err)
		}
	}
}
