package pluginmgr

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/host/internal/config"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/pubsub"
	"github.com/orama-network/orama/sdk/storage"
	"github.com/orama-network/orama/sdk/telemetry"
)

// Options configure a Manager.
type Options struct {
	Logger      hclog.Logger
	NodeID      string
	DataDir     string
	UpgradeWait time.Duration // bound on waiting for a plugin's first start
	// HandoffTimeout bounds moving the cache plugin's entries to its
	// successor on an upgrade (default a minute).
	HandoffTimeout time.Duration
	// Telemetry is passed to every plugin launched (tracing.go); the
	// zero value is tracing off.
	Telemetry telemetry.Config
}

// Manager supervises every configured plugin.
type Manager struct {
	log            hclog.Logger
	nodeID         string
	dataDir        string
	upgradeWait    time.Duration
	handoffTimeout time.Duration
	telemetry      telemetry.Config

	mu   sync.RWMutex
	sups map[string]*supervisor
}

// New returns a Manager with no plugins; Apply starts them.
func New(o Options) *Manager {
	if o.Logger == nil {
		o.Logger = hclog.NewNullLogger()
	}
	if o.UpgradeWait <= 0 {
		o.UpgradeWait = 10 * time.Second
	}
	if o.HandoffTimeout <= 0 {
		o.HandoffTimeout = defaultHandoffTimeout
	}
	return &Manager{log: o.Logger.Named("plugin"), nodeID: o.NodeID, dataDir: o.DataDir,
		upgradeWait: o.UpgradeWait, handoffTimeout: o.HandoffTimeout, telemetry: o.Telemetry, sups: map[string]*supervisor{}}
}

// Apply moves the running plugins to cfg: new blocks start, removed ones
// stop, changed ones (by Fingerprint) are upgraded, unchanged ones are left
// alone. It returns when every upgrade has finished (bounded by ctx); an
// upgrade that fails leaves the old instance serving and is reported.
func (m *Manager) Apply(ctx context.Context, plugins []*config.Plugin) error {
	var errs []error
	seen := map[string]bool{}
	for _, p := range plugins {
		seen[p.Kind] = true
		m.mu.Lock()
		s := m.sups[p.Kind]
		if s == nil {
			s = newSupervisor(m, p)
			m.sups[p.Kind] = s
			go s.run()
		}
		m.mu.Unlock()
		s.mu.Lock()
		changed := s.cfg.Fingerprint() != p.Fingerprint()
		s.mu.Unlock()
		if !changed {
			continue
		}
		if err := s.requestUpgrade(ctx, p); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", p.Kind, err))
		}
	}
	m.mu.Lock()
	var removed []*supervisor
	for kind, s := range m.sups {
		if !seen[kind] {
			removed = append(removed, s)
			delete(m.sups, kind)
		}
	}
	m.mu.Unlock()
	for _, s := range removed {
		s.log.Info("plugin removed from config; stopping")
		s.cancel()
		<-s.done
	}
	return errors.Join(errs...)
}

// WaitReady waits until every plugin serves or ctx ends.
func (m *Manager) WaitReady(ctx context.Context) error {
	m.mu.RLock()
	sups := make([]*supervisor, 0, len(m.sups))
	for _, s := range m.sups {
		sups = append(sups, s)
	}
	m.mu.RUnlock()
	for _, s := range sups {
		select {
		case <-s.firstUp:
		case <-ctx.Done():
			return fmt.Errorf("%s plugin not ready: %s", s.kind, s.snapshot().Detail)
		}
	}
	return nil
}

// Stop stops every plugin (bounded by ctx) and waits for them.
func (m *Manager) Stop(ctx context.Context) {
	m.mu.Lock()
	sups := m.sups
	m.sups = map[string]*supervisor{}
	m.mu.Unlock()
	for _, s := range sups {
		s.cancel()
	}
	for _, s := range sups {
		select {
		case <-s.done:
		case <-ctx.Done():
			s.log.Warn("plugin did not stop in time")
		}
	}
}

// Statuses returns every configured plugin's status keyed by kind.
func (m *Manager) Statuses() map[string]Status {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make(map[string]Status, len(m.sups))
	for kind, s := range m.sups {
		out[kind] = s.snapshot()
	}
	return out
}

// Kinds returns the configured plugin kinds, sorted.
func (m *Manager) Kinds() []string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]string, 0, len(m.sups))
	for k := range m.sups {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Cache returns the cache domain; unavailable while its plugin is down.
// While an upgrade hands the entries off, it is the hand-off's view of the
// new and the old instance.
func (m *Manager) Cache(ctx context.Context) (cache.Cache, error) {
	inst, err := m.current(ctx, cache.Kind)
	if err != nil {
		return nil, err
	}
	if v := inst.sup.handoffView(inst); v != nil {
		return v, nil
	}
	return inst.backend.(cache.Cache), nil
}

// Database returns the database domain; unavailable while its plugin is down.
func (m *Manager) Database(ctx context.Context) (database.Database, error) {
	return domain[database.Database](ctx, m, database.Kind)
}

// Storage returns the storage domain; unavailable while its plugin is down.
func (m *Manager) Storage(ctx context.Context) (storage.Storage, error) {
	return domain[storage.Storage](ctx, m, storage.Kind)
}

// PubSub returns the pubsub domain; unavailable while its plugin is down.
func (m *Manager) PubSub(ctx context.Context) (pubsub.PubSub, error) {
	return domain[pubsub.PubSub](ctx, m, pubsub.Kind)
}

// Auth returns the auth domain; unavailable while its plugin is down.
func (m *Manager) Auth(ctx context.Context) (auth.Auth, error) {
	return domain[auth.Auth](ctx, m, auth.Kind)
}

// domain returns the current instance of kind's plugin as its domain
// interface T; unavailable while the plugin is down (waiting, bounded by
// ctx, while it restarts or is upgraded) or when none is configured.
func domain[T any](ctx context.Context, m *Manager, kind string) (T, error) {
	inst, err := m.current(ctx, kind)
	if err != nil {
		var zero T
		return zero, err
	}
	return inst.backend.(T), nil
}

func (m *Manager) current(ctx context.Context, kind string) (*instance, error) {
	m.mu.RLock()
	s := m.sups[kind]
	m.mu.RUnlock()
	if s == nil {
		return nil, sdk.Errorf(sdk.CodeUnavailable, "no %s plugin is configured", kind)
	}
	return s.current(ctx)
}

func (m *Manager) launchOptions(kind string, log hclog.Logger) launchOptions {
	return launchOptions{
		log: log, nodeID: m.nodeID, dataDir: m.dataDir,
		hostServer: m.hostServer(kind), telemetry: m.telemetry,
	}
}
