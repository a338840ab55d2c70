// Package tokens holds the auth plugin's cryptography above the wallet
// signatures: Ed25519 signing keys for JWTs (EdDSA, header kid = the key's
// RFC 7638 thumbprint), their wrapping at rest with AES-256-GCM under a key
// derived from the configured key_secret (HKDF-SHA256), the rotation
// schedule shared by every node, access tokens (golang-jwt), and the opaque
// secrets of refresh tokens and API keys, which are stored only as
// SHA-256 hashes.
//
// Nothing here talks to the database; package store persists what this
// package produces.
package tokens
