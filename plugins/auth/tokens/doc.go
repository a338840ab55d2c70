// Package tokens holds the auth plugin's cryptography above the wallet
// signatures: Ed25519 signing keys for JWTs (EdDSA, header kid = the key's
// RFC 7638 thumbprint) — sealed at rest by sdk/seal under the configured
// key_secret — the rotation
// schedule shared by every node, access tokens (golang-jwt), and the opaque
// secrets of refresh tokens and API keys, which are stored only as
// SHA-256 hashes.
//
// Nothing here talks to the database; package store persists what this
// package produces.
package tokens
