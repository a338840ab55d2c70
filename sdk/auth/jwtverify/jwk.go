package jwtverify

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/orama-network/orama/sdk"
)

// Algorithms of the keys this package accepts (JWS "alg" values).
const (
	AlgEdDSA = "EdDSA" // Ed25519, JWK kty "OKP", crv "Ed25519"
	AlgES256 = "ES256" // ECDSA P-256 with SHA-256, JWK kty "EC", crv "P-256"
)

// JWK is a parsed public key: Key is an ed25519.PublicKey or an
// *ecdsa.PublicKey on P-256.
type JWK struct {
	Kid string
	Alg string
	Key crypto.PublicKey
}

// jwkJSON is the wire form of RFC 7517/8037 keys this package handles.
type jwkJSON struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y,omitempty"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	Use string `json:"use,omitempty"`
}

// MarshalJWK returns the JWK JSON object of an Ed25519 or P-256 public key
// with its key id, and the algorithm tokens signed by it use.
func MarshalJWK(kid string, key crypto.PublicKey) (alg string, jwk []byte, err error) {
	b64 := base64.RawURLEncoding.EncodeToString
	var j jwkJSON
	switch k := key.(type) {
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return "", nil, fmt.Errorf("ed25519 public key of %d bytes", len(k))
		}
		j = jwkJSON{Kty: "OKP", Crv: "Ed25519", X: b64(k), Alg: AlgEdDSA}
	case *ecdsa.PublicKey:
		raw, err := k.Bytes() // 0x04 || X || Y; fails for a curve other than the NIST ones
		if err != nil || k.Curve != elliptic.P256() {
			return "", nil, fmt.Errorf("ecdsa public key is not on P-256")
		}
		j = jwkJSON{Kty: "EC", Crv: "P-256", X: b64(raw[1:33]), Y: b64(raw[33:]), Alg: AlgES256}
	default:
		return "", nil, fmt.Errorf("unsupported public key type %T", key)
	}
	if kid == "" {
		return "", nil, fmt.Errorf("a JWK needs a kid")
	}
	j.Kid, j.Use = kid, "sig"
	out, err := json.Marshal(j)
	return j.Alg, out, err
}

// ParseJWK parses one JWK JSON object. Errors: invalid for anything but an
// Ed25519 (OKP) or P-256 (EC) signature key with a kid.
func ParseJWK(data []byte) (JWK, error) {
	var j jwkJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return JWK{}, sdk.Errorf(sdk.CodeInvalid, "jwk: %v", err)
	}
	if j.Kid == "" {
		return JWK{}, sdk.Errorf(sdk.CodeInvalid, "jwk: no kid")
	}
	if j.Use != "" && j.Use != "sig" {
		return JWK{}, sdk.Errorf(sdk.CodeInvalid, "jwk %s: use %q is not sig", j.Kid, j.Use)
	}
	x, err := base64.RawURLEncoding.DecodeString(j.X)
	if err != nil {
		return JWK{}, sdk.Errorf(sdk.CodeInvalid, "jwk %s: x: %v", j.Kid, err)
	}
	switch {
	case j.Kty == "OKP" && j.Crv == "Ed25519" && (j.Alg == "" || j.Alg == AlgEdDSA):
		if len(x) != ed25519.PublicKeySize {
			return JWK{}, sdk.Errorf(sdk.CodeInvalid, "jwk %s: Ed25519 x of %d bytes", j.Kid, len(x))
		}
		return JWK{Kid: j.Kid, Alg: AlgEdDSA, Key: ed25519.PublicKey(x)}, nil
	case j.Kty == "EC" && j.Crv == "P-256" && (j.Alg == "" || j.Alg == AlgES256):
		y, err := base64.RawURLEncoding.DecodeString(j.Y)
		if err != nil || len(x) != 32 || len(y) != 32 {
			return JWK{}, sdk.Errorf(sdk.CodeInvalid, "jwk %s: P-256 x and y must be 32 bytes each", j.Kid)
		}
		pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
		if err != nil {
			return JWK{}, sdk.Errorf(sdk.CodeInvalid, "jwk %s: %v", j.Kid, err)
		}
		return JWK{Kid: j.Kid, Alg: AlgES256, Key: pub}, nil
	}
	return JWK{}, sdk.Errorf(sdk.CodeInvalid, "jwk %s: unsupported key (kty %q, crv %q, alg %q)", j.Kid, j.Kty, j.Crv, j.Alg)
}
