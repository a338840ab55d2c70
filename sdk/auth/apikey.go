package auth

import (
	"encoding/base64"
	"strings"

	"github.com/orama-network/orama/sdk"
)

// API key format (API.md): "ak_" + base64url (no padding) of 18 random
// bytes + ":" + namespace. The part before the colon is the secret; an
// implementation stores only a hash of it.
const (
	APIKeyPrefix      = "ak_"
	APIKeySecretBytes = 18
)

// apiKeySecretLen is the length of "ak_" plus 24 base64url characters.
var apiKeySecretLen = len(APIKeyPrefix) + base64.RawURLEncoding.EncodedLen(APIKeySecretBytes)

// FormatAPIKey joins a secret ("ak_…") and a namespace into a key.
func FormatAPIKey(secret, namespace string) string { return secret + ":" + namespace }

// ParseAPIKey splits key into its secret ("ak_…") and namespace. Errors:
// unauthorized when key does not have the documented format (a malformed
// credential is a bad credential).
func ParseAPIKey(key string) (secret, namespace string, err error) {
	secret, namespace, ok := strings.Cut(key, ":")
	if !ok || len(secret) != apiKeySecretLen || !strings.HasPrefix(secret, APIKeyPrefix) {
		return "", "", sdk.Errorf(sdk.CodeUnauthorized, "invalid API key")
	}
	raw, derr := base64.RawURLEncoding.Strict().DecodeString(secret[len(APIKeyPrefix):])
	if derr != nil || len(raw) != APIKeySecretBytes {
		return "", "", sdk.Errorf(sdk.CodeUnauthorized, "invalid API key")
	}
	if CheckNamespace(namespace) != nil {
		return "", "", sdk.Errorf(sdk.CodeUnauthorized, "invalid API key")
	}
	return secret, namespace, nil
}

// LooksLikeJWT reports whether a bearer credential is to be tried as a JWT
// first: a value with exactly two dots (API.md, Credentials).
func LooksLikeJWT(credential string) bool {
	return strings.Count(credential, ".") == 2
}
