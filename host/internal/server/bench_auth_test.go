package server

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/jwtverify"
)

// The authentication benchmarks run a cache get through the full chain
// (every middleware, router, handler, fake cache) with each kind of
// credential, so their difference is the cost of authenticating.

func benchAuthEnv(b *testing.B, mod func(*Options)) *testEnv {
	e := newAuthEnv(b, func(o *Options) {
		o.Logger = hclog.NewNullLogger()
		o.Now = time.Now // a warm key stays warm for the TTL of real time
		if mod != nil {
			mod(o)
		}
	})
	hdr := []string{"X-API-Key", apitest.KeyAlpha}
	if e.srv.authMode == AuthDisabled {
		hdr = nil
	}
	if rec := e.do(b, "POST", "/v1/cache/put", `{"dmap":"users","key":"u1","value":{"name":"ada"}}`, hdr...); rec.Code != 200 {
		b.Fatalf("put: %d %s", rec.Code, rec.Body)
	}
	return e
}

// runGet measures the cache get with the given credential header.
func runGet(b *testing.B, e *testEnv, hdr ...string) {
	h := e.srv.Handler()
	req, _ := http.NewRequest(http.MethodPost, "/v1/cache/get", nil)
	req.RemoteAddr = "192.0.2.1:1234"
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	w := apitest.NewDiscardWriter()
	body := &rewindBody{s: benchGetBody}
	b.ReportAllocs()
	for b.Loop() {
		body.reset()
		req.Body = body
		w.Reset()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("get: %d", w.Code)
		}
	}
}

// rewindBody is a request body that can be read again.
type rewindBody struct {
	s   string
	off int
}

func (r *rewindBody) reset() { r.off = 0 }

func (r *rewindBody) Read(p []byte) (int, error) {
	if r.off >= len(r.s) {
		return 0, io.EOF
	}
	n := copy(p, r.s[r.off:])
	r.off += n
	return n, nil
}

func (r *rewindBody) Close() error { return nil }

// BenchmarkNoAuth: authentication disabled, the baseline.
func BenchmarkNoAuth(b *testing.B) {
	e := benchAuthEnv(b, func(o *Options) { o.Auth.Mode = AuthDisabled })
	runGet(b, e)
}

// BenchmarkAuthAPIKeyWarm: an API key already in the key cache (no RPC).
func BenchmarkAuthAPIKeyWarm(b *testing.B) {
	e := benchAuthEnv(b, func(o *Options) { o.Auth.KeyCacheTTL = time.Hour })
	runGet(b, e, "X-API-Key", apitest.KeyAlpha)
	if n := e.auth.ValidateCount(); n != 1 {
		b.Fatalf("the key was validated %d times; want once (warm)", n)
	}
}

// BenchmarkAuthJWT: "fake" is the chain's own cost with a map-lookup
// verifier; "ed25519" verifies a real EdDSA token with jwtverify (keys
// cached), which is what a node pays per JWT request.
func BenchmarkAuthJWT(b *testing.B) {
	b.Run("fake", func(b *testing.B) {
		e := benchAuthEnv(b, nil)
		e.jwt.Add(apitest.JWTBeta, "0xbeta", "alpha")
		runGet(b, e, "Authorization", "Bearer "+apitest.JWTBeta)
	})
	b.Run("ed25519", func(b *testing.B) {
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			b.Fatal(err)
		}
		alg, jwk, err := jwtverify.MarshalJWK("k1", pub)
		if err != nil {
			b.Fatal(err)
		}
		keys := []auth.PublicKey{{Kid: "k1", Alg: alg, JWK: jwk, Signing: true}}
		v := &jwtverify.Verifier{Issuer: "orama", Audience: "orama",
			Keys: func(context.Context) ([]auth.PublicKey, error) { return keys, nil }}
		e := benchAuthEnv(b, func(o *Options) { o.Auth.Verifier = v })
		now := time.Now()
		token := signEdDSA(b, priv, "k1", map[string]any{"iss": "orama", "aud": "orama", "sub": "0xbeta",
			"namespace": "alpha", "iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix()})
		runGet(b, e, "Authorization", "Bearer "+token)
	})
}

// signEdDSA makes a compact JWS (RFC 7515) signed with Ed25519.
func signEdDSA(b *testing.B, priv ed25519.PrivateKey, kid string, claims map[string]any) string {
	enc := func(v any) string {
		raw, err := json.Marshal(v)
		if err != nil {
			b.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(raw)
	}
	signing := enc(map[string]string{"alg": "EdDSA", "typ": "JWT", "kid": kid}) + "." + enc(claims)
	return signing + "." + base64.RawURLEncoding.EncodeToString(ed25519.Sign(priv, []byte(signing)))
}
