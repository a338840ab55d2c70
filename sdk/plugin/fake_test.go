package plugin_test

import (
	"context"
	"sync"

	"github.com/orama-network/orama/sdk/hostapi"
	"github.com/orama-network/orama/sdk/plugin"
)

// fakeBase is a Base whose answers the test sets and which records what
// reached it.
type fakeBase struct {
	info   plugin.Info
	health plugin.Health
	err    error // returned by every method when set

	// onConfigure runs inside Configure on the plugin side, after the
	// config is recorded (e.g. to log through cfg.Host).
	onConfigure func(ctx context.Context, cfg plugin.Config) error

	mu           sync.Mutex
	validated    []plugin.Config
	configured   []plugin.Config
	healthCalls  int
	closeCalls   int
	lastHostConn *hostapi.Client
}

var _ plugin.Base = (*fakeBase)(nil)

func (f *fakeBase) Info(context.Context) (plugin.Info, error) {
	if f.err != nil {
		return plugin.Info{}, f.err
	}
	return f.info, nil
}

func (f *fakeBase) ValidateConfig(_ context.Context, cfg plugin.Config) error {
	f.mu.Lock()
	f.validated = append(f.validated, cfg)
	f.mu.Unlock()
	return f.err
}

func (f *fakeBase) Configure(ctx context.Context, cfg plugin.Config) error {
	f.mu.Lock()
	f.configured = append(f.configured, cfg)
	f.lastHostConn = cfg.Host
	f.mu.Unlock()
	if f.onConfigure != nil {
		if err := f.onConfigure(ctx, cfg); err != nil {
			return err
		}
	}
	return f.err
}

func (f *fakeBase) Health(context.Context) (plugin.Health, error) {
	f.mu.Lock()
	f.healthCalls++
	f.mu.Unlock()
	if f.err != nil {
		return plugin.Health{}, f.err
	}
	return f.health, nil
}

func (f *fakeBase) Close(context.Context) error {
	f.mu.Lock()
	f.closeCalls++
	f.mu.Unlock()
	return f.err
}

func (f *fakeBase) snapshot() (validated, configured []plugin.Config, health, closes int, host *hostapi.Client) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]plugin.Config(nil), f.validated...), append([]plugin.Config(nil), f.configured...),
		f.healthCalls, f.closeCalls, f.lastHostConn
}
