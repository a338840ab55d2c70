// Package api is what every domain's HTTP adapter (api/<kind>) shares with
// the server and with each other: the handler shape, JSON in and out with
// the body rules of API.md (limits, refused invalid UTF-8, clear 400s), the
// JSON error body, the per-request facts an adapter may read (namespace,
// principal, path parameters, request id) and Domain, which finds a plugin
// domain for a request and bounds its calls by the request timeout.
//
// An adapter imports this package and its own sdk/<kind> contract, never
// another adapter and never the server. The server (host/internal/server)
// owns the request state and the middleware that fills it; it embeds
// Request in its state so that the adapters read the same struct through
// From, without a second context value.
package api
