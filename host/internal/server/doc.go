// Package server is the HTTP front of the Orama host: the router, the
// middleware chain and the handlers that translate HTTP requests into calls
// on the plugin domains (see API.md for the contract).
//
// routes.go is the only place routes are registered. Handlers have the shape
// func(w, r) error; one adapter (errors.go) turns a returned error into the
// JSON error body of API.md. The middleware chain, outermost first, is:
//
//	recover → request id → access log → metrics → CORS → body limit →
//	namespace → router → handler
//
// Per-request state (request id, matched route, namespace, status and bytes
// written) lives in one struct stored in the request context, so the chain
// costs one context and one request copy per request.
package server
