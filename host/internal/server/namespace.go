package server

import (
	"context"
	"net/http"
	"strings"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
)

// authorize binds the request to its credential's namespace: every domain
// route acts only there (handlers read it through namespaceFrom). The
// system namespace is never a request's namespace (403), and a query
// parameter naming another namespace is refused (403). Bodies that name a
// namespace are checked by their handlers through requestNamespace.
func (s *Server) authorize(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := stateFrom(r.Context())
		if st != nil && st.authed {
			st.namespace = st.principal.Namespace
		}
		ns := ""
		if st != nil {
			ns = st.namespace
		}
		if auth.IsReservedNamespace(ns) {
			s.writeError(w, r, reservedNamespace(ns))
			return
		}
		if strings.Contains(r.URL.RawQuery, "namespace=") {
			if _, err := requestNamespace(r.Context(), r.URL.Query().Get("namespace")); err != nil {
				s.writeError(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// requestNamespace checks a namespace a request names (in its body or
// query) and returns the namespace to act in: named, or the caller's when
// named is empty ("default" for an anonymous caller). It is forbidden
// (403) for a reserved namespace (the system one, or any name starting
// with '_'), and for a namespace other than the
// caller's when the caller is bound to one (a credential, or "default"
// with authentication disabled).
func requestNamespace(ctx context.Context, named string) (string, error) {
	if auth.IsReservedNamespace(named) {
		return "", reservedNamespace(named)
	}
	own := ""
	if st := stateFrom(ctx); st != nil {
		own = st.namespace
	}
	switch {
	case own == "" && named == "":
		return defaultNamespace, nil
	case own == "":
		return named, nil
	case named == "" || named == own:
		return own, nil
	}
	return "", sdk.Errorf(sdk.CodeForbidden, "namespace %q is not the namespace of the credential", named)
}

func reservedNamespace(ns string) error {
	return sdk.Errorf(sdk.CodeForbidden, "namespace %q is reserved (names starting with '_' belong to the gateway)", ns)
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
