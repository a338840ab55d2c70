// Package service is the auth plugin: auth.Backend over the database
// domain, reached through the host API (cfg.Host) — or, for tests and
// embedding, any database.Database given with WithDatabase.
//
// Sign-in: Challenge stores a nonce bound to a wallet and a namespace;
// Verify (and CreateAPIKey, Register) checks the proof's signature
// (package wallet), then consumes the nonce with one conditional UPDATE,
// so a nonce serves exactly once even when verifies race, and only before
// nonce_ttl has passed.
//
// Namespaces: the first wallet to sign in to a namespace nobody owns
// becomes its owner (table auth_namespaces); a sign-in of another wallet
// to it is forbidden. Operator keys (CreateKey) need no owner.
//
// API keys: each sign-in (Verify) creates a new key, since a stored key
// is only a hash and cannot be handed out again. Keys are validated by the
// hash of their secret and the namespace they name.
//
// Tokens: EdDSA JWTs signed with the key of the current slot of the
// rotation schedule (rotate_every). Signing keys are stored sealed under
// key_secret, so every node with the same key_secret and database signs
// and lists the same keys; Keys lists each key until the last token it can
// have signed has expired. Refresh tokens rotate on use; presenting a
// used one revokes its whole family.
package service
