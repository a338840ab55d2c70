package namespaced

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/plugins/database/rqlite"
	"github.com/orama-network/orama/plugins/database/sqlite"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin"
)

// Version is the plugin's version, set with -ldflags
// "-X github.com/orama-network/orama/plugins/database/namespaced.Version=…".
var Version = "dev"

// openTimeout bounds opening an engine in Configure.
const openTimeout = 30 * time.Second

// healthTimeout bounds Health, well within the host's readiness probe
// (2s): a check that cannot answer in time reports the engine not ok
// rather than leaving the probe unanswered.
const healthTimeout = time.Second

// Backend is the database.Backend of the plugin. New returns an idle
// Backend; Configure opens the engine.
type Backend struct {
	log  hclog.Logger
	open func(ctx context.Context, c Config, log hclog.Logger) (driver.Driver, error)

	cur plugin.State[state]
}

// state is a configured Backend.
type state struct {
	cfg      Config
	drv      driver.Driver
	limits   driver.Limits
	slots    *slots
	rewrites rewrites
}

var _ database.Backend = (*Backend)(nil)

// New returns an unconfigured Backend that logs to log (nil: no logs).
func New(log hclog.Logger) *Backend {
	if log == nil {
		log = hclog.NewNullLogger()
	}
	return &Backend{log: log, open: openDriver}
}

// openDriver opens the engine c names.
func openDriver(ctx context.Context, c Config, log hclog.Logger) (driver.Driver, error) {
	if c.Driver == DriverRqlite {
		return rqlite.Open(ctx, rqlite.Options{
			Hosts:       c.Hosts,
			Consistency: c.Consistency,
			Timeout:     c.timeout,
			Retries:     c.Retries,
			InFlight:    c.InFlight,
			// A namespace has at most as many merged statements on their
			// way to rqlited as it may run alone at once (slots).
			Share: c.MaxConcurrentStatements,
			// JSON may spend up to 6 bytes on a byte of a result (a
			// control character escaped as \u00XX), plus room for small
			// results.
			MaxBody: 6*c.MaxResultBytes + 1<<20,
			Logger:  log,
		})
	}
	return sqlite.Open(ctx, sqlite.Options{
		Path: c.path, BusyTimeout: c.busyTimeout, MaxOpenConns: c.MaxOpenConns,
		// randomblob(1e9) fails at once instead of allocating a gigabyte.
		MaxLength: c.maxLength(),
	})
}

// Info names the implementation; it works before Configure.
func (b *Backend) Info(context.Context) (plugin.Info, error) {
	return plugin.Info{Kind: database.Kind, Name: "sql", Version: Version}, nil
}

// ValidateConfig checks cfg without side effects.
func (b *Backend) ValidateConfig(_ context.Context, cfg plugin.Config) error {
	_, err := ParseConfig(cfg)
	return err
}

// Configure validates cfg and opens the engine: the SQLite file (created
// when missing) or the rqlite cluster through one of its hosts. Errors: a
// plugin.ConfigError, unavailable when the engine cannot be opened,
// conflict when already configured.
func (b *Backend) Configure(ctx context.Context, cfg plugin.Config) error {
	c, err := ParseConfig(cfg)
	if err != nil {
		return err
	}
	return b.cur.Configure("database", func() (*state, error) {
		ctx, cancel := context.WithTimeout(ctx, openTimeout)
		defer cancel()
		drv, err := b.open(ctx, c, b.log)
		if err != nil {
			return nil, sdk.Errorf(sdk.CodeUnavailable, "open %s: %v", c.Driver, err)
		}
		b.log.Info("database ready", "driver", c.Driver, "path", c.path, "hosts", c.Hosts)
		return &state{cfg: c, drv: drv, limits: driver.Limits{MaxRows: c.MaxRows, MaxBytes: c.MaxResultBytes}, slots: newSlots(c.MaxConcurrentStatements, writeSlots(c.Driver))}, nil
	})
}

// Health reports OK once configured and while the engine answers. It
// takes no slot and the engines answer it on a path of their own (a
// dedicated SQLite connection, a dedicated HTTP client for rqlite), so it
// never waits behind the namespaces' statements; healthTimeout bounds it.
func (b *Backend) Health(ctx context.Context) (plugin.Health, error) {
	s := b.cur.Load()
	if s == nil {
		return plugin.Health{Detail: "not configured"}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	detail, err := s.drv.Health(ctx)
	if err != nil {
		return plugin.Health{Driver: s.cfg.Driver, Detail: sdk.AsError(err).Message}, nil
	}
	h := plugin.Health{OK: true, Driver: s.cfg.Driver, Detail: detail}
	if p, ok := s.drv.(driver.Peerer); ok {
		h.Peers = p.Peers()
	}
	return h, nil
}

// Close closes the engine. It is a no-op before Configure, after a failed
// Configure and when called again.
func (b *Backend) Close(context.Context) error {
	return b.cur.Close(func(s *state) error {
		if err := s.drv.Close(); err != nil {
			return fmt.Errorf("close %s: %w", s.cfg.Driver, err)
		}
		return nil
	})
}

// errStatementTimeout is the cause of a call's context when
// statement_timeout ended it.
var errStatementTimeout = errors.New("statement_timeout")

// writeSlots is how many writes one namespace runs at once apart from
// max_concurrent_statements: one with SQLite, whose single writer would
// otherwise queue several slow writes of one namespace ahead of everyone
// else's; not capped apart with rqlite, where the cluster orders writes.
func writeSlots(driver string) int {
	if driver == DriverSQLite {
		return 1
	}
	return 0
}

// begin starts a call of namespace ns: it takes one of the namespace's
// slots (max_concurrent_statements, or a merged slot for a statement the
// driver merges; for a call that may write with SQLite, also its one
// write slot) and bounds the call by statement_timeout. Call done when
// the call ends. Errors: rate_limited when the namespace already runs its
// maximum, unavailable when ctx ends while waiting.
func (s *state) begin(ctx context.Context, ns string, write, merged bool) (_ context.Context, done func(), _ error) {
	release, err := s.slots.acquire(ctx, ns, write, merged)
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithTimeoutCause(ctx, s.cfg.statementTimeout, errStatementTimeout)
	return ctx, func() { cancel(); release() }, nil
}

// merges reports whether the driver merges stmt with other callers'
// statements (driver.Merger), which takes a merged slot (slots).
func (s *state) merges(stmt driver.Stmt, query bool) bool {
	m, ok := s.drv.(driver.Merger)
	return ok && m.Merges(stmt, query)
}

// maxLength is SQLite's length limit: no string, blob or row may outgrow
// what a result could return, nor a statement the schema keeps.
func (c Config) maxLength() int { return int(max(c.MaxResultBytes, database.MaxSQLLen)) }

func (s *state) maxLength() int { return s.cfg.maxLength() }

// current returns the configured state or unavailable.
func (b *Backend) current() (*state, error) { return b.cur.Current("database") }
