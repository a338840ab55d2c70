// Package server is the HTTP front of the Orama host: the router, the
// middleware chain and what every domain shares. The handlers that
// translate HTTP requests into calls on a plugin domain live in one
// adapter package per domain, host/internal/api/<kind>, over the shared
// helpers of host/internal/api (see API.md for the contract).
//
// routes.go is the only place routes are registered: one block per domain,
// constructing its adapter and listing its routes. Handlers have the shape
// api.HandlerFunc, func(w, r) error; one adapter (errors.go) turns a
// returned error into the JSON error body of API.md. The middleware chain,
// outermost first, is:
//
//	recover → request id → trace (tracing.go, only with tracing on) →
//	access log → metrics → CORS → body deadline
//	(bodydeadline.go) → body limit → UTF-8 of path and query (api/utf8.go) →
//	rate limit (per client IP) → authenticate (+ per-credential rate
//	limit) → authorize namespace → router → handler
//
// Authentication (authn.go, credentials.go) finds the request's credential
// in the order of API.md, verifies a JWT locally (TokenVerifier) or
// validates an API key through the auth plugin behind a short-lived cache
// (authn_keycache.go), and records the principal. Authorization
// (namespace.go) binds the request to the credential's namespace; every
// handler acts only there (api.Namespace). Rate limits (ratelimit.go,
// middleware_ratelimit.go) are token buckets per route group, split
// around authentication: per client IP before it, per credential after.
//
// Slow and greedy clients: the listener caps connections overall and per
// client address (connlimit.go); net/http bounds headers and idle
// keep-alives, bodyDeadline bounds bodies.
//
// Per-request state (request id, matched route, principal, namespace,
// status and bytes written) lives in one struct stored in the request
// context, so the chain costs one context and one request copy per request.
// It embeds api.Request, the part the adapters read.
package server
