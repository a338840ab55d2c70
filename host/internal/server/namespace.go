package server

import (
	"context"
	"net/http"

	"github.com/orama-network/orama/sdk"
)

// defaultNamespace is every request's namespace until authentication binds
// the namespace of the caller's credential.
const defaultNamespace = "default"

// namespace puts the caller's namespace in the request context.
func (s *Server) namespace(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setNamespace(r, defaultNamespace)
		next.ServeHTTP(w, r)
	})
}

// setNamespace records ns as the request's namespace.
func setNamespace(r *http.Request, ns string) {
	if st := stateFrom(r.Context()); st != nil {
		st.namespace = ns
	}
}

// namespaceFrom returns the caller's namespace. Handlers read it only
// through this function. A request without one is a wiring bug: internal.
func namespaceFrom(ctx context.Context) (string, error) {
	if st := stateFrom(ctx); st != nil && st.namespace != "" {
		return st.namespace, nil
	}
	return "", sdk.Errorf(sdk.CodeInternal, "no namespace in request context")
}
