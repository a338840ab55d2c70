package server

import (
	"net/http"

	"github.com/julienschmidt/httprouter"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	cacheapi "github.com/orama-network/orama/host/internal/api/cache"
	databaseapi "github.com/orama-network/orama/host/internal/api/database"
)

// Route labels for requests that matched no registered route.
const (
	routeUnmatched = "unmatched" // 404 and 405
	routePreflight = "preflight" // CORS preflight answered by the CORS middleware
	routeOptions   = "options"   // plain OPTIONS answered by the router
)

// pathStorageUpload is the one route whose body limit is not MaxBodyBytes
// (see bodyLimit).
const pathStorageUpload = "/v1/storage/upload"

// routes registers every route of the host. It is the only place routes
// are registered.
func (s *Server) routes() *httprouter.Router {
	rt := httprouter.New()
	rt.RedirectTrailingSlash = false // an API answers 404, not a redirect
	rt.RedirectFixedPath = false
	rt.NotFound = http.HandlerFunc(s.notFound)
	rt.MethodNotAllowed = http.HandlerFunc(s.methodNotAllowed)
	rt.GlobalOPTIONS = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if st := stateFrom(r.Context()); st != nil {
			st.label = routeOptions
		}
		w.WriteHeader(http.StatusNoContent) // the router has set Allow
	})

	// Health and status (public).
	s.handle(rt, http.MethodGet, "/health", s.handleHealth)
	s.handle(rt, http.MethodGet, "/v1/health", s.handleHealth)
	s.handle(rt, http.MethodGet, "/status", s.handleStatus)
	s.handle(rt, http.MethodGet, "/v1/status", s.handleStatus)
	s.handle(rt, http.MethodGet, "/v1/version", s.handleVersion)
	metrics := promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{
		ErrorLog: s.log.StandardLogger(nil),
	})
	s.handle(rt, http.MethodGet, "/metrics", func(w http.ResponseWriter, r *http.Request) error {
		metrics.ServeHTTP(w, r)
		return nil
	})

	// Cache.
	cache := cacheapi.New(s.plugins.Cache, s.timeout)
	s.handle(rt, http.MethodGet, "/v1/cache/health", cache.Health)
	s.handle(rt, http.MethodPost, "/v1/cache/get", cache.Get)
	s.handle(rt, http.MethodPost, "/v1/cache/mget", cache.MGet)
	s.handle(rt, http.MethodPost, "/v1/cache/put", cache.Put)
	s.handle(rt, http.MethodPost, "/v1/cache/delete", cache.Delete)
	s.handle(rt, http.MethodPost, "/v1/cache/scan", cache.Scan)

	// Auth (sign-in routes are public; see credentials.go).
	s.handle(rt, http.MethodPost, "/v1/auth/challenge", s.handleAuthChallenge)
	s.handle(rt, http.MethodPost, "/v1/auth/verify", s.handleAuthVerify)
	s.handle(rt, http.MethodPost, "/v1/auth/api-key", s.handleAuthAPIKey)
	s.handle(rt, http.MethodPost, "/v1/auth/simple-key", s.handleAuthSimpleKey)
	s.handle(rt, http.MethodPost, "/v1/auth/token", s.handleAuthToken)
	s.handle(rt, http.MethodPost, "/v1/auth/register", s.handleAuthRegister)
	s.handle(rt, http.MethodPost, "/v1/auth/refresh", s.handleAuthRefresh)
	s.handle(rt, http.MethodPost, "/v1/auth/logout", s.handleAuthLogout)
	s.handle(rt, http.MethodGet, "/v1/auth/whoami", s.handleAuthWhoami)
	s.handle(rt, http.MethodGet, "/v1/auth/jwks", s.handleAuthJWKS)
	s.handle(rt, http.MethodGet, "/.well-known/jwks.json", s.handleAuthJWKS)
	s.handle(rt, http.MethodGet, "/v1/auth/login", s.handleAuthLogin)
	s.handle(rt, http.MethodGet, "/v1/auth/namespace/members", s.handleAuthMembersList)
	s.handle(rt, http.MethodPost, "/v1/auth/namespace/members", s.handleAuthMembersAdd)
	s.handle(rt, http.MethodDelete, "/v1/auth/namespace/members/:wallet", s.handleAuthMembersRemove)

	// Database.
	db := databaseapi.New(s.plugins.Database, s.timeout)
	s.handle(rt, http.MethodPost, "/v1/rqlite/query", db.Query)
	s.handle(rt, http.MethodPost, "/v1/rqlite/exec", db.Exec)
	s.handle(rt, http.MethodPost, "/v1/rqlite/find", db.Find)
	s.handle(rt, http.MethodPost, "/v1/rqlite/find-one", db.FindOne)
	s.handle(rt, http.MethodPost, "/v1/rqlite/select", db.Select)
	s.handle(rt, http.MethodPost, "/v1/rqlite/transaction", db.Transaction)
	s.handle(rt, http.MethodGet, "/v1/rqlite/schema", db.Schema)
	s.handle(rt, http.MethodPost, "/v1/rqlite/create-table", db.CreateTable)
	s.handle(rt, http.MethodPost, "/v1/rqlite/drop-table", db.DropTable)

	// Storage.
	s.handle(rt, http.MethodPost, pathStorageUpload, s.handleStorageUpload)
	s.handle(rt, http.MethodPost, "/v1/storage/pin", s.handleStoragePin)
	s.handle(rt, http.MethodGet, "/v1/storage/status/:cid", s.handleStorageStatus)
	s.handle(rt, http.MethodGet, "/v1/storage/get/:cid", s.handleStorageGet)
	s.handle(rt, http.MethodHead, "/v1/storage/get/:cid", s.handleStorageGet)
	s.handle(rt, http.MethodDelete, "/v1/storage/unpin/:cid", s.handleStorageUnpin)

	return rt
}

// handle registers h for method and pattern: it records the matched route
// in the request state (for logs and metrics) and sends a returned error
// through the error adapter.
func (s *Server) handle(rt *httprouter.Router, method, pattern string, h handlerFunc) {
	ri := newRoute(s.metrics, method, pattern)
	rt.Handle(method, pattern, func(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
		if st := stateFrom(r.Context()); st != nil {
			st.route, st.Params = ri, ps
		}
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}
