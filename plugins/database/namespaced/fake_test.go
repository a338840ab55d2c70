package namespaced

import (
	"context"
	"sync"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/sdk/database"
)

// fakeDriver is a driver.Driver that records what reached it and answers
// what the test set.
type fakeDriver struct {
	mu      sync.Mutex
	stmts   []driver.Stmt
	batches [][]driver.Op
	limits  []driver.Limits
	closed  int

	rows    *database.Rows
	exec    database.ExecResult
	results []database.OpResult
	master  []driver.MasterRow
	health  string
	err     error
	block   bool // wait for the context to end
}

var _ driver.Driver = (*fakeDriver)(nil)

func (f *fakeDriver) record(ctx context.Context, s driver.Stmt, c *driver.Collector) error {
	f.mu.Lock()
	f.stmts = append(f.stmts, s)
	if c != nil {
		f.limits = append(f.limits, c.Limits())
	}
	block, err := f.block, f.err
	f.mu.Unlock()
	if block {
		<-ctx.Done()
		return ctx.Err()
	}
	return err
}

func (f *fakeDriver) Query(ctx context.Context, s driver.Stmt, c *driver.Collector) (*database.Rows, error) {
	if err := f.record(ctx, s, c); err != nil {
		return nil, err
	}
	return f.rows, nil
}

func (f *fakeDriver) Exec(ctx context.Context, s driver.Stmt) (database.ExecResult, error) {
	if err := f.record(ctx, s, nil); err != nil {
		return database.ExecResult{}, err
	}
	return f.exec, nil
}

func (f *fakeDriver) Batch(ctx context.Context, ops []driver.Op, c *driver.Collector) ([]database.OpResult, error) {
	f.mu.Lock()
	f.batches = append(f.batches, ops)
	f.mu.Unlock()
	if err := f.record(ctx, driver.Stmt{}, c); err != nil {
		return nil, err
	}
	return f.results, nil
}

func (f *fakeDriver) Master(ctx context.Context, prefix string, c *driver.Collector) ([]driver.MasterRow, error) {
	if err := f.record(ctx, driver.Stmt{SQL: "master " + prefix}, c); err != nil {
		return nil, err
	}
	return f.master, nil
}

func (f *fakeDriver) Health(ctx context.Context) (string, error) {
	if err := f.record(ctx, driver.Stmt{SQL: "health"}, nil); err != nil {
		return "", err
	}
	return f.health, nil
}

func (f *fakeDriver) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed++
	return nil
}

func (f *fakeDriver) seen() []driver.Stmt {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]driver.Stmt(nil), f.stmts...)
}

// withFake returns a Backend configured with attrs over f.
func withFake(t interface {
	Helper()
	Fatalf(string, ...any)
	TempDir() string
	Cleanup(func())
}, f *fakeDriver, attrs map[string]any) *Backend {
	t.Helper()
	b := New(nil)
	b.open = func(context.Context, Config, hclog.Logger) (driver.Driver, error) { return f, nil }
	raw := []byte(nil)
	if attrs != nil {
		raw = mustJSON(attrs)
	}
	if err := b.Configure(context.Background(), pluginConfig(t.TempDir(), raw)); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	t.Cleanup(func() { _ = b.Close(context.Background()) })
	return b
}
