package jwtverify_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/jwtverify"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

const (
	issuer   = "orama"
	audience = "orama-gateway"
)

// clock is a settable clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// keySet is a fake auth plugin's Keys: the public keys it lists and how
// often it was asked.
type keySet struct {
	mu    sync.Mutex
	keys  []auth.PublicKey
	calls int
	err   error
}

func (s *keySet) Keys(context.Context) ([]auth.PublicKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.err != nil {
		return nil, s.err
	}
	return append([]auth.PublicKey(nil), s.keys...), nil
}

func (s *keySet) add(t *testing.T, kid string, pub any, notAfter time.Time) {
	t.Helper()
	alg, jwk, err := jwtverify.MarshalJWK(kid, pub)
	if err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	s.keys = append(s.keys, auth.PublicKey{Kid: kid, Alg: alg, JWK: jwk, NotAfter: notAfter})
	s.mu.Unlock()
}

func (s *keySet) callCount() int { s.mu.Lock(); defer s.mu.Unlock(); return s.calls }

// fixture is a verifier over a key set holding one Ed25519 key ("ed-1")
// and one P-256 key ("ec-1"), with a settable clock.
type fixture struct {
	clock *clock
	set   *keySet
	v     *jwtverify.Verifier
	ed    ed25519.PrivateKey
	ec    *ecdsa.PrivateKey
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{clock: &clock{now: time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)}, set: &keySet{}, ed: ed, ec: ec}
	f.set.add(t, "ed-1", ed.Public(), time.Time{})
	f.set.add(t, "ec-1", &ec.PublicKey, time.Time{})
	f.v = &jwtverify.Verifier{Keys: f.set.Keys, Issuer: issuer, Audience: audience, Now: f.clock.Now}
	return f
}

// claims returns valid claims issued now for 15 minutes.
func (f *fixture) claims() jwt.MapClaims {
	now := f.clock.Now()
	return jwt.MapClaims{
		"iss": issuer, "aud": audience, "sub": "0xabc", "namespace": "ns1",
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(15 * time.Minute).Unix(),
	}
}

func sign(t *testing.T, m jwt.SigningMethod, kid string, c jwt.MapClaims, key any) string {
	t.Helper()
	tok := jwt.NewWithClaims(m, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestValidTokens(t *testing.T) {
	f := newFixture(t)
	for name, tok := range map[string]string{
		"EdDSA": sign(t, jwt.SigningMethodEdDSA, "ed-1", f.claims(), f.ed),
		"ES256": sign(t, jwt.SigningMethodES256, "ec-1", f.claims(), f.ec),
	} {
		p, c, err := f.v.Verify(t.Context(), tok)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		want := auth.Principal{Method: auth.MethodJWT, Subject: "0xabc", Namespace: "ns1"}
		if p != want {
			t.Errorf("%s: principal %+v, want %+v", name, p, want)
		}
		if c.Issuer != issuer || len(c.Audience) != 1 || c.Audience[0] != audience || c.Namespace != "ns1" ||
			!c.ExpiresAt.Equal(f.clock.Now().Add(15*time.Minute)) || !c.IssuedAt.Equal(f.clock.Now()) {
			t.Errorf("%s: claims %+v", name, c)
		}
	}
	if n := f.set.callCount(); n != 1 {
		t.Errorf("Keys called %d times for two tokens of known keys, want 1", n)
	}
}

func TestAlgNoneRejected(t *testing.T) {
	f := newFixture(t)
	tok := sign(t, jwt.SigningMethodNone, "ed-1", f.claims(), jwt.UnsafeAllowNoneSignatureType)
	_, _, err := f.v.Verify(t.Context(), tok)
	plugintest.WantCode(t, err, "alg none", sdk.CodeUnauthorized)
	// The same with the signature of a real token pasted on.
	real := sign(t, jwt.SigningMethodEdDSA, "ed-1", f.claims(), f.ed)
	_, _, err = f.v.Verify(t.Context(), tok+real[strings.LastIndex(real, ".")+1:])
	plugintest.WantCode(t, err, "alg none with a signature", sdk.CodeUnauthorized)
}

func TestHMACWithPublicKeyRejected(t *testing.T) {
	f := newFixture(t)
	_, jwk, _ := jwtverify.MarshalJWK("ed-1", f.ed.Public())
	ecRaw, _ := f.ec.PublicKey.Bytes()
	secrets := map[string][]byte{
		"raw ed25519 key": []byte(f.ed.Public().(ed25519.PublicKey)),
		"jwk bytes":       jwk,
		"raw p256 key":    ecRaw,
	}
	for name, secret := range secrets {
		for _, kid := range []string{"ed-1", "ec-1"} {
			tok := sign(t, jwt.SigningMethodHS256, kid, f.claims(), secret)
			_, _, err := f.v.Verify(t.Context(), tok)
			plugintest.WantCode(t, err, "HS256 with "+name+" as "+kid, sdk.CodeUnauthorized)
		}
	}
}

func TestAlgMustMatchTheKey(t *testing.T) {
	f := newFixture(t)
	// Signed by the P-256 key but naming the Ed25519 key, and vice versa.
	_, _, err := f.v.Verify(t.Context(), sign(t, jwt.SigningMethodES256, "ed-1", f.claims(), f.ec))
	plugintest.WantCode(t, err, "ES256 token naming an EdDSA key", sdk.CodeUnauthorized)
	_, _, err = f.v.Verify(t.Context(), sign(t, jwt.SigningMethodEdDSA, "ec-1", f.claims(), f.ed))
	plugintest.WantCode(t, err, "EdDSA token naming an ES256 key", sdk.CodeUnauthorized)
}

func TestForeignKeyRejected(t *testing.T) {
	f := newFixture(t)
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	_, _, err := f.v.Verify(t.Context(), sign(t, jwt.SigningMethodEdDSA, "ed-1", f.claims(), other))
	plugintest.WantCode(t, err, "signed by another key under a known kid", sdk.CodeUnauthorized)
}

func TestTamperedPayloadRejected(t *testing.T) {
	f := newFixture(t)
	tok := sign(t, jwt.SigningMethodEdDSA, "ed-1", f.claims(), f.ed)
	c := f.claims()
	c["namespace"] = "victim"
	forged := sign(t, jwt.SigningMethodEdDSA, "ed-1", c, f.ed)
	parts, fparts := strings.Split(tok, "."), strings.Split(forged, ".")
	_, _, err := f.v.Verify(t.Context(), parts[0]+"."+fparts[1]+"."+parts[2])
	plugintest.WantCode(t, err, "payload swapped under the old signature", sdk.CodeUnauthorized)
}

func TestMissingKidRejected(t *testing.T) {
	f := newFixture(t)
	_, _, err := f.v.Verify(t.Context(), sign(t, jwt.SigningMethodEdDSA, "", f.claims(), f.ed))
	plugintest.WantCode(t, err, "no kid", sdk.CodeUnauthorized)
}

func TestUnknownKidRefetchesAtMostOncePerInterval(t *testing.T) {
	f := newFixture(t)
	f.v.RefreshEvery = time.Minute
	good := sign(t, jwt.SigningMethodEdDSA, "ed-1", f.claims(), f.ed)
	if _, _, err := f.v.Verify(t.Context(), good); err != nil {
		t.Fatal(err)
	}
	if n := f.set.callCount(); n != 1 {
		t.Fatalf("Keys calls after the first token: %d, want 1", n)
	}

	_, next, _ := ed25519.GenerateKey(rand.Reader)
	unknown := sign(t, jwt.SigningMethodEdDSA, "ed-2", f.claims(), next)
	for i := 0; i < 5; i++ {
		_, _, err := f.v.Verify(t.Context(), unknown)
		plugintest.WantCode(t, err, "unknown kid", sdk.CodeUnauthorized)
	}
	if n := f.set.callCount(); n != 1 {
		t.Errorf("Keys calls after 5 unknown kids within RefreshEvery of the first fetch: %d, want 1", n)
	}

	// The plugin rotates: ed-2 appears. Once RefreshEvery has passed, the
	// first token naming it triggers one fetch and verifies.
	f.set.add(t, "ed-2", next.Public(), time.Time{})
	f.clock.Advance(time.Minute + time.Second)
	unknown = sign(t, jwt.SigningMethodEdDSA, "ed-2", f.claims(), next)
	if _, _, err := f.v.Verify(t.Context(), unknown); err != nil {
		t.Errorf("token of the rotated-in key: %v", err)
	}
	if n := f.set.callCount(); n != 2 {
		t.Errorf("Keys calls: %d, want 2", n)
	}

	// A forged kid right after that fetch costs no fetch.
	_, _, err := f.v.Verify(t.Context(), sign(t, jwt.SigningMethodEdDSA, "forged", f.claims(), next))
	plugintest.WantCode(t, err, "forged kid", sdk.CodeUnauthorized)
	if n := f.set.callCount(); n != 2 {
		t.Errorf("Keys calls after a forged kid: %d, want 2", n)
	}
}

func TestTimeClaims(t *testing.T) {
	f := newFixture(t) // default skew: 60 s
	now := f.clock.Now()
	cases := []struct {
		name string
		edit func(jwt.MapClaims)
		ok   bool
	}{
		{"expired beyond skew", func(c jwt.MapClaims) { c["exp"] = now.Add(-61 * time.Second).Unix() }, false},
		{"expired within skew", func(c jwt.MapClaims) { c["exp"] = now.Add(-59 * time.Second).Unix() }, true},
		{"no exp", func(c jwt.MapClaims) { delete(c, "exp") }, false},
		{"nbf beyond skew", func(c jwt.MapClaims) { c["nbf"] = now.Add(61 * time.Second).Unix() }, false},
		{"nbf within skew", func(c jwt.MapClaims) { c["nbf"] = now.Add(59 * time.Second).Unix() }, true},
		{"iat beyond skew", func(c jwt.MapClaims) { c["iat"] = now.Add(61 * time.Second).Unix() }, false},
		{"iat within skew", func(c jwt.MapClaims) { c["iat"] = now.Add(59 * time.Second).Unix() }, true},
	}
	for _, tc := range cases {
		c := f.claims()
		tc.edit(c)
		_, _, err := f.v.Verify(t.Context(), sign(t, jwt.SigningMethodEdDSA, "ed-1", c, f.ed))
		if tc.ok && err != nil {
			t.Errorf("%s: %v, want accepted", tc.name, err)
		}
		if !tc.ok {
			plugintest.WantCode(t, err, tc.name, sdk.CodeUnauthorized)
		}
	}

	// A custom skew is honoured.
	f.v = &jwtverify.Verifier{Keys: f.set.Keys, Issuer: issuer, Audience: audience, Now: f.clock.Now, Skew: 5 * time.Second}
	c := f.claims()
	c["exp"] = now.Add(-6 * time.Second).Unix()
	_, _, err := f.v.Verify(t.Context(), sign(t, jwt.SigningMethodEdDSA, "ed-1", c, f.ed))
	plugintest.WantCode(t, err, "expired beyond a 5 s skew", sdk.CodeUnauthorized)
}

func TestIssuerAudienceAndRequiredClaims(t *testing.T) {
	f := newFixture(t)
	cases := map[string]func(jwt.MapClaims){
		"wrong issuer":   func(c jwt.MapClaims) { c["iss"] = "evil" },
		"no issuer":      func(c jwt.MapClaims) { delete(c, "iss") },
		"wrong audience": func(c jwt.MapClaims) { c["aud"] = "other-gateway" },
		"no audience":    func(c jwt.MapClaims) { delete(c, "aud") },
		"no subject":     func(c jwt.MapClaims) { delete(c, "sub") },
		"no namespace":   func(c jwt.MapClaims) { delete(c, "namespace") },
		"empty ns":       func(c jwt.MapClaims) { c["namespace"] = "" },
	}
	for name, edit := range cases {
		c := f.claims()
		edit(c)
		_, _, err := f.v.Verify(t.Context(), sign(t, jwt.SigningMethodEdDSA, "ed-1", c, f.ed))
		plugintest.WantCode(t, err, name, sdk.CodeUnauthorized)
	}
	// An audience list that contains ours is accepted.
	c := f.claims()
	c["aud"] = []string{"other", audience}
	if _, _, err := f.v.Verify(t.Context(), sign(t, jwt.SigningMethodEdDSA, "ed-1", c, f.ed)); err != nil {
		t.Errorf("audience list containing ours: %v", err)
	}
}

func TestRetiredKeyRejected(t *testing.T) {
	f := newFixture(t)
	_, old, _ := ed25519.GenerateKey(rand.Reader)
	f.set.add(t, "old", old.Public(), f.clock.Now().Add(-2*time.Minute)) // NotAfter + skew has passed
	_, _, err := f.v.Verify(t.Context(), sign(t, jwt.SigningMethodEdDSA, "old", f.claims(), old))
	plugintest.WantCode(t, err, "key past its NotAfter", sdk.CodeUnauthorized)
}

func TestKeysUnavailable(t *testing.T) {
	f := newFixture(t)
	tok := sign(t, jwt.SigningMethodEdDSA, "ed-1", f.claims(), f.ed)
	f.set.err = sdk.Errorf(sdk.CodeUnavailable, "auth plugin is down")
	_, _, err := f.v.Verify(t.Context(), tok)
	plugintest.WantCode(t, err, "no keys fetched yet, Keys failing", sdk.CodeUnavailable)

	// Once fetched, the keys keep serving past MaxAge while Keys fails.
	f.set.err = nil
	if _, _, err := f.v.Verify(t.Context(), tok); err != nil {
		t.Fatal(err)
	}
	f.set.err = sdk.Errorf(sdk.CodeUnavailable, "auth plugin is down")
	f.clock.Advance(jwtverify.DefaultMaxAge + time.Second)
	tok = sign(t, jwt.SigningMethodEdDSA, "ed-1", f.claims(), f.ed)
	if _, _, err := f.v.Verify(t.Context(), tok); err != nil {
		t.Errorf("stale keys while Keys fails: %v", err)
	}
}

func TestMaxAgeRefetches(t *testing.T) {
	f := newFixture(t)
	tok := sign(t, jwt.SigningMethodEdDSA, "ed-1", f.claims(), f.ed)
	if _, _, err := f.v.Verify(t.Context(), tok); err != nil {
		t.Fatal(err)
	}
	// The plugin drops ed-1 (e.g. revoked after a leak); after MaxAge the
	// verifier notices without any unknown kid.
	f.set.mu.Lock()
	f.set.keys = f.set.keys[1:]
	f.set.mu.Unlock()
	f.clock.Advance(jwtverify.DefaultMaxAge + time.Second)
	tok = sign(t, jwt.SigningMethodEdDSA, "ed-1", f.claims(), f.ed)
	_, _, err := f.v.Verify(t.Context(), tok)
	plugintest.WantCode(t, err, "key gone after MaxAge", sdk.CodeUnauthorized)
}

func TestMisconfiguredVerifier(t *testing.T) {
	f := newFixture(t)
	tok := sign(t, jwt.SigningMethodEdDSA, "ed-1", f.claims(), f.ed)
	for name, v := range map[string]*jwtverify.Verifier{
		"no issuer":   {Keys: f.set.Keys, Audience: audience},
		"no audience": {Keys: f.set.Keys, Issuer: issuer},
		"no keys":     {Issuer: issuer, Audience: audience},
	} {
		_, _, err := v.Verify(t.Context(), tok)
		plugintest.WantCode(t, err, name, sdk.CodeInternal)
	}
}

func TestGarbageRejected(t *testing.T) {
	f := newFixture(t)
	for _, tok := range []string{"", "a.b.c", "not-a-token", "..", "e30.e30.", strings.Repeat("A", 5000)} {
		_, _, err := f.v.Verify(t.Context(), tok)
		plugintest.WantCode(t, err, "garbage "+tok[:min(len(tok), 12)], sdk.CodeUnauthorized)
	}
}

func TestConcurrentVerify(t *testing.T) {
	f := newFixture(t)
	tok := sign(t, jwt.SigningMethodEdDSA, "ed-1", f.claims(), f.ed)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := f.v.Verify(context.Background(), tok)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
