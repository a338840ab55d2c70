// Package jwtverify verifies the access tokens of the auth domain, the way
// the host does on every request: with the public keys an auth.Auth lists
// in Keys, cached and refetched when a token names a key id the cache does
// not hold (at most once per RefreshEvery) or when the cache is older than
// MaxAge.
//
// A token verifies only when it is signed with EdDSA (Ed25519) or ES256 by
// the key its header "kid" names (the algorithm must be the key's), carries
// the configured iss and aud, a sub and a namespace, an exp that has not
// passed, and no nbf or iat in the future — each time comparison with
// Skew of tolerance. "none", HMAC and every other algorithm are refused.
package jwtverify
