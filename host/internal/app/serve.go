package app

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/host/internal/config"
	"github.com/orama-network/orama/host/internal/pluginmgr"
	"github.com/orama-network/orama/host/internal/server"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/jwtverify"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/netguard"
)

// newLogger logs to stdout: human text on a terminal, JSON lines otherwise.
func newLogger() hclog.Logger {
	level := hclog.LevelFromString(os.Getenv("ORAMA_LOG_LEVEL"))
	if level == hclog.NoLevel {
		level = hclog.Info
	}
	tty := isTerminal(os.Stdout)
	return hclog.New(&hclog.LoggerOptions{
		Name: "orama", Level: level, Output: os.Stdout,
		JSONFormat: !tty, Color: hclog.AutoColor,
	})
}

// serve runs the gateway until SIGTERM/SIGINT (exit 0) or a fatal error.
func serve(ctx context.Context, path string, stderr io.Writer) int {
	cfg, diags := config.Load(path)
	if diags.HasErrors() {
		_ = config.WriteDiagnostics(stderr, diags, isTerminal(os.Stderr))
		return 1
	}
	log := newLogger()
	tuneGC(ctx)
	// Each plugin checks its own block before anything starts, so a bad
	// value stops the gateway with a diagnostic instead of a restart loop.
	vctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	diags = pluginmgr.Validate(vctx, log, cfg)
	cancel()
	if diags.HasErrors() {
		_ = config.WriteDiagnostics(stderr, diags, isTerminal(os.Stderr))
		return 1
	}
	if err := os.MkdirAll(cfg.Node.DataDir, 0o750); err != nil {
		log.Error("cannot create data_dir", "path", cfg.Node.DataDir, "error", err)
		return 1
	}
	if err := os.WriteFile(pidFile(cfg), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o640); err != nil {
		log.Error("cannot write pid file", "error", err)
		return 1
	}
	defer os.Remove(pidFile(cfg))
	certs, err := newTLS(ctx, cfg, log)
	if err != nil {
		log.Error("cannot set up TLS", "error", err)
		return 1
	}
	if certs != nil {
		defer certs.Close()
	}

	tracer, stopTracing, err := startTracing(ctx, cfg, log)
	if err != nil {
		log.Error("cannot set up tracing", "error", err)
		return 1
	}
	defer stopTracing()

	mgr := pluginmgr.New(pluginmgr.Options{Logger: log, NodeID: cfg.Node.ID, DataDir: cfg.Node.DataDir, UpgradeWait: cfg.Server.UpgradeWait,
		HandoffTimeout: cfg.Server.Cache.HandoffTimeout, Telemetry: telemetryConfig(cfg.Telemetry)})
	if err := mgr.Apply(ctx, cfg.Plugins); err != nil {
		log.Error("starting plugins", "error", err)
	}
	proxy, err := proxyClient(cfg.Server.Proxy)
	if err != nil { // the config checked every value
		log.Error("proxy", "error", err)
		return 1
	}
	sys := &system{log: log.Named("system"), nodeID: cfg.Node.ID, version: Version, db: mgr.Database}
	// The access log shares stdout and the format with log, off the request path.
	accessLog := server.NewAccessLog(os.Stdout, isTerminal(os.Stdout))
	defer accessLog.Close()
	srv := server.New(server.Options{
		Listen: cfg.Server.Listen, CORSOrigins: cfg.Server.CORSOrigins,
		MaxBodyBytes: cfg.Server.MaxBodyBytes, MaxUploadBytes: cfg.Server.MaxUploadBytes, RequestTimeout: cfg.Server.RequestTimeout,
		NodeID: cfg.Node.ID, Peers: sys.Peers, Version: Version, Commit: Commit, BuildTime: BuildTime,
		Logger: log, Plugins: mgr, PluginMetrics: mgr, AccessLog: accessLog, TracerProvider: tracer,
		Auth: server.AuthOptions{Mode: cfg.Server.Auth, Verifier: tokenVerifier(cfg, mgr),
			KeyCacheTTL: cfg.Server.KeyCacheTTL},
		RateLimits: rateLimits(cfg.Server.RateLimits), TrustedProxies: cfg.Server.TrustedProxies,
		ReadHeaderTimeout: cfg.Server.ReadHeaderTimeout, ReadBodyTimeout: cfg.Server.ReadBodyTimeout,
		IdleTimeout: cfg.Server.IdleTimeout, MaxConnections: cfg.Server.MaxConnections,
		MaxConnectionsPerIP: cfg.Server.MaxConnectionsPerIP,
		PubSub:              pubsubOptions(cfg.Server.PubSub),
		Functions:           functionsOptions(cfg.Server.Functions),
		Proxy:               proxy,
		TLS:                 tlsConfig(certs),
		Cache: server.CacheOptions{Near: cfg.Server.Cache.NearCache, NearBytes: cfg.Server.Cache.NearCacheBytes,
			NearMaxAge: cfg.Server.Cache.NearCacheMaxAge},
	})
	ln, err := net.Listen("tcp", cfg.Server.Listen)
	if err != nil {
		log.Error("cannot listen", "addr", cfg.Server.Listen, "error", err)
		stopPlugins(mgr, cfg.Server.ShutdownTimeout)
		return 1
	}
	httpLn, err := listenHTTP(cfg)
	if err != nil {
		log.Error("cannot listen", "addr", cfg.Server.TLS.HTTPListen, "error", err)
		ln.Close()
		stopPlugins(mgr, cfg.Server.ShutdownTimeout)
		return 1
	}
	log.Info("gateway started", "config", cfg.File, "node", cfg.Node.ID, "version", Version)

	serveCtx, stopServing := context.WithCancel(ctx)
	defer stopServing()
	if cfg.Plugin(database.Kind) != nil {
		go sys.run(serveCtx)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(serveCtx, ln) }()
	if httpLn != nil {
		go serveHTTP(serveCtx, log.Named("http-redirect"), httpLn, certs.HTTPHandler())
	}
	if certs != nil {
		if err := certs.Start(serveCtx); err != nil {
			log.Error("cannot manage certificates", "error", err)
		}
	}

	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(sigs)
	for {
		select {
		case sig := <-sigs:
			if sig == syscall.SIGHUP {
				cfg = reloadConfig(ctx, log, mgr, cfg)
				continue
			}
			log.Info("shutting down", "signal", sig.String(), "drain_limit", cfg.Server.ShutdownTimeout)
			return shutdown(log, srv, mgr, cfg.Server.ShutdownTimeout)
		case <-ctx.Done():
			return shutdown(log, srv, mgr, cfg.Server.ShutdownTimeout)
		case err := <-served:
			if err != nil && !errors.Is(err, context.Canceled) {
				log.Error("server stopped", "error", err)
				stopPlugins(mgr, cfg.Server.ShutdownTimeout)
				return 1
			}
			stopPlugins(mgr, cfg.Server.ShutdownTimeout)
			return 0
		}
	}
}

// reloadConfig re-reads the config file and applies it. An invalid file is
// logged with its diagnostics and the running config stays.
func reloadConfig(ctx context.Context, log hclog.Logger, mgr *pluginmgr.Manager, running *config.Config) *config.Config {
	log.Info("SIGHUP: reloading config", "file", running.File)
	next, diags := config.Load(running.File)
	if diags.HasErrors() {
		log.Error("config reload refused; keeping the running config", "diagnostics", config.DiagnosticsText(diags))
		return running
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := mgr.Apply(ctx, next.Plugins); err != nil {
		log.Error("config reload: some plugins kept their previous version", "error", err)
	} else {
		log.Info("config reloaded")
	}
	// Server settings (listen address, limits) and the telemetry block
	// take effect at the next start.
	return next
}

func shutdown(log hclog.Logger, srv *server.Server, mgr *pluginmgr.Manager, limit time.Duration) int {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	code := 0
	if err := srv.Shutdown(ctx); err != nil {
		log.Warn("drain limit reached; closing remaining connections", "error", err)
	}
	stopPlugins(mgr, limit)
	log.Info("stopped")
	return code
}

// tokenVerifier verifies JWTs with the auth plugin's public keys, for the
// iss, aud and clock skew the plugin signs with: its config { issuer,
// audience, clock_skew }, whose defaults are the plugin's own ("orama",
// "orama-gateway", 60s). Nil without an auth plugin.
func tokenVerifier(cfg *config.Config, mgr *pluginmgr.Manager) server.TokenVerifier {
	p := cfg.Plugin(auth.Kind)
	if p == nil {
		return nil
	}
	settings := struct {
		Issuer    string `json:"issuer"`
		Audience  string `json:"audience"`
		ClockSkew string `json:"clock_skew"`
	}{"orama", "orama-gateway", ""}
	_ = json.Unmarshal(p.ConfigJSON, &settings) // the plugin validates its own block
	skew, _ := time.ParseDuration(settings.ClockSkew)
	return &jwtverify.Verifier{
		Issuer: settings.Issuer, Audience: settings.Audience, Skew: skew,
		Keys: func(ctx context.Context) ([]auth.PublicKey, error) {
			a, err := mgr.Auth(ctx)
			if err != nil {
				return nil, err
			}
			return a.Keys(ctx)
		},
	}
}

// rateLimits converts the rate_limit blocks.
func rateLimits(in map[string]config.RateLimit) map[string]server.RateLimit {
	out := make(map[string]server.RateLimit, len(in))
	for group, rl := range in {
		out[group] = server.RateLimit{RequestsPerSecond: rl.RequestsPerSecond, Burst: rl.Burst,
			IPRequestsPerSecond: rl.IPRequestsPerSecond, IPBurst: rl.IPBurst}
	}
	return out
}

func stopPlugins(mgr *pluginmgr.Manager, limit time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	mgr.Stop(ctx)
}

// functionsOptions converts the server's functions block.
func functionsOptions(c config.Functions) server.FunctionsOptions {
	return server.FunctionsOptions{
		MaxModuleBytes: c.MaxModuleBytes, MaxInputBytes: c.MaxInputBytes,
		InvokeTimeout: c.InvokeTimeout, DeployTimeout: c.DeployTimeout, WSIdleTimeout: c.WSIdleTimeout,
	}
}

// proxyClient makes the client of POST /v1/proxy/anon; nil when the
// proxy is disabled.
func proxyClient(c config.Proxy) (*netguard.Client, error) {
	if !c.Enabled {
		return nil, nil
	}
	return netguard.New(netguard.Config{Allow: c.Allow, SOCKS5: c.SOCKS5, Timeout: c.Timeout, MaxBodyBytes: c.MaxResponseBytes})
}

// pubsubOptions converts the server's pubsub block.
func pubsubOptions(c config.PubSub) server.PubSubOptions {
	return server.PubSubOptions{
		MaxFrameBytes: c.MaxFrameBytes, MaxSocketsPerNamespace: c.MaxSocketsPerNamespace,
		SendQueue: c.SendQueue, PingInterval: c.PingInterval,
		PresenceTTL: c.PresenceTTL, WriteTimeout: c.WriteTimeout, FlushInterval: c.FlushInterval,
	}
}
