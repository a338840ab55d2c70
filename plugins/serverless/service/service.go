package service

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/plugins/serverless/engine"
	"github.com/orama-network/orama/plugins/serverless/hostfuncs"
	"github.com/orama-network/orama/plugins/serverless/store"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/netguard"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/pubsub"
	"github.com/orama-network/orama/sdk/seal"
	"github.com/orama-network/orama/sdk/serverless"
	"github.com/orama-network/orama/sdk/storage"
)

// Version is the plugin's version, set with -ldflags
// "-X github.com/orama-network/orama/plugins/serverless/service.Version=…".
var Version = "dev"

// CodeNamespace is the storage namespace the modules are pinned in.
const CodeNamespace = database.SystemNamespace

// secretPurpose binds the sealing of secrets to that one use (HKDF info);
// it must never change, or stored secrets would no longer open.
const secretPurpose = "orama serverless: function secret v1"

// Service is the serverless.Backend of the plugin. New returns an idle
// Service; Configure connects it to the host API's domains and opens the
// engine.
type Service struct {
	log hclog.Logger
	now func() time.Time

	// From options; nil: through the host API.
	db     database.Database
	store  storage.Storage
	cache  cache.Cache
	pubsub hostfuncs.Publisher

	cur plugin.State[state]
}

// state is a configured Service.
type state struct {
	cfg    Config
	st     *store.Store
	db     database.Database
	code   storage.Storage
	eng    *engine.Engine
	wrap   *seal.Wrapper
	host   *hostfuncs.Backends
	http   *netguard.Client
	meta   *metaCache
	limits *limiter
	logs   *logWriter
	loads  *flight
	cancel context.CancelFunc // ends the host API clients' lifetime
}

var _ serverless.Backend = (*Service)(nil)

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock (default time.Now).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithDatabase makes the Service use db instead of the host API's
// database domain.
func WithDatabase(db database.Database) Option { return func(s *Service) { s.db = db } }

// WithStorage makes the Service keep modules in st instead of the host
// API's storage domain.
func WithStorage(st storage.Storage) Option { return func(s *Service) { s.store = st } }

// WithCache gives functions c instead of the host API's cache domain.
func WithCache(c cache.Cache) Option { return func(s *Service) { s.cache = c } }

// WithPubSub gives functions p instead of the host API's pubsub domain.
func WithPubSub(p hostfuncs.Publisher) Option { return func(s *Service) { s.pubsub = p } }

// New returns an unconfigured Service that logs to log (nil: no logs).
func New(log hclog.Logger, opts ...Option) *Service {
	if log == nil {
		log = hclog.NewNullLogger()
	}
	s := &Service{log: log, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Info names the implementation; it works before Configure.
func (s *Service) Info(context.Context) (plugin.Info, error) {
	return plugin.Info{Kind: serverless.Kind, Name: "wazero", Version: Version}, nil
}

// ValidateConfig checks cfg without side effects.
func (s *Service) ValidateConfig(_ context.Context, cfg plugin.Config) error {
	_, err := ParseConfig(cfg)
	return err
}

// Configure validates cfg, reads (or creates) the key secret, connects to
// the database, storage, cache and pubsub domains, migrates the tables
// and opens the engine. Errors: a plugin.ConfigError, unavailable when
// the database cannot be reached or the host offers no host API,
// conflict when already configured.
func (s *Service) Configure(ctx context.Context, cfg plugin.Config) error {
	c, err := ParseConfig(cfg)
	if err != nil {
		return err
	}
	if c.KeySecret, err = seal.KeySecret(s.log, c.dir, c.KeySecretFile, c.KeySecret); err != nil {
		return err
	}
	w, err := seal.NewWrapper(c.KeySecret, secretPurpose)
	if err != nil {
		return plugin.ConfigError{{Attribute: "key_secret", Message: err.Error()}}
	}
	return s.cur.Configure(serverless.Kind, func() (*state, error) {
		return s.open(ctx, cfg, c, w)
	})
}

// open makes the state; on failure it releases what it opened.
func (s *Service) open(ctx context.Context, cfg plugin.Config, c Config, w *seal.Wrapper) (_ *state, err error) {
	life, cancel := context.WithCancel(context.Background())
	st := &state{cfg: c, wrap: w, cancel: cancel, db: s.db, code: s.store}
	defer func() {
		if err != nil {
			st.release(context.Background())
		}
	}()
	var ca cache.Cache = s.cache
	var ps hostfuncs.Publisher = s.pubsub
	if st.db == nil || st.code == nil || ca == nil || ps == nil {
		if cfg.Host == nil {
			return nil, sdk.Errorf(sdk.CodeUnavailable, "the serverless plugin needs the database and storage plugins through the host, and the host offers no host API")
		}
		conn := cfg.Host.Conn()
		if st.db == nil {
			st.db = database.NewClient(life, conn)
		}
		if st.code == nil {
			st.code = storage.NewClient(life, conn)
		}
		if ca == nil {
			ca = cache.NewClient(life, conn)
		}
		if ps == nil {
			ps = pubsub.NewClient(life, conn)
		}
	}
	st.st = store.New(st.db)
	if err := st.st.Migrate(ctx); err != nil {
		return nil, unavailable("serverless tables", err)
	}
	st.eng, err = engine.New(ctx, engine.Config{CacheDir: c.CacheDir, CacheBytes: c.CacheBytes,
		MaxOutputBytes: c.MaxOutputBytes, MaxLogBytes: c.MaxLogBytes, MaxRunning: c.MaxRunning})
	if err != nil {
		return nil, plugin.ConfigError{{Attribute: "cache_dir", Message: err.Error()}}
	}
	st.http, err = newHTTPClient(c)
	if err != nil {
		return nil, plugin.ConfigError{{Attribute: "http_allow", Message: err.Error()}}
	}
	st.host = &hostfuncs.Backends{DB: st.db, Cache: ca, PubSub: ps, HTTP: st.http, Log: s.log, Secrets: st.secret}
	st.meta = newMetaCache(c.metadataTTL)
	st.limits = newLimiter(c.MaxConcurrency, c.MaxNamespaceConcurrency)
	st.loads = newFlight()
	st.logs = newLogWriter(st.st, c.LogsPerFunction, s.log)
	s.log.Info("serverless ready", "cache_dir", c.CacheDir, "cache_bytes", c.CacheBytes,
		"code_namespace", CodeNamespace, "metadata_ttl", c.metadataTTL)
	return st, nil
}

// release stops what st runs; fields still nil are skipped.
func (st *state) release(ctx context.Context) {
	if st.logs != nil {
		st.logs.close(ctx)
	}
	if st.eng != nil {
		_ = st.eng.Close(ctx)
	}
	if st.http != nil {
		st.http.HTTPClient().CloseIdleConnections()
	}
	st.cancel()
}

// Health reports OK once configured and while the database answers.
func (s *Service) Health(ctx context.Context) (plugin.Health, error) {
	st := s.cur.Load()
	if st == nil {
		return plugin.Health{Driver: "wazero", Detail: "not configured"}, nil
	}
	h, err := st.db.Health(ctx)
	if err != nil {
		return plugin.Health{Driver: "wazero", Detail: "database: " + sdk.AsError(err).Message}, nil
	}
	return plugin.Health{OK: h.OK, Driver: "wazero", Detail: fmt.Sprintf("database %s: %s", h.Driver, h.Detail)}, nil
}

// Close flushes pending log lines and releases the engine. It is a no-op
// before Configure, after a failed Configure and when called again.
func (s *Service) Close(ctx context.Context) error {
	ctx, cancel := plugin.WithDefaultTimeout(ctx, 10*time.Second)
	defer cancel()
	return s.cur.Close(func(st *state) error {
		st.release(ctx)
		return nil
	})
}

// state returns the configured state. Errors: unavailable before
// Configure.
func (s *Service) state() (*state, error) { return s.cur.Current(serverless.Kind) }

// unavailable wraps a backend failure: errors that already carry a code
// keep it, others become unavailable.
func unavailable(what string, err error) error {
	e := sdk.AsError(err)
	if e.Code == sdk.CodeInternal {
		return sdk.Errorf(sdk.CodeUnavailable, "%s: %s", what, e.Message)
	}
	return sdk.Errorf(e.Code, "%s: %s", what, e.Message)
}
