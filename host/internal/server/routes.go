package server

import (
	"net/http"

	"github.com/julienschmidt/httprouter"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	authapi "github.com/orama-network/orama/host/internal/api/auth"
	cacheapi "github.com/orama-network/orama/host/internal/api/cache"
	databaseapi "github.com/orama-network/orama/host/internal/api/database"
	healthapi "github.com/orama-network/orama/host/internal/api/health"
	proxyapi "github.com/orama-network/orama/host/internal/api/proxy"
	pubsubapi "github.com/orama-network/orama/host/internal/api/pubsub"
	serverlessapi "github.com/orama-network/orama/host/internal/api/serverless"
	storageapi "github.com/orama-network/orama/host/internal/api/storage"
)

// Route labels for requests that matched no registered route.
const (
	routeUnmatched = "unmatched" // 404 and 405
	routePreflight = "preflight" // CORS preflight answered by the CORS middleware
	routeOptions   = "options"   // plain OPTIONS answered by the router
)

// pathStorageUpload and pathFunctions (POST: a deploy) are the routes
// whose body limit is not MaxBodyBytes (see bodyLimit).
const (
	pathStorageUpload = "/v1/storage/upload"
	pathFunctions     = "/v1/functions"
)

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
	health := healthapi.New(s.plugins.Statuses, healthapi.Options{
		NodeID: s.opts.NodeID, Peers: s.opts.Peers,
		Version: s.opts.Version, Commit: s.opts.Commit, BuildTime: s.opts.BuildTime,
	}, s.started)
	s.handle(rt, http.MethodGet, "/health", health.Health)
	s.handle(rt, http.MethodGet, "/v1/health", health.Health)
	s.handle(rt, http.MethodGet, "/status", health.Status)
	s.handle(rt, http.MethodGet, "/v1/status", health.Status)
	s.handle(rt, http.MethodGet, "/v1/version", health.Version)
	metrics := promhttp.HandlerFor(withPlugins{host: s.registry, plugins: s.opts.PluginMetrics}, promhttp.HandlerOpts{
		ErrorLog: s.log.StandardLogger(nil),
	})
	s.handle(rt, http.MethodGet, "/metrics", func(w http.ResponseWriter, r *http.Request) error {
		metrics.ServeHTTP(w, r)
		return nil
	})

	// Cache.
	cache := cacheapi.New(s.plugins.Cache, s.timeout, s.near)
	s.handle(rt, http.MethodGet, "/v1/cache/health", cache.Health)
	s.handle(rt, http.MethodPost, "/v1/cache/get", cache.Get)
	s.handle(rt, http.MethodPost, "/v1/cache/mget", cache.MGet)
	s.handle(rt, http.MethodPost, "/v1/cache/put", cache.Put)
	s.handle(rt, http.MethodPost, "/v1/cache/delete", cache.Delete)
	s.handle(rt, http.MethodPost, "/v1/cache/scan", cache.Scan)

	// Auth (sign-in routes are public; see credentials.go).
	auth := authapi.New(s.plugins.Auth, s.timeout, s.ipOf.of, apiKeyHeaderOf, s.now, s.log)
	s.handle(rt, http.MethodPost, "/v1/auth/challenge", auth.Challenge)
	s.handle(rt, http.MethodPost, "/v1/auth/verify", auth.Verify)
	s.handle(rt, http.MethodPost, "/v1/auth/api-key", auth.APIKey)
	s.handle(rt, http.MethodPost, "/v1/auth/simple-key", auth.SimpleKey)
	s.handle(rt, http.MethodPost, "/v1/auth/token", auth.Token)
	s.handle(rt, http.MethodPost, "/v1/auth/register", auth.Register)
	s.handle(rt, http.MethodPost, "/v1/auth/refresh", auth.Refresh)
	s.handle(rt, http.MethodPost, "/v1/auth/logout", auth.Logout)
	s.handle(rt, http.MethodGet, "/v1/auth/whoami", auth.Whoami)
	s.handle(rt, http.MethodGet, "/v1/auth/jwks", auth.JWKS)
	s.handle(rt, http.MethodGet, "/.well-known/jwks.json", auth.JWKS)
	s.handle(rt, http.MethodGet, "/v1/auth/login", auth.Login)
	s.handle(rt, http.MethodGet, "/v1/auth/namespace/members", auth.ListMembers)
	s.handle(rt, http.MethodPost, "/v1/auth/namespace/members", auth.AddMember)
	s.handle(rt, http.MethodDelete, "/v1/auth/namespace/members/:wallet", auth.RemoveMember)

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
	storage := storageapi.New(s.plugins.Storage, s.timeout, s.maxFile)
	s.handle(rt, http.MethodPost, pathStorageUpload, storage.Upload)
	s.handle(rt, http.MethodPost, "/v1/storage/pin", storage.Pin)
	s.handle(rt, http.MethodGet, "/v1/storage/status/:cid", storage.Status)
	s.handle(rt, http.MethodGet, "/v1/storage/get/:cid", storage.Get)
	s.handle(rt, http.MethodHead, "/v1/storage/get/:cid", storage.Get)
	s.handle(rt, http.MethodDelete, "/v1/storage/unpin/:cid", storage.Unpin)

	// PubSub (the WebSocket's credential may be ?api_key= or ?token=; see
	// credentials.go).
	pubsubOpts := s.opts.PubSub
	pubsubOpts.Logger = s.log.Named("pubsub")
	pubsubOpts.Registerer = s.registry
	pubsubOpts.OriginPatterns = s.opts.CORSOrigins
	s.pubsub = pubsubapi.New(s.plugins.PubSub, s.timeout, pubsubOpts)
	s.handle(rt, http.MethodGet, "/v1/pubsub/ws", s.pubsub.Subscribe)
	s.handle(rt, http.MethodPost, "/v1/pubsub/publish", s.pubsub.Publish)
	s.handle(rt, http.MethodGet, "/v1/pubsub/topics", s.pubsub.Topics)
	s.handle(rt, http.MethodGet, "/v1/pubsub/presence", s.pubsub.Presence)

	// Functions (invocations may go without a credential: the plugin runs
	// public functions only for them; see credentials.go) and their
	// secrets.
	fnOpts := s.opts.Functions
	fnOpts.OriginPatterns = s.opts.CORSOrigins
	s.functions = serverlessapi.New(s.plugins.Serverless, s.timeout, fnOpts)
	fn := s.functions
	s.handle(rt, http.MethodPost, pathFunctions, fn.Deploy)
	s.handle(rt, http.MethodGet, pathFunctions, fn.List)
	s.handle(rt, http.MethodGet, "/v1/functions/:name", fn.Get)
	s.handle(rt, http.MethodDelete, "/v1/functions/:name", fn.Delete)
	s.handle(rt, http.MethodPost, "/v1/functions/:name/invoke", fn.Invoke)
	s.handle(rt, http.MethodGet, "/v1/functions/:name/versions", fn.Versions)
	s.handle(rt, http.MethodGet, "/v1/functions/:name/logs", fn.Logs)
	s.handle(rt, http.MethodGet, "/v1/functions/:name/ws", fn.WS)
	s.handle(rt, http.MethodPost, "/v1/invoke/:namespace/:name", fn.InvokeNamespaced)
	s.handle(rt, http.MethodGet, "/v1/secrets", fn.Secrets)
	s.handle(rt, http.MethodPut, "/v1/secrets/:name", fn.SetSecret)
	s.handle(rt, http.MethodDelete, "/v1/secrets/:name", fn.DeleteSecret)

	// Proxy and network (any valid credential).
	s.handle(rt, http.MethodPost, "/v1/proxy/anon", proxyapi.New(s.opts.Proxy).Anon)
	s.handle(rt, http.MethodGet, "/v1/network/status", health.NetworkStatus)
	s.handle(rt, http.MethodGet, "/v1/network/peers", health.NetworkPeers)

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
