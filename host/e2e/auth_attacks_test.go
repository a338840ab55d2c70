package e2e

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/authtest"
)

// TestAuthAttacks: what an attacker can try over HTTP against the real
// host and auth plugin, each refused with the status of API.md. Every
// attempt uses a fresh challenge, so what refuses it is the attack itself,
// not a nonce spent by an earlier step.
func TestAuthAttacks(t *testing.T) {
	h := startAuthHost(t, "", "")
	eth, eth2, sol := authtest.NewETHWallet(), authtest.NewETHWallet(), authtest.NewSOLWallet()
	verify := func(p auth.Proof) reply { return h.send(http.MethodPost, "/v1/auth/verify", proofBody(p)) }

	t.Run("replayed nonce", func(t *testing.T) {
		p := eth.Proof(h.challenge(eth.Address(), "atk"))
		wantStatus(t, "first verify", verify(p), http.StatusOK)
		wantStatus(t, "replay", verify(p), http.StatusUnauthorized)
		// The same proof through api-key is a replay too.
		wantStatus(t, "replay through api-key", h.send(http.MethodPost, "/v1/auth/api-key", proofBody(p)), http.StatusUnauthorized)
	})
	t.Run("nonce of another wallet", func(t *testing.T) {
		c := h.challenge(eth.Address(), "atk")
		p := eth2.Proof(c) // eth2 signs eth's nonce and presents its own address
		wantStatus(t, "verify", verify(p), http.StatusUnauthorized)
	})
	t.Run("nonce of another namespace", func(t *testing.T) {
		p := eth.Proof(h.challenge(eth.Address(), "atk"))
		p.Namespace = "atk-other"
		wantStatus(t, "verify", verify(p), http.StatusUnauthorized)
	})
	t.Run("tampered signature", func(t *testing.T) {
		p := eth.Proof(h.challenge(eth.Address(), "atk"))
		p.Signature = flipHex(p.Signature, 10) // inside r
		wantStatus(t, "ETH", verify(p), http.StatusUnauthorized)

		q := sol.Proof(h.challenge(sol.Address(), "atk-sol"))
		raw, _ := base64.StdEncoding.DecodeString(q.Signature)
		raw[5] ^= 0x01
		q.Signature = base64.StdEncoding.EncodeToString(raw)
		wantStatus(t, "SOL", verify(q), http.StatusUnauthorized)

		// Signed by the right key, but over another message.
		r := eth.Proof(h.challenge(eth.Address(), "atk"))
		other := eth.Proof(auth.Challenge{Nonce: "not-the-nonce", Namespace: "atk"})
		r.Signature = other.Signature
		wantStatus(t, "signature of another message", verify(r), http.StatusUnauthorized)
	})
	t.Run("wrong chain_type", func(t *testing.T) {
		p := eth.Proof(h.challenge(eth.Address(), "atk"))
		p.ChainType = auth.ChainSOL
		wantStatus(t, "ETH proof as SOL", verify(p), http.StatusBadRequest, http.StatusUnauthorized)
		q := sol.Proof(h.challenge(sol.Address(), "atk-sol"))
		q.ChainType = auth.ChainETH
		wantStatus(t, "SOL proof as ETH", verify(q), http.StatusBadRequest, http.StatusUnauthorized)
		r := eth.Proof(h.challenge(eth.Address(), "atk"))
		r.ChainType = "BTC"
		wantStatus(t, "unknown chain", verify(r), http.StatusBadRequest)
	})

	s := h.signIn(eth, "atk")
	header, claims := jwtParts(t, s.access)
	kid, _ := header["kid"].(string)
	if kid == "" || header["alg"] != "EdDSA" {
		t.Fatalf("token header %v", header)
	}
	whoami := func(token string) reply { return h.send(http.MethodGet, "/v1/auth/whoami", nil, bearer(token)...) }
	wantStatus(t, "the genuine token", whoami(s.access), http.StatusOK)
	parts := strings.Split(s.access, ".")

	t.Run("alg none", func(t *testing.T) {
		for _, alg := range []string{"none", "None", "NONE"} {
			tok := b64(map[string]any{"alg": alg, "typ": "JWT", "kid": kid}) + "." + parts[1] + "."
			wantStatus(t, "alg "+alg, whoami(tok), http.StatusUnauthorized)
		}
	})
	t.Run("HS256 keyed with the public key", func(t *testing.T) {
		jwks := h.send(http.MethodGet, "/v1/auth/jwks", nil)
		keys, _ := jwks.body["keys"].([]any)
		if len(keys) == 0 {
			t.Fatalf("JWKS: %s", jwks)
		}
		for _, k := range keys {
			m, _ := k.(map[string]any)
			xs, _ := m["x"].(string)
			x, _ := base64.RawURLEncoding.DecodeString(xs)
			signing := b64(map[string]any{"alg": "HS256", "typ": "JWT", "kid": m["kid"]}) + "." + parts[1]
			mac := hmac.New(sha256.New, x)
			mac.Write([]byte(signing))
			tok := signing + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
			wantStatus(t, "HS256", whoami(tok), http.StatusUnauthorized)
		}
	})
	t.Run("unknown kid", func(t *testing.T) {
		wantStatus(t, "forged token, unknown kid", whoami(forgeEdDSA("e2e-unknown-kid", liveClaims(s.subject, "atk"))), http.StatusUnauthorized)
		wantStatus(t, "forged token, the gateway's kid", whoami(forgeEdDSA(kid, liveClaims(s.subject, "atk"))), http.StatusUnauthorized)
	})
	t.Run("tampered claims", func(t *testing.T) {
		c := map[string]any{}
		for k, v := range claims {
			c[k] = v
		}
		c["namespace"] = "atk-other"
		tok := parts[0] + "." + b64(c) + "." + parts[2]
		wantStatus(t, "namespace changed", whoami(tok), http.StatusUnauthorized)
		c["namespace"], c["exp"] = claims["namespace"], claims["exp"].(float64)+3600
		tok = parts[0] + "." + b64(c) + "." + parts[2]
		wantStatus(t, "exp extended", whoami(tok), http.StatusUnauthorized)
	})
	t.Run("reused refresh token", func(t *testing.T) {
		s := h.signIn(eth, "atk")
		first := h.send(http.MethodPost, "/v1/auth/refresh", map[string]string{"refresh_token": s.refresh, "namespace": "atk"})
		if !wantStatus(t, "refresh", first, http.StatusOK) || first.str("refresh_token") == s.refresh || first.str("access_token") == "" {
			t.Fatalf("refresh: %s", first)
		}
		wantStatus(t, "the refreshed access token", whoami(first.str("access_token")), http.StatusOK)
		wantStatus(t, "reuse of the rotated refresh token", h.send(http.MethodPost, "/v1/auth/refresh",
			map[string]string{"refresh_token": s.refresh, "namespace": "atk"}), http.StatusUnauthorized)
		// The reuse revoked the family: the newest token is dead too.
		wantStatus(t, "the newest token of the family", h.send(http.MethodPost, "/v1/auth/refresh",
			map[string]string{"refresh_token": first.str("refresh_token"), "namespace": "atk"}), http.StatusUnauthorized)
		wantStatus(t, "an unknown refresh token", h.send(http.MethodPost, "/v1/auth/refresh",
			map[string]string{"refresh_token": "rt_nope", "namespace": "atk"}), http.StatusUnauthorized)
	})
	t.Run("logout", func(t *testing.T) {
		s := h.signIn(eth, "atk")
		wantStatus(t, "logout", h.send(http.MethodPost, "/v1/auth/logout", map[string]string{"refresh_token": s.refresh, "namespace": "atk"}), http.StatusOK)
		wantStatus(t, "refresh after logout", h.send(http.MethodPost, "/v1/auth/refresh",
			map[string]string{"refresh_token": s.refresh, "namespace": "atk"}), http.StatusUnauthorized)
	})
}

// flipHex changes the hex digit at index i (after an optional 0x).
func flipHex(sig string, i int) string {
	b := []byte(sig)
	if strings.HasPrefix(sig, "0x") {
		i += 2
	}
	if b[i] == '0' {
		b[i] = '1'
	} else {
		b[i] = '0'
	}
	return string(b)
}
