package jwtverify_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth/jwtverify"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

func TestJWKRoundTrip(t *testing.T) {
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	for name, pub := range map[string]any{"ed25519": edPub, "p256": &ec.PublicKey} {
		alg, raw, err := jwtverify.MarshalJWK("k1", pub)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		k, err := jwtverify.ParseJWK(raw)
		if err != nil {
			t.Fatalf("%s: %v (%s)", name, err, raw)
		}
		type equaler interface{ Equal(crypto.PublicKey) bool }
		if k.Kid != "k1" || k.Alg != alg || !pub.(equaler).Equal(k.Key) {
			t.Errorf("%s: round trip gave %+v from %s", name, k, raw)
		}
	}
}

func TestParseJWKRefuses(t *testing.T) {
	for name, raw := range map[string]string{
		"not json":       `{`,
		"no kid":         `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}`,
		"symmetric":      `{"kty":"oct","k":"c2VjcmV0","kid":"h","alg":"HS256"}`,
		"rsa":            `{"kty":"RSA","n":"AQAB","e":"AQAB","kid":"r","alg":"RS256"}`,
		"ed25519 as HS":  `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kid":"e","alg":"HS256"}`,
		"short x":        `{"kty":"OKP","crv":"Ed25519","x":"AAAA","kid":"e"}`,
		"encryption use": `{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kid":"e","use":"enc"}`,
		"p256 off curve": `{"kty":"EC","crv":"P-256","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","kid":"c"}`,
	} {
		_, err := jwtverify.ParseJWK([]byte(raw))
		plugintest.WantCode(t, err, name, sdk.CodeInvalid)
	}
}
