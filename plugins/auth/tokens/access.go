package tokens

import (
	"encoding/base64"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Access issues access tokens: EdDSA JWTs with iss, aud, sub, iat, nbf,
// exp, jti and namespace, header kid.
type Access struct {
	Issuer, Audience string
	TTL              time.Duration
}

type accessClaims struct {
	jwt.RegisteredClaims
	Namespace string `json:"namespace"`
	APIKeyID  string `json:"api_key_id,omitempty"` // auth.ClaimAPIKeyID
}

// Sign returns a token for subject in namespace, signed by k at now.
func (a Access) Sign(k SigningKey, subject, namespace string, now time.Time) (string, error) {
	return a.SignForKey(k, subject, namespace, "", now)
}

// SignForKey is Sign for a token minted from the API key keyID (claim
// api_key_id), which verifiers refuse once that key is revoked; an empty
// keyID leaves the claim out.
func (a Access) SignForKey(k SigningKey, subject, namespace, keyID string, now time.Time) (string, error) {
	c := accessClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    a.Issuer,
			Subject:   subject,
			Audience:  jwt.ClaimStrings{a.Audience},
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(a.TTL)),
			ID:        base64.RawURLEncoding.EncodeToString(Random(12)),
		},
		Namespace: namespace,
		APIKeyID:  keyID,
	}
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, c)
	t.Header["kid"] = k.Kid
	return t.SignedString(k.Private)
}
