package server

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"time"

	"github.com/orama-network/orama/sdk/netguard"

	"github.com/hashicorp/go-hclog"
	"github.com/julienschmidt/httprouter"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"go.opentelemetry.io/otel/trace"

	cacheapi "github.com/orama-network/orama/host/internal/api/cache"
	pubsubapi "github.com/orama-network/orama/host/internal/api/pubsub"
	serverlessapi "github.com/orama-network/orama/host/internal/api/serverless"
	"github.com/orama-network/orama/host/internal/pluginmgr"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/pubsub"
	"github.com/orama-network/orama/sdk/serverless"
	"github.com/orama-network/orama/sdk/storage"
)

// Defaults for zero Options fields.
const (
	DefaultMaxBodyBytes   = 10 << 20
	DefaultMaxUploadBytes = 10 << 30
	DefaultRequestTimeout = 30 * time.Second

	// Deadlines of a connection (see Options): the headers of a request
	// must arrive within DefaultReadHeaderTimeout, its body (except an
	// upload's, which must only keep moving) within
	// DefaultReadBodyTimeout, and a keep-alive connection is closed after
	// DefaultIdleTimeout without a request.
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadBodyTimeout   = 30 * time.Second
	DefaultIdleTimeout       = 60 * time.Second
)

// Plugins is what the server needs from the plugin manager.
type Plugins interface {
	// Cache returns the cache domain. While the plugin is down, restarting
	// or being upgraded it waits (bounded by ctx) and then returns an
	// *sdk.Error with code unavailable; unavailable too when no cache
	// plugin is configured.
	Cache(ctx context.Context) (cache.Cache, error)
	// Database returns the database domain, with the same waiting and
	// unavailable errors as Cache.
	Database(ctx context.Context) (database.Database, error)
	// Auth returns the auth domain, with the same waiting and unavailable
	// errors as Cache.
	Auth(ctx context.Context) (auth.Auth, error)
	// Storage returns the storage domain, with the same waiting and
	// unavailable errors as Cache.
	Storage(ctx context.Context) (storage.Storage, error)
	// PubSub returns the pubsub domain, with the same waiting and
	// unavailable errors as Cache.
	PubSub(ctx context.Context) (pubsub.PubSub, error)
	// Serverless returns the serverless domain, with the same waiting and
	// unavailable errors as Cache.
	Serverless(ctx context.Context) (serverless.Serverless, error)
	// Statuses returns every configured plugin's status keyed by kind.
	Statuses() map[string]pluginmgr.Status
}

// Options configure a Server. Zero values get defaults.
type Options struct {
	Listen         string        // address Serve listens on when given no listener
	CORSOrigins    []string      // allowed browser origins; "*" allows all; none disables CORS
	MaxBodyBytes   int64         // request body limit (DefaultMaxBodyBytes when ≤ 0)
	MaxUploadBytes int64         // largest file of POST /v1/storage/upload (DefaultMaxUploadBytes when ≤ 0); see storageapi.UploadBodyLimit
	RequestTimeout time.Duration // bound of every plugin call (DefaultRequestTimeout when ≤ 0)

	// Slow clients (slowloris). Zero values get the defaults.
	ReadHeaderTimeout   time.Duration // request line and headers (DefaultReadHeaderTimeout)
	ReadBodyTimeout     time.Duration // a whole request body, uploads excepted (DefaultReadBodyTimeout); see bodyDeadline
	IdleTimeout         time.Duration // keep-alive connection without a request (DefaultIdleTimeout)
	MaxConnections      int           // open at once (DefaultMaxConnections()); see connlimit.go
	MaxConnectionsPerIP int           // open at once per client address, trusted proxies excepted (DefaultMaxConnectionsPerIP, at most MaxConnections)

	NodeID string
	Peers  func() []string // the node's peers for /v1/status; may be nil

	Version, Commit, BuildTime string

	Auth       AuthOptions
	RateLimits map[string]RateLimit // by route group (RateLimitGroups); a group without an entry uses "default"
	// TrustedProxies are the addresses whose X-Forwarded-For is believed
	// when working out a client's IP for rate limiting. Empty: RemoteAddr.
	TrustedProxies []netip.Prefix

	Logger   hclog.Logger         // nil: discard
	Plugins  Plugins              // nil: every domain unavailable
	Registry *prometheus.Registry // nil: a new registry with Go and process collectors
	// PluginMetrics gathers the plugins' own metric families, served on
	// /metrics after the host's (pluginmgr.Manager.Gather). nil: none.
	PluginMetrics prometheus.Gatherer
	Now           func() time.Time // the clock of the key cache and rate limits (nil: time.Now)

	// PubSub are the limits of the pubsub WebSockets (zero values get
	// pubsubapi's defaults; Logger, Registerer and OriginPatterns are set
	// by the server).
	PubSub PubSubOptions

	// Functions are the limits of the serverless routes (zero values get
	// serverlessapi's defaults; OriginPatterns is set by the server).
	Functions FunctionsOptions
	// Proxy makes the requests of POST /v1/proxy/anon; nil: the route
	// answers 403 (the proxy is disabled).
	Proxy *netguard.Client

	// TLS makes Serve serve HTTPS: HTTP/2 and HTTP/1.1 (WebSocket
	// upgrades) on connections that completed this handshake. nil: plain
	// HTTP. Its GetCertificate supplies the certificates (tlsmgr).
	TLS *tls.Config

	// Cache configures the near cache of cache gets (off unless
	// Cache.Near).
	Cache CacheOptions

	// AccessLog takes the access log off the request path (see AccessLog).
	// nil: access lines go through Logger like every other line.
	AccessLog *AccessLog

	// TracerProvider turns tracing on: a server span per request
	// (tracing.go). nil: no spans, no traceparent on responses.
	TracerProvider trace.TracerProvider
}

// PubSubOptions are the limits of the pubsub WebSockets.
type PubSubOptions = pubsubapi.Options

// CacheOptions configure the host's near cache of cache gets (see
// cacheapi.Near); zero sizes get cacheapi's defaults.
type CacheOptions struct {
	Near       bool
	NearBytes  int64
	NearMaxAge time.Duration
}

// FunctionsOptions are the limits of the serverless routes: module and
// input sizes, the bounds of a deploy and an invocation, the idle limit
// of a function WebSocket.
type FunctionsOptions = serverlessapi.Options

// Server is the HTTP server of the host.
type Server struct {
	opts     Options
	log      hclog.Logger
	plugins  Plugins
	registry *prometheus.Registry
	metrics  *httpMetrics
	authm    *authMetrics
	cors     corsPolicy
	maxBody  int64
	maxFile  int64 // largest upload (file bytes)
	timeout  time.Duration
	bodyTime time.Duration // ReadBodyTimeout
	conns    *connLimiter
	started  time.Time
	now      func() time.Time

	authMode string
	verifier TokenVerifier
	keys     *keyCache
	limits   *rateLimits
	ipOf     clientIP
	publicFn func(*http.Request) bool // hook: may this function invocation go without a credential?

	pubsub    *pubsubapi.Handlers     // its Hub holds the WebSockets (closed by Shutdown)
	functions *serverlessapi.Handlers // holds the function WebSockets (closed by Shutdown)
	near      *cacheapi.Near          // nil: no near cache (closed by Shutdown)

	router  *httprouter.Router
	handler http.Handler
	srv     *http.Server
}

// New returns a Server ready to Serve. It panics if the metrics cannot be
// registered on opts.Registry (a name clash with a foreign collector).
func New(opts Options) *Server {
	s := &Server{
		opts:     opts,
		log:      opts.Logger,
		plugins:  opts.Plugins,
		registry: opts.Registry,
		cors:     newCORSPolicy(opts.CORSOrigins),
		maxBody:  opts.MaxBodyBytes,
		maxFile:  opts.MaxUploadBytes,
		timeout:  opts.RequestTimeout,
		started:  time.Now(),
		now:      opts.Now,
	}
	if s.log == nil {
		s.log = hclog.NewNullLogger()
	}
	s.log = s.log.Named("http")
	if s.plugins == nil {
		s.plugins = noPlugins{}
	}
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBodyBytes
	}
	if s.maxFile <= 0 {
		s.maxFile = DefaultMaxUploadBytes
	}
	if s.timeout <= 0 {
		s.timeout = DefaultRequestTimeout
	}
	s.bodyTime = orDuration(opts.ReadBodyTimeout, DefaultReadBodyTimeout)
	if s.now == nil {
		s.now = time.Now
	}
	s.initAuth()
	s.limits = newRateLimits(opts.RateLimits, s.now)
	s.ipOf = newClientIP(opts.TrustedProxies)
	if s.registry == nil {
		s.registry = prometheus.NewRegistry()
		s.registry.MustRegister(collectors.NewGoCollector(),
			collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	var err error
	if s.metrics, err = newHTTPMetrics(s.registry); err != nil {
		panic("server: registering metrics: " + err.Error())
	}
	if s.authm, err = newAuthMetrics(s.registry); err != nil {
		panic("server: registering auth metrics: " + err.Error())
	}
	if _, err = register(s.registry, newPluginCollector(s.plugins)); err != nil {
		panic("server: registering plugin metrics: " + err.Error())
	}
	cm, err := newConnMetrics(s.registry)
	if err != nil {
		panic("server: registering connection metrics: " + err.Error())
	}
	maxConns := opts.MaxConnections
	if maxConns <= 0 {
		maxConns = DefaultMaxConnections()
	}
	perIP := opts.MaxConnectionsPerIP
	if perIP <= 0 {
		perIP = DefaultMaxConnectionsPerIP
	}
	s.conns = newConnLimiter(maxConns, min(perIP, maxConns), s.ipOf.isTrusted, s.log, cm)

	if opts.Cache.Near {
		s.near = cacheapi.NewNear(s.plugins.Cache, cacheapi.NearOptions{MaxBytes: opts.Cache.NearBytes,
			MaxAge: opts.Cache.NearMaxAge, Logger: s.log.Named("near-cache"), Registerer: s.registry})
	}
	s.router = s.routes()
	s.handler = s.chain(s.router)
	s.srv = &http.Server{
		Addr:              opts.Listen,
		Handler:           s.handler,
		ReadHeaderTimeout: orDuration(opts.ReadHeaderTimeout, DefaultReadHeaderTimeout),
		IdleTimeout:       orDuration(opts.IdleTimeout, DefaultIdleTimeout),
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          s.log.StandardLogger(&hclog.StandardLoggerOptions{ForceLevel: hclog.Warn}),
		TLSConfig:         opts.TLS,
	}
	return s
}

// Handler returns the full handler: middleware chain and router.
func (s *Server) Handler() http.Handler { return s.handler }

// Serve serves HTTP (HTTPS with Options.TLS) on ln (on a new listener on
// Options.Listen when ln is nil) until ctx is done, then shuts down
// gracefully, giving in-flight requests up to the request timeout to
// finish. It returns nil after a graceful shutdown, whether triggered by
// ctx or by Shutdown. Connections beyond MaxConnections, or
// MaxConnectionsPerIP from one address, are closed as they are accepted
// (connlimit.go).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", s.opts.Listen); err != nil {
			return err
		}
	}
	s.log.Info("listening", "addr", ln.Addr().String(), "tls", s.srv.TLSConfig != nil,
		"max_connections", s.conns.max, "max_connections_per_ip", s.conns.perIP)
	ln = s.conns.listener(ln)
	errc := make(chan error, 1)
	go func() {
		if s.srv.TLSConfig != nil {
			// The handshake is bounded like the headers (ReadHeaderTimeout);
			// ServeTLS adds h2 and http/1.1 to the config's NextProtos.
			errc <- s.srv.ServeTLS(ln, "", "")
			return
		}
		errc <- s.srv.Serve(ln)
	}()

	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.timeout)
	defer cancel()
	err := s.Shutdown(sctx)
	<-errc
	return err
}

// Shutdown stops accepting connections and waits for in-flight requests
// to finish. When ctx ends first, the remaining connections are closed and
// ctx's error is returned. PubSub WebSockets (hijacked connections, which
// http.Server.Shutdown neither closes nor waits for) are closed first,
// with 1001 going away.
func (s *Server) Shutdown(ctx context.Context) error {
	wsErr := s.pubsub.Shutdown(ctx)
	if err := s.functions.Shutdown(ctx); wsErr == nil {
		wsErr = err
	}
	err := s.srv.Shutdown(ctx)
	if err == nil {
		err = wsErr
	}
	if s.near != nil {
		s.near.Close()
	}
	if err != nil {
		_ = s.srv.Close()
	}
	return err
}

// pluginContext bounds one plugin call by the request timeout.
func (s *Server) pluginContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.timeout)
}

func orDuration(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// noPlugins stands in when Options.Plugins is nil.
type noPlugins struct{}

func (noPlugins) Cache(context.Context) (cache.Cache, error) {
	return nil, sdk.Errorf(sdk.CodeUnavailable, "cache plugin not configured")
}

func (noPlugins) Database(context.Context) (database.Database, error) {
	return nil, sdk.Errorf(sdk.CodeUnavailable, "database plugin not configured")
}

func (noPlugins) Auth(context.Context) (auth.Auth, error) {
	return nil, sdk.Errorf(sdk.CodeUnavailable, "auth plugin not configured")
}

func (noPlugins) Storage(context.Context) (storage.Storage, error) {
	return nil, sdk.Errorf(sdk.CodeUnavailable, "storage plugin not configured")
}

func (noPlugins) PubSub(context.Context) (pubsub.PubSub, error) {
	return nil, sdk.Errorf(sdk.CodeUnavailable, "pubsub plugin not configured")
}

func (noPlugins) Serverless(context.Context) (serverless.Serverless, error) {
	return nil, sdk.Errorf(sdk.CodeUnavailable, "serverless plugin not configured")
}

func (noPlugins) Statuses() map[string]pluginmgr.Status { return nil }
