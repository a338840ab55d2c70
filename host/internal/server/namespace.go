package server

import (
	"net/http"
	"strings"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk/auth"
)

// authorize binds the request to its credential's namespace: every domain
// route acts only there (handlers read it through namespaceFrom). The
// system namespace is never a request's namespace (403), and a query
// parameter naming another namespace is refused (403). Bodies that name a
// namespace are checked by their handlers through api.RequestNamespace.
func (s *Server) authorize(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := stateFrom(r.Context())
		if st != nil && st.Authed {
			st.Namespace = st.Principal.Namespace
		}
		ns := ""
		if st != nil {
			ns = st.Namespace
		}
		if auth.IsReservedNamespace(ns) {
			s.authm.refused(refusedReserved)
			s.writeError(w, r, api.ReservedNamespace(ns))
			return
		}
		if strings.Contains(r.URL.RawQuery, "namespace=") {
			if _, err := api.RequestNamespace(r.Context(), r.URL.Query().Get("namespace")); err != nil {
				s.authm.refused(refusedNamespace)
				s.writeError(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
