package tokens

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"

	"github.com/orama-network/orama/sdk/auth"
)

// Random returns n bytes from crypto/rand.
func Random(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand panics rather)
	return b
}

// Hash is how opaque secrets (refresh tokens, API key secrets) are
// stored: hex SHA-256. The secrets carry 144 or 256 random bits, so a
// fast hash is enough: there is nothing to guess.
func Hash(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// NewRefreshToken returns a refresh token (base64url of 32 random bytes)
// and its hash.
func NewRefreshToken() (token, hash string) {
	token = base64.RawURLEncoding.EncodeToString(Random(32))
	return token, Hash(token)
}

// NewAPIKeySecret returns an API key's secret part, "ak_" + base64url of
// 18 random bytes, and its hash.
func NewAPIKeySecret() (secret, hash string) {
	secret = auth.APIKeyPrefix + base64.RawURLEncoding.EncodeToString(Random(auth.APIKeySecretBytes))
	return secret, Hash(secret)
}

// NewNonce returns a challenge nonce: base64url of 32 random bytes.
func NewNonce() string { return base64.RawURLEncoding.EncodeToString(Random(32)) }

// NewID returns prefix + base64url of 12 random bytes: public ids of API
// keys ("key_"), apps ("app_") and refresh-token families ("fam_").
func NewID(prefix string) string {
	return prefix + base64.RawURLEncoding.EncodeToString(Random(12))
}
