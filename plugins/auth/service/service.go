package service

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/plugins/auth/store"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/seal"
)

// Version is the plugin's version, set with -ldflags
// "-X github.com/orama-network/orama/plugins/auth/service.Version=…".
var Version = "dev"

// Service is the auth.Backend of the plugin. New returns an idle Service;
// Configure connects it to the database and loads the signing keys.
type Service struct {
	log hclog.Logger
	now func() time.Time
	db  database.Database // from WithDatabase; nil: through the host API

	cur plugin.State[state]
}

// state is a configured Service.
type state struct {
	cfg    Config
	st     *store.Store
	db     database.Database
	keys   *keyring
	cancel context.CancelFunc // ends the host database client's lifetime

	lastPurge atomic.Int64 // Unix ms of the last purge of expired rows
}

var _ auth.Backend = (*Service)(nil)

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock (default time.Now); tests move it.
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithDatabase makes the Service use db instead of the database domain of
// the host API.
func WithDatabase(db database.Database) Option { return func(s *Service) { s.db = db } }

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
	return plugin.Info{Kind: auth.Kind, Name: "wallet-jwt", Version: Version}, nil
}

// ValidateConfig checks cfg without side effects.
func (s *Service) ValidateConfig(_ context.Context, cfg plugin.Config) error {
	_, err := ParseConfig(cfg)
	return err
}

// Configure validates cfg, creates the auth tables in the system
// namespace if needed and loads (or makes) the signing keys. Errors: a
// plugin.ConfigError (also when key_secret does not open the stored
// keys), unavailable when the database cannot be reached or the host
// offers no host API, conflict when already configured.
func (s *Service) Configure(ctx context.Context, cfg plugin.Config) error {
	c, err := ParseConfig(cfg)
	if err != nil {
		return err
	}
	if c.KeySecret, err = seal.KeySecret(s.log, filepath.Join(cfg.DataDir, cfg.Name), c.KeySecretFile, c.KeySecret); err != nil {
		return err
	}
	return s.cur.Configure("auth", func() (*state, error) {
		db, life, cancel := s.db, context.Background(), context.CancelFunc(func() {})
		if db == nil {
			if cfg.Host == nil {
				return nil, sdk.Errorf(sdk.CodeUnavailable, "the auth plugin needs the database plugin through the host, and the host offers no host API")
			}
			life, cancel = context.WithCancel(context.Background())
			db = database.NewClient(life, cfg.Host.Conn())
		}
		st := store.New(db)
		if err := st.Migrate(ctx); err != nil {
			cancel()
			return nil, unavailable("auth tables", err)
		}
		kr, err := newKeyring(ctx, st, c)
		if err == nil {
			_, err = kr.signingKey(ctx, s.now())
		}
		if err != nil {
			cancel()
			return nil, err
		}
		s.log.Info("auth ready", "issuer", c.Issuer, "audience", c.Audience, "rotate_every", c.RotateEvery)
		return &state{cfg: c, st: st, db: db, keys: kr, cancel: cancel}, nil
	})
}

// Health reports OK once configured and while the database answers.
func (s *Service) Health(ctx context.Context) (plugin.Health, error) {
	st := s.cur.Load()
	if st == nil {
		return plugin.Health{Driver: "database", Detail: "not configured"}, nil
	}
	h, err := st.db.Health(ctx)
	if err != nil {
		return plugin.Health{Driver: "database", Detail: "database: " + sdk.AsError(err).Message}, nil
	}
	detail := fmt.Sprintf("database %s: %s", h.Driver, h.Detail)
	return plugin.Health{OK: h.OK, Driver: "database", Detail: detail}, nil
}

// Close forgets the configuration. It is a no-op before Configure, after
// a failed Configure and when called again.
func (s *Service) Close(context.Context) error {
	return s.cur.Close(func(st *state) error {
		st.cancel()
		return nil
	})
}

// state returns the configured state. Errors: unavailable before
// Configure.
func (s *Service) state() (*state, error) { return s.cur.Current("auth") }

// unavailable wraps a database failure: errors that already carry a code
// keep it, others become unavailable.
func unavailable(what string, err error) error {
	e := sdk.AsError(err)
	if e.Code == sdk.CodeInternal {
		return sdk.Errorf(sdk.CodeUnavailable, "%s: %s", what, e.Message)
	}
	return sdk.Errorf(e.Code, "%s: %s", what, e.Message)
}

// purgeEvery bounds how often a node deletes expired nonces and refresh
// tokens (on Challenge).
const purgeEvery = time.Minute

// maybePurge deletes expired rows at most once per purgeEvery; failures
// are logged, never returned: the rows are dead anyway.
func (s *Service) maybePurge(ctx context.Context, st *state, now time.Time) {
	last := st.lastPurge.Load()
	if now.UnixMilli()-last < purgeEvery.Milliseconds() || !st.lastPurge.CompareAndSwap(last, now.UnixMilli()) {
		return
	}
	if err := st.st.PurgeNonces(ctx, now); err != nil {
		s.log.Warn("purge expired nonces", "error", err)
	}
	if err := st.st.PurgeRefresh(ctx, now); err != nil {
		s.log.Warn("purge expired refresh tokens", "error", err)
	}
}
