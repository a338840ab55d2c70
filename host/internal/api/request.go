package api

import (
	"context"

	"github.com/julienschmidt/httprouter"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/jwtverify"
)

// DefaultNamespace is the namespace of every request when authentication
// is disabled, and of an anonymous request that names none.
const DefaultNamespace = "default"

// Request is the part of a request's state the adapters read. The server's
// middleware fills it (request id, authentication, authorization, router).
type Request struct {
	ID         string            // request id
	Namespace  string            // the caller's namespace (read through Namespace)
	Authed     bool              // Principal is set: the request carries a valid credential
	Principal  auth.Principal    // who the credential belongs to
	Claims     jwtverify.Claims  // the verified claims when the credential is a JWT
	Credential string            // the credential as presented (whoami, token)
	Params     httprouter.Params // path parameters of the matched route
}

// StateKey is the context key of the request state. The server stores its
// own state there (a type embedding Request); WithRequest stores a bare
// *Request (tests of an adapter alone).
type StateKey struct{}

// holder is what the value under StateKey must be: *Request, or a pointer
// to a struct embedding Request.
type holder interface{ request() *Request }

func (q *Request) request() *Request { return q }

// WithRequest returns ctx carrying q as the request state.
func WithRequest(ctx context.Context, q *Request) context.Context {
	return context.WithValue(ctx, StateKey{}, q)
}

// From returns the request's state, or nil outside the server's chain.
func From(ctx context.Context) *Request {
	if h, ok := ctx.Value(StateKey{}).(holder); ok {
		return h.request()
	}
	return nil
}

// RequestID returns the request id ("" outside the chain).
func RequestID(ctx context.Context) string {
	if q := From(ctx); q != nil {
		return q.ID
	}
	return ""
}

// Param returns the path parameter name of the matched route ("" when
// absent).
func Param(ctx context.Context, name string) string {
	if q := From(ctx); q != nil {
		return q.Params.ByName(name)
	}
	return ""
}

// Principal returns the authenticated principal of the request; ok is
// false for an anonymous request (or with authentication disabled).
func Principal(ctx context.Context) (auth.Principal, bool) {
	if q := From(ctx); q != nil && q.Authed {
		return q.Principal, true
	}
	return auth.Principal{}, false
}

// Namespace returns the caller's namespace. Handlers read it only through
// this function. A request without one is a wiring bug: internal.
func Namespace(ctx context.Context) (string, error) {
	if q := From(ctx); q != nil && q.Namespace != "" {
		return q.Namespace, nil
	}
	return "", sdk.Errorf(sdk.CodeInternal, "no namespace in request context")
}

// SetNamespace records ns as the request's namespace.
func SetNamespace(ctx context.Context, ns string) {
	if q := From(ctx); q != nil {
		q.Namespace = ns
	}
}

// RequestNamespace checks a namespace a request names (in its body or
// query) and returns the namespace to act in: named, or the caller's when
// named is empty (DefaultNamespace for an anonymous caller). It is
// forbidden (403) for a reserved namespace (the system one, or any name
// starting with '_'), and for a namespace other than the caller's when the
// caller is bound to one (a credential, or "default" with authentication
// disabled).
func RequestNamespace(ctx context.Context, named string) (string, error) {
	if auth.IsReservedNamespace(named) {
		return "", ReservedNamespace(named)
	}
	own := ""
	if q := From(ctx); q != nil {
		own = q.Namespace
	}
	switch {
	case own == "" && named == "":
		return DefaultNamespace, nil
	case own == "":
		return named, nil
	case named == "" || named == own:
		return own, nil
	}
	return "", sdk.Errorf(sdk.CodeForbidden, "namespace %q is not the namespace of the credential", named)
}

// ReservedNamespace is the error (403) for a request acting in a reserved
// namespace.
func ReservedNamespace(ns string) error {
	return sdk.Errorf(sdk.CodeForbidden, "namespace %q is reserved (names starting with '_' belong to the gateway)", ns)
}
