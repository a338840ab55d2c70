package ipfs

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/plugins/storage/driver"
	"github.com/orama-network/orama/plugins/storage/embedded"
	"github.com/orama-network/orama/plugins/storage/kubo"
	"github.com/orama-network/orama/plugins/storage/registry"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/storage"
)

// closeTimeout bounds Close when the caller's context has no deadline.
const closeTimeout = 10 * time.Second

// Version is the plugin's version, set with -ldflags "-X
// github.com/orama-network/orama/plugins/storage/ipfs.Version=…".
var Version = "dev"

// Store is the storage.Backend. New returns an idle Store; Configure
// opens the registry and the driver.
type Store struct {
	log hclog.Logger
	cur plugin.State[backend]
}

var _ storage.Backend = (*Store)(nil)

// New returns an unconfigured Store that logs to log (nil: no logs).
func New(log hclog.Logger) *Store {
	if log == nil {
		log = hclog.NewNullLogger()
	}
	return &Store{log: log}
}

// Info names the implementation; it works before Configure.
func (s *Store) Info(context.Context) (plugin.Info, error) {
	return plugin.Info{Kind: storage.Kind, Name: "ipfs", Version: Version}, nil
}

// ValidateConfig checks cfg without side effects.
func (s *Store) ValidateConfig(_ context.Context, cfg plugin.Config) error {
	_, err := ParseConfig(cfg)
	return err
}

// Configure validates cfg, opens the pin registry and the driver (for
// kubo: checks that kubo, and the cluster, answer). Errors: a
// plugin.ConfigError, unavailable when the backend cannot start,
// conflict when already configured.
func (s *Store) Configure(ctx context.Context, cfg plugin.Config) error {
	c, err := ParseConfig(cfg)
	if err != nil {
		return err
	}
	return s.cur.Configure("storage", func() (*backend, error) {
		b, err := open(ctx, c, s.log)
		if err == nil {
			s.log.Info("storage ready", "driver", c.Driver, "dir", c.dir, "cid_version", c.CIDVersion)
		}
		return b, err
	})
}

// open starts a backend; on failure it releases what it opened.
func open(ctx context.Context, c Config, log hclog.Logger) (*backend, error) {
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return nil, sdk.Errorf(sdk.CodeUnavailable, "storage data directory: %v", err)
	}
	b := &backend{cfg: c, log: log, flight: newFlight(), gcDone: make(chan struct{})}
	b.life, b.stop = context.WithCancel(context.Background())
	fail := func(err error) (*backend, error) {
		close(b.gcDone) // the GC loop never started
		_ = b.close(context.Background())
		return nil, err
	}
	reg, err := registry.Open(filepath.Join(c.dir, "registry"))
	if err != nil {
		return fail(sdk.Errorf(sdk.CodeUnavailable, "%v", err))
	}
	b.reg = reg
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	drv, err := openDriver(ctx, c)
	if err != nil {
		return fail(sdk.Errorf(sdk.CodeUnavailable, "start %s driver: %v", c.Driver, sdk.AsError(err).Message))
	}
	b.drv = drv
	if err := b.reconcile(ctx); err != nil {
		return fail(sdk.Errorf(sdk.CodeUnavailable, "reconcile pins: %v", err))
	}
	if _, ok := b.drv.(driver.Collector); ok && c.gcInterval > 0 {
		go b.gcLoop()
	} else {
		close(b.gcDone)
	}
	return b, nil
}

// openDriver opens the configured driver (nil on error, never a typed
// nil inside the interface).
func openDriver(ctx context.Context, c Config) (driver.Driver, error) {
	if c.Driver == DriverKubo {
		d, err := kubo.Open(ctx, kubo.Options{API: c.KuboAPI, Cluster: c.IPFSCluster, CIDVersion: c.CIDVersion, Timeout: c.timeout})
		if err != nil {
			return nil, err
		}
		return d, nil
	}
	d, err := embedded.Open(ctx, embedded.Options{Dir: filepath.Join(c.dir, "embedded"), CIDVersion: c.CIDVersion, PeerName: c.peerName})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// Health reports the driver's state once configured.
func (s *Store) Health(ctx context.Context) (plugin.Health, error) {
	b := s.cur.Load()
	if b == nil {
		return plugin.Health{Driver: "ipfs", Detail: "not configured"}, nil
	}
	return b.drv.Health(ctx), nil
}

// Close ends streams in flight, waits for running calls (bounded by ctx,
// or closeTimeout without a deadline) and closes the driver and the
// registry. It is a no-op before Configure and when called again.
func (s *Store) Close(ctx context.Context) error {
	return s.cur.Close(func(b *backend) error {
		ctx, cancel := plugin.WithDefaultTimeout(ctx, closeTimeout)
		defer cancel()
		if err := b.close(ctx); err != nil {
			s.log.Warn("storage close", "error", err)
			return fmt.Errorf("close storage: %w", err)
		}
		return nil
	})
}

// acquire returns the backend for one call and the func that ends the
// call. Errors: unavailable before Configure and after Close.
func (s *Store) acquire() (*backend, func(), error) {
	b := s.cur.Load()
	if b == nil || !b.flight.enter() {
		return nil, nil, sdk.Errorf(sdk.CodeUnavailable, "storage plugin is not configured")
	}
	return b, b.flight.leave, nil
}

// call is acquire for a call bounded by ctx and by the backend's life:
// it returns the backend, the call's context and the func that ends the
// call. Errors: unavailable before Configure and after Close.
func (s *Store) call(ctx context.Context) (*backend, context.Context, func(), error) {
	b, done, err := s.acquire()
	if err != nil {
		return nil, nil, nil, err
	}
	ctx, cancel := b.callCtx(ctx)
	return b, ctx, func() { cancel(); done() }, nil
}

// GC runs the embedded driver's garbage collection now. Errors: invalid
// for a driver without one (kubo collects its own garbage), unavailable
// when imports keep the store busy until ctx ends.
func (s *Store) GC(ctx context.Context) (driver.GCResult, error) {
	b, done, err := s.acquire()
	if err != nil {
		return driver.GCResult{}, err
	}
	defer done()
	col, ok := b.drv.(driver.Collector)
	if !ok {
		return driver.GCResult{}, sdk.Errorf(sdk.CodeInvalid, "driver %q has no GC of its own; the backend collects its garbage", b.cfg.Driver)
	}
	ctx, cancel := b.callCtx(ctx)
	defer cancel()
	return runGC(ctx, col)
}
