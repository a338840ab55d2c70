package namespaced

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// gateDriver holds every query whose SQL mentions "slow" until release
// is closed.
type gateDriver struct {
	fakeDriver
	release chan struct{}
	started chan struct{}
}

func (g *gateDriver) Query(ctx context.Context, s driver.Stmt, c *driver.Collector) (*database.Rows, error) {
	if strings.Contains(s.SQL, "slow") {
		g.started <- struct{}{}
		select {
		case <-g.release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return &database.Rows{Columns: []string{"x"}, Rows: [][]database.Value{}}, nil
}

// gatedBackend is a Backend on d with max_concurrent_statements 2,
// closed when t ends.
func gatedBackend(t *testing.T, d driver.Driver) *Backend {
	t.Helper()
	b := New(nil)
	b.open = func(context.Context, Config, hclog.Logger) (driver.Driver, error) { return d, nil }
	if err := b.Configure(t.Context(), testConfig(t, map[string]any{"max_concurrent_statements": 2, "statement_timeout": "1m"})); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close(context.Background()) })
	return b
}

// A namespace runs at most max_concurrent_statements statements at once;
// one more waits about a second and is refused with rate_limited, while
// another namespace is served at once.
func TestConcurrentStatementsPerNamespace(t *testing.T) {
	g := &gateDriver{release: make(chan struct{}), started: make(chan struct{}, 8)}
	b := gatedBackend(t, g)
	ctx := t.Context()
	slow := database.Statement{SQL: "SELECT 'slow'"}

	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for range 2 {
		wg.Go(func() {
			_, err := b.Query(ctx, "hog", slow)
			errs <- err
		})
	}
	<-g.started
	<-g.started

	_, err := b.Query(ctx, "hog", slow)
	if e := plugintest.WantCode(t, err, "a third statement of the namespace", sdk.CodeRateLimited); e != nil &&
		(!strings.Contains(e.Message, "max_concurrent_statements") || !strings.Contains(e.Message, `"hog"`)) {
		t.Errorf("message %q does not name the namespace and max_concurrent_statements", e.Message)
	}
	if _, err := b.Query(ctx, "calm", database.Statement{SQL: "SELECT 1"}); err != nil {
		t.Errorf("another namespace while hog is at its maximum: %v", err)
	}
	if h, _ := b.Health(ctx); !h.OK {
		t.Errorf("Health while hog is at its maximum: %+v", h)
	}
	// The gateway's own namespace serves every tenant: never capped.
	var sys sync.WaitGroup
	for range 4 {
		sys.Go(func() {
			if _, err := b.Query(ctx, database.SystemNamespace, slow); err != nil {
				t.Errorf("a statement of %s: %v", database.SystemNamespace, err)
			}
		})
	}
	for range 4 {
		<-g.started
	}

	// A waiting statement takes the slot a finishing one leaves.
	waiting := make(chan error, 1)
	go func() {
		_, err := b.Query(ctx, "hog", database.Statement{SQL: "SELECT 2"})
		waiting <- err
	}()
	close(g.release)
	wg.Wait()
	sys.Wait()
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("a slow statement: %v", err)
		}
	}
	if err := <-waiting; err != nil {
		t.Errorf("a statement that waited for a slot: %v", err)
	}
	s := b.cur.Load()
	s.slots.mu.Lock()
	left := len(s.slots.ns)
	s.slots.mu.Unlock()
	if left != 0 {
		t.Errorf("%d namespaces still hold slot entries after every call ended", left)
	}
}

// mergingGate is a gateDriver that merges the statements whose SQL
// mentions "merged" (driver.Merger) and records who each ran for.
type mergingGate struct {
	gateDriver
	mu      sync.Mutex
	tenants map[string]int
}

func (g *mergingGate) Merges(s driver.Stmt, query bool) bool {
	return query && strings.Contains(s.SQL, "merged")
}

func (g *mergingGate) Query(ctx context.Context, s driver.Stmt, c *driver.Collector) (*database.Rows, error) {
	g.mu.Lock()
	g.tenants[s.Tenant]++
	g.mu.Unlock()
	return g.gateDriver.Query(ctx, s, c)
}

// Statements the driver merges have their own cap, mergedFactor times
// max_concurrent_statements; the statements it runs alone keep theirs,
// and each statement reaches the driver with its namespace as Tenant.
func TestMergedStatementsPerNamespace(t *testing.T) {
	g := &mergingGate{gateDriver: gateDriver{release: make(chan struct{}), started: make(chan struct{}, 16)}, tenants: map[string]int{}}
	b := gatedBackend(t, g)
	ctx := t.Context()
	merged := database.Statement{SQL: "SELECT 'slow merged'"}
	alone := database.Statement{SQL: "SELECT 'slow'"}

	var wg sync.WaitGroup
	for range mergedFactor * 2 {
		wg.Go(func() {
			if _, err := b.Query(ctx, "hog", merged); err != nil {
				t.Errorf("a merged statement within the cap: %v", err)
			}
		})
	}
	for range 2 {
		wg.Go(func() {
			if _, err := b.Query(ctx, "hog", alone); err != nil {
				t.Errorf("a statement run alone beside the merged ones: %v", err)
			}
		})
	}
	for range mergedFactor*2 + 2 {
		<-g.started
	}
	_, err := b.Query(ctx, "hog", merged)
	if e := plugintest.WantCode(t, err, "a merged statement past 4 × max_concurrent_statements", sdk.CodeRateLimited); e != nil &&
		(!strings.Contains(e.Message, "max_concurrent_statements") || !strings.Contains(e.Message, "merged")) {
		t.Errorf("message %q does not name the merged cap", e.Message)
	}
	_, err = b.Query(ctx, "hog", alone)
	plugintest.WantCode(t, err, "a third statement run alone", sdk.CodeRateLimited)
	if _, err := b.Query(ctx, "calm", database.Statement{SQL: "SELECT 'merged'"}); err != nil {
		t.Errorf("another namespace while hog is at both caps: %v", err)
	}
	close(g.release)
	wg.Wait()
	g.mu.Lock()
	defer g.mu.Unlock()
	if want := map[string]int{"hog": mergedFactor*2 + 2, "calm": 1}; fmt.Sprint(g.tenants) != fmt.Sprint(want) {
		t.Errorf("the driver saw tenants %v, want %v", g.tenants, want)
	}
}

// A tenant's slow statements are stopped at statement_timeout with a
// message naming it, an oversized value fails before it is built, and
// meanwhile another namespace and Health are served (real SQLite).
func TestHostileStatementsOnSQLite(t *testing.T) {
	b := startBackend(t, map[string]any{"statement_timeout": "2s", "max_concurrent_statements": 2, "max_open_conns": 4})
	ctx := t.Context()
	exec(t, b, "hog", "CREATE TABLE big (n INTEGER)")
	// 20000 rows in ten small statements: the setup must not itself run
	// into statement_timeout on a loaded machine (-race, shared cores)
	for i := range 10 {
		exec(t, b, "hog", fmt.Sprintf("WITH RECURSIVE c(x) AS (SELECT %d UNION ALL SELECT x + 1 FROM c WHERE x < %d) INSERT INTO big SELECT x FROM c", i*2000+1, (i+1)*2000))
	}
	exec(t, b, "calm", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
	exec(t, b, "calm", "INSERT INTO t VALUES (1, 'one')")

	// randomblob(1e9) and a 100 MB cell fail at once: SQLite's length
	// limit (max_result_bytes) stops them before they are allocated.
	for _, sql := range []string{
		"SELECT length(randomblob(1000000000))",
		"SELECT randomblob(100000000)",
		"SELECT zeroblob(100000000)",
	} {
		_, err := b.Query(ctx, "hog", database.Statement{SQL: sql})
		if e := plugintest.WantCode(t, err, sql, sdk.CodeTooLarge); e != nil && (!strings.Contains(e.Message, "too big") || !strings.Contains(e.Message, "max_result_bytes")) {
			t.Errorf("%s: message %q", sql, e.Message)
		}
	}
	_, err := b.Exec(ctx, "hog", database.Statement{SQL: "CREATE TABLE cell AS SELECT zeroblob(100000000) AS b"})
	plugintest.WantCode(t, err, "storing a 100 MB cell", sdk.CodeTooLarge)

	cross := database.Statement{SQL: "SELECT count(*) FROM big a, big b"}
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[sdk.Code]int{}
	for range 4 {
		wg.Go(func() {
			_, err := b.Query(ctx, "hog", cross)
			e := sdk.AsError(err)
			if e == nil {
				t.Errorf("a cross join of 4e8 rows finished within statement_timeout 2s: it was not interrupted")
				return
			}
			if e.Code == sdk.CodeInvalid && !strings.Contains(e.Message, "statement_timeout (2s)") ||
				e.Code == sdk.CodeRateLimited && !strings.Contains(e.Message, "max_concurrent_statements") {
				t.Errorf("cross join: %s: %s", e.Code, e.Message)
			}
			mu.Lock()
			codes[e.Code]++
			mu.Unlock()
		})
	}
	stop := make(chan struct{})
	var calm sync.WaitGroup
	calmOK, healthOK := 0, 0
	calm.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
			rows, err := b.Query(ctx, "calm", database.Statement{SQL: "SELECT v FROM t WHERE id = ?", Args: []any{1}})
			if err != nil || len(rows.Rows) != 1 {
				t.Errorf("calm's point query while hog hammers: %v", err)
				continue
			}
			calmOK++
			if h, err := b.Health(ctx); err != nil || !h.OK {
				t.Errorf("Health while hog hammers: %+v, %v", h, err)
				continue
			}
			healthOK++
		}
	})
	wg.Wait()
	close(stop)
	calm.Wait()
	if codes[sdk.CodeInvalid] != 2 || codes[sdk.CodeRateLimited] != 2 {
		t.Errorf("4 parallel cross joins with max_concurrent_statements 2 ended %v, want 2 invalid (statement_timeout) and 2 rate_limited", codes)
	}
	if calmOK == 0 || healthOK == 0 {
		t.Errorf("calm's queries and Health never ran while hog hammered (%d, %d)", calmOK, healthOK)
	}
	t.Logf("while hog hammered: %d point queries of calm and %d health checks answered", calmOK, healthOK)
}

// waitDriver's calls wait for a connection until their context ends.
type waitDriver struct{ fakeDriver }

func (w *waitDriver) Query(ctx context.Context, _ driver.Stmt, _ *driver.Collector) (*database.Rows, error) {
	<-ctx.Done()
	return nil, &driver.WaitError{Err: ctx.Err()}
}

// A call that statement_timeout ends while it still waits for a
// connection is unavailable (the engine is busy), not the statement's
// fault.
func TestStatementTimeoutWhileWaiting(t *testing.T) {
	w := &waitDriver{}
	b := New(nil)
	b.open = func(context.Context, Config, hclog.Logger) (driver.Driver, error) { return w, nil }
	if err := b.Configure(t.Context(), testConfig(t, map[string]any{"statement_timeout": "20ms"})); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close(context.Background()) })
	_, err := b.Query(t.Context(), "ns", database.Statement{SQL: "SELECT 1"})
	if e := plugintest.WantCode(t, err, "a call that waited past statement_timeout", sdk.CodeUnavailable); e != nil &&
		(!strings.Contains(e.Message, "busy") || !strings.Contains(e.Message, "statement_timeout (20ms)")) {
		t.Errorf("message %q", e.Message)
	}
}

// With SQLite's single writer, a namespace writes one statement at a
// time: a second write waits, then rate_limited, while its reads and
// other namespaces' writes go on.
func TestOneWritePerNamespaceOnSQLite(t *testing.T) {
	g := &gateDriver{release: make(chan struct{}), started: make(chan struct{}, 8)}
	b := New(nil)
	b.open = func(context.Context, Config, hclog.Logger) (driver.Driver, error) { return g, nil }
	if err := b.Configure(t.Context(), testConfig(t, map[string]any{"statement_timeout": "1m"})); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close(context.Background()) })
	ctx := t.Context()
	write := database.Statement{SQL: "INSERT INTO t (x) VALUES ('slow') RETURNING x"}
	first := make(chan error, 1)
	go func() {
		_, err := b.Query(ctx, "hog", write)
		first <- err
	}()
	<-g.started
	_, err := b.Query(ctx, "hog", write)
	if e := plugintest.WantCode(t, err, "a second write of the namespace", sdk.CodeRateLimited); e != nil && !strings.Contains(e.Message, "writes") {
		t.Errorf("message %q", e.Message)
	}
	if _, err := b.Query(ctx, "hog", database.Statement{SQL: "SELECT 1"}); err != nil {
		t.Errorf("a read of the namespace while it writes: %v", err)
	}
	if _, err := b.Query(ctx, "calm", database.Statement{SQL: "INSERT INTO t (x) VALUES (1) RETURNING x"}); err != nil {
		t.Errorf("another namespace's write: %v", err)
	}
	close(g.release)
	if err := <-first; err != nil {
		t.Errorf("the first write: %v", err)
	}
}
