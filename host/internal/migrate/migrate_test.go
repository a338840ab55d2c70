package migrate

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin"
)

// fakeDB understands just the statements Run sends, with the one property
// that matters: a transaction whose version insert hits an existing
// version fails as a whole (like SQLite/rqlite on a PRIMARY KEY).
type fakeDB struct {
	mu       sync.Mutex
	versions map[int64]bool
	ran      map[string]int // migration statements executed, by SQL
	failSQL  string         // a statement that fails (to test rollback)
}

func newFake() *fakeDB { return &fakeDB{versions: map[int64]bool{}, ran: map[string]int{}} }

func (f *fakeDB) Exec(_ context.Context, ns string, st database.Statement) (database.ExecResult, error) {
	if ns != database.SystemNamespace || !strings.Contains(st.SQL, "schema_migrations") {
		return database.ExecResult{}, sdk.Errorf(sdk.CodeInvalid, "unexpected exec %q in %q", st.SQL, ns)
	}
	return database.ExecResult{}, nil
}

func (f *fakeDB) Query(_ context.Context, ns string, st database.Statement) (*database.Rows, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	rows := &database.Rows{Columns: []string{"version"}}
	if f.versions[st.Args[0].(int64)] {
		rows.Rows = [][]database.Value{{st.Args[0]}}
	}
	return rows, nil
}

func (f *fakeDB) Transaction(_ context.Context, ns string, ops []database.Op, _ bool) ([]database.OpResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v := ops[0].Args[0].(int64)
	if f.versions[v] {
		return nil, sdk.Errorf(sdk.CodeConflict, "UNIQUE constraint failed: schema_migrations.version")
	}
	for _, op := range ops[1:] {
		if op.SQL == f.failSQL {
			return nil, sdk.Errorf(sdk.CodeInvalid, "boom")
		}
	}
	f.versions[v] = true
	for _, op := range ops[1:] {
		f.ran[op.SQL]++
	}
	return nil, nil
}

func (f *fakeDB) Schema(context.Context, string) ([]database.Table, error) { return nil, nil }
func (f *fakeDB) CreateTable(context.Context, string, string) error        { return nil }
func (f *fakeDB) DropTable(context.Context, string, string) error          { return nil }
func (f *fakeDB) Health(context.Context) (plugin.Health, error)            { return plugin.Health{OK: true}, nil }

var testMigrations = []Migration{
	{Version: 2, Name: "b", SQL: []string{"CREATE TABLE b (x)"}},
	{Version: 1, Name: "a", SQL: []string{"CREATE TABLE a (x)", "CREATE INDEX ai ON a (x)"}},
}

func TestRunAppliesInOrderOnce(t *testing.T) {
	db := newFake()
	got, err := Run(context.Background(), db, testMigrations, hclog.NewNullLogger())
	if err != nil || len(got) != 2 || got[0] != 1 || got[1] != 2 {
		t.Fatalf("first run applied %v, %v", got, err)
	}
	got, err = Run(context.Background(), db, testMigrations, hclog.NewNullLogger())
	if err != nil || len(got) != 0 {
		t.Fatalf("second run applied %v, %v", got, err)
	}
	for sql, n := range db.ran {
		if n != 1 {
			t.Errorf("%q ran %d times", sql, n)
		}
	}
}

func TestConcurrentNodesRunEachMigrationOnce(t *testing.T) {
	db := newFake()
	var wg sync.WaitGroup
	total := make(chan int, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := Run(context.Background(), db, testMigrations, hclog.NewNullLogger())
			if err != nil {
				t.Error(err)
			}
			total <- len(got)
		}()
	}
	wg.Wait()
	close(total)
	sum := 0
	for n := range total {
		sum += n
	}
	if sum != 2 {
		t.Errorf("nodes applied %d migrations in all, want 2", sum)
	}
	for sql, n := range db.ran {
		if n != 1 {
			t.Errorf("%q ran %d times", sql, n)
		}
	}
}

func TestFailedMigrationIsNotRecorded(t *testing.T) {
	db := newFake()
	db.failSQL = "CREATE TABLE b (x)"
	got, err := Run(context.Background(), db, testMigrations, hclog.NewNullLogger())
	if err == nil || !strings.Contains(err.Error(), "migration 2 (b)") {
		t.Fatalf("want migration 2 to fail, got %v", err)
	}
	if len(got) != 1 || db.versions[2] {
		t.Errorf("applied %v, versions %v", got, db.versions)
	}
}

func TestDuplicateVersionsRefused(t *testing.T) {
	_, err := Run(context.Background(), newFake(), []Migration{{Version: 1, Name: "a"}, {Version: 1, Name: "b"}}, hclog.NewNullLogger())
	if err == nil {
		t.Fatal("duplicate versions accepted")
	}
}
