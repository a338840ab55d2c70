// Package apitest holds the fakes and HTTP helpers of the host's handler
// tests: fake domains (cache, database, auth, a JWT verifier, a clock), a
// Plugins over them, and helpers that send a request through a handler
// and check the JSON answer or error body of API.md.
//
// servertest builds a whole server over these fakes for the adapters'
// tests; the server's own tests build theirs (they cannot import
// servertest, which imports the server).
package apitest
