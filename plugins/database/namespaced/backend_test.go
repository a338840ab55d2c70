package namespaced

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

func TestUnconfiguredBackend(t *testing.T) {
	b := New(nil)
	ctx := t.Context()
	plugintest.WantIdle(t, b, database.Kind, "sql")
	_, err := b.Query(ctx, "ns", database.Statement{SQL: "SELECT 1"})
	plugintest.WantCode(t, err, "Query before Configure", sdk.CodeUnavailable)
	_, err = b.Exec(ctx, "ns", database.Statement{SQL: "SELECT 1"})
	plugintest.WantCode(t, err, "Exec before Configure", sdk.CodeUnavailable)
	_, err = b.Schema(ctx, "ns")
	plugintest.WantCode(t, err, "Schema before Configure", sdk.CodeUnavailable)
	plugintest.WantCode(t, b.DropTable(ctx, "ns", "t"), "DropTable before Configure", sdk.CodeUnavailable)
	plugintest.CloseTwice(t, b, "before Configure")
}

func TestConfigureLifecycle(t *testing.T) {
	f := &fakeDriver{health: "fine"}
	b := withFake(t, f, nil)
	ctx := t.Context()
	plugintest.WantCode(t, b.Configure(ctx, testConfig(t, nil)), "second Configure", sdk.CodeConflict)
	if h, err := b.Health(ctx); err != nil || !h.OK || h.Driver != "sqlite" || h.Detail != "fine" {
		t.Errorf("Health = %+v, %v", h, err)
	}
	f.err = sdk.Errorf(sdk.CodeUnavailable, "disk gone")
	if h, _ := b.Health(ctx); h.OK || h.Detail != "disk gone" {
		t.Errorf("Health of a failing engine = %+v", h)
	}
	plugintest.CloseTwice(t, b, "")
	if f.closed != 1 {
		t.Errorf("the driver was closed %d times, want 1", f.closed)
	}
	_, err := b.Query(ctx, "ns", database.Statement{SQL: "SELECT 1"})
	plugintest.WantCode(t, err, "Query after Close", sdk.CodeUnavailable)
}

func TestConfigureFailures(t *testing.T) {
	opened := false
	b := New(nil)
	b.open = func(context.Context, Config, hclog.Logger) (driver.Driver, error) {
		opened = true
		return nil, errors.New("no route to rqlite")
	}
	err := b.Configure(t.Context(), testConfig(t, map[string]any{"driver": "bogus"}))
	var ce plugin.ConfigError
	if !errors.As(err, &ce) || ce[0].Attribute != "driver" || opened {
		t.Errorf("Configure with a bad driver = %v (opened: %v)", err, opened)
	}
	err = b.Configure(t.Context(), testConfig(t, map[string]any{"driver": "rqlite", "hosts": []string{"http://127.0.0.1:1"}}))
	e := plugintest.WantCode(t, err, "Configure when the engine cannot open", sdk.CodeUnavailable)
	if e != nil && !strings.Contains(e.Message, "no route to rqlite") {
		t.Errorf("message %q does not say why", e.Message)
	}
	if b.cur.Load() != nil {
		t.Error("a failed Configure left a state behind")
	}
	if err := b.Close(t.Context()); err != nil {
		t.Errorf("Close after a failed Configure: %v", err)
	}
}

func TestStatementsReachTheEngineRewritten(t *testing.T) {
	f := &fakeDriver{rows: &database.Rows{Columns: []string{}, Rows: [][]database.Value{}}}
	b := withFake(t, f, map[string]any{"max_rows": 7, "max_result_bytes": 1234})
	ctx := t.Context()
	if _, err := b.Query(ctx, "acme", database.Statement{SQL: "SELECT * FROM items WHERE ok = ? AND n = ?", Args: []any{true, 3}}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Exec(ctx, "acme", database.Statement{SQL: "INSERT INTO items (ok) VALUES (?)", Args: []any{false}}); err != nil {
		t.Fatal(err)
	}
	seen := f.seen()
	if len(seen) != 2 {
		t.Fatalf("%d statements reached the engine", len(seen))
	}
	q, e := seen[0], seen[1]
	if !strings.Contains(q.SQL, `"acme$items"`) || !q.ReadOnly || !q.Select || !reflect.DeepEqual(q.Args, []any{int64(1), int64(3)}) {
		t.Errorf("query reached the engine as %+v", q)
	}
	if !strings.Contains(e.SQL, `"acme$items"`) || e.ReadOnly || e.Select || !reflect.DeepEqual(e.Args, []any{int64(0)}) {
		t.Errorf("exec reached the engine as %+v", e)
	}
	if want := (driver.Limits{MaxRows: 7, MaxBytes: 1234}); len(f.limits) != 1 || f.limits[0] != want {
		t.Errorf("limits given to the engine: %+v, want %+v", f.limits, want)
	}
}

func TestRefusedStatementsNeverReachTheEngine(t *testing.T) {
	f := &fakeDriver{}
	b := withFake(t, f, nil)
	ctx := t.Context()
	cases := []struct {
		ns, sql string
		code    sdk.Code
	}{
		{"", "SELECT 1", sdk.CodeInvalid},
		{"bad ns", "SELECT 1", sdk.CodeInvalid},
		{"sqlite_x", "SELECT 1", sdk.CodeInvalid},
		{"ns", "", sdk.CodeInvalid},
		{"ns", "SELEC 1", sdk.CodeInvalid},
		{"ns", "ATTACH 'x.db' AS x", sdk.CodeForbidden},
		{"ns", "SELECT * FROM sqlite_master", sdk.CodeForbidden},
		{"ns", "BEGIN", sdk.CodeForbidden},
	}
	for _, c := range cases {
		_, err := b.Query(ctx, c.ns, database.Statement{SQL: c.sql})
		plugintest.WantCode(t, err, "Query("+c.ns+", "+c.sql+")", c.code)
	}
	_, err := b.Exec(ctx, "ns", database.Statement{SQL: "SELECT ?", Args: []any{struct{}{}}})
	plugintest.WantCode(t, err, "Exec with a bad argument", sdk.CodeInvalid)
	_, err = b.Transaction(ctx, "ns", nil, true)
	plugintest.WantCode(t, err, "an empty Transaction", sdk.CodeInvalid)
	_, err = b.Transaction(ctx, "ns", []database.Op{
		{Kind: database.OpExec, Statement: database.Statement{SQL: "INSERT INTO t VALUES (1)"}},
		{Kind: database.OpExec, Statement: database.Statement{SQL: "DETACH x"}},
	}, true)
	if e := plugintest.WantCode(t, err, "Transaction with DETACH", sdk.CodeForbidden); e != nil && !strings.HasPrefix(e.Message, "ops[1]: ") {
		t.Errorf("message %q does not name the op", e.Message)
	}
	if n := len(f.seen()); n != 0 {
		t.Errorf("%d refused statements reached the engine", n)
	}
}

func TestEngineErrorsSpeakTheNamespacesNames(t *testing.T) {
	f := &fakeDriver{}
	b := withFake(t, f, nil)
	ctx := t.Context()
	cases := []struct {
		err  error
		code sdk.Code
		msg  string
	}{
		{driver.EngineError(-1, "UNIQUE constraint failed: acme$items.id"), sdk.CodeConflict, "UNIQUE constraint failed: items.id"},
		{driver.EngineError(2, "no such column: acme$items.x"), sdk.CodeInvalid, "ops[2]: no such column: items.x"},
		{sdk.Errorf(sdk.CodeUnavailable, "rqlite: failed on acme$items"), sdk.CodeUnavailable, "rqlite: failed on items"},
		{errors.New("odd"), sdk.CodeInternal, "odd"},
	}
	for _, c := range cases {
		f.err = c.err
		_, err := b.Exec(ctx, "acme", database.Statement{SQL: "INSERT INTO items VALUES (1)"})
		if e := plugintest.WantCode(t, err, c.err.Error(), c.code); e != nil && e.Message != c.msg {
			t.Errorf("%v became %q, want %q", c.err, e.Message, c.msg)
		}
	}
}

func TestStatementTimeoutAndCancellation(t *testing.T) {
	f := &fakeDriver{block: true}
	b := withFake(t, f, map[string]any{"statement_timeout": "20ms"})
	_, err := b.Query(t.Context(), "ns", database.Statement{SQL: "SELECT 1"})
	if e := plugintest.WantCode(t, err, "a statement past statement_timeout", sdk.CodeInvalid); e != nil && !strings.Contains(e.Message, "statement_timeout (20ms)") {
		t.Errorf("message %q does not name statement_timeout", e.Message)
	}
	_, err = b.Exec(t.Context(), "ns", database.Statement{SQL: "INSERT INTO t VALUES (1)"})
	if e := plugintest.WantCode(t, err, "a write past statement_timeout", sdk.CodeInvalid); e != nil && !strings.Contains(e.Message, "may or may not have been applied") {
		t.Errorf("message %q does not say the outcome is unknown", e.Message)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = b.Exec(ctx, "ns", database.Statement{SQL: "SELECT 1"})
	if e := plugintest.WantCode(t, err, "a cancelled call", sdk.CodeUnavailable); e != nil && (!strings.Contains(e.Message, "cancelled") || strings.Contains(e.Message, "applied")) {
		t.Errorf("message %q", e.Message)
	}
}

func TestLastInsertIDOnlyForInserts(t *testing.T) {
	f := &fakeDriver{exec: database.ExecResult{RowsAffected: 2, LastInsertID: 99}}
	b := withFake(t, f, nil)
	ctx := t.Context()
	for sql, want := range map[string]int64{
		"INSERT INTO t VALUES (1)":           99,
		"REPLACE INTO t VALUES (1)":          99,
		"UPDATE t SET x = 1":                 0,
		"DELETE FROM t":                      0,
		"CREATE TABLE t2 (x)":                0,
		"INSERT OR IGNORE INTO t VALUES (1)": 99,
	} {
		res, err := b.Exec(ctx, "ns", database.Statement{SQL: sql})
		if err != nil || res.LastInsertID != want || res.RowsAffected != 2 {
			t.Errorf("Exec(%s) = %+v, %v; want LastInsertID %d", sql, res, err, want)
		}
	}
	f.exec = database.ExecResult{RowsAffected: 0, LastInsertID: 99}
	if res, _ := b.Exec(ctx, "ns", database.Statement{SQL: "INSERT OR IGNORE INTO t VALUES (1)"}); res.LastInsertID != 0 {
		t.Errorf("an INSERT that inserted nothing reported LastInsertID %d", res.LastInsertID)
	}

	f.results = []database.OpResult{{Exec: &database.ExecResult{RowsAffected: 1, LastInsertID: 5}}, {Exec: &database.ExecResult{RowsAffected: 1, LastInsertID: 5}}}
	ops := []database.Op{
		{Kind: database.OpExec, Statement: database.Statement{SQL: "INSERT INTO t VALUES (1)"}},
		{Kind: database.OpExec, Statement: database.Statement{SQL: "UPDATE t SET x = 2"}},
	}
	res, err := b.Transaction(ctx, "ns", ops, true)
	if err != nil || res[0].Exec.LastInsertID != 5 || res[1].Exec.LastInsertID != 0 {
		t.Errorf("Transaction = %+v, %v", res, err)
	}
	if res, err := b.Transaction(ctx, "ns", ops, false); err != nil || res != nil {
		t.Errorf("Transaction without results = %v, %v", res, err)
	}
	if q := f.batches[0]; q[0].Query || q[0].ReadOnly || !strings.Contains(q[1].SQL, `"ns$t"`) {
		t.Errorf("ops reached the engine as %+v", q)
	}
}

func TestSchemaShowsOnlyTheNamespace(t *testing.T) {
	f := &fakeDriver{master: []driver.MasterRow{
		{Type: "table", Name: "acme$users", TblName: "acme$users", SQL: `CREATE TABLE "acme$users" (id INTEGER PRIMARY KEY)`},
		{Type: "index", Name: "acme$users_by_id", TblName: "acme$users", SQL: `CREATE INDEX "acme$users_by_id" ON "acme$users" (id)`},
		{Type: "index", Name: "sqlite_autoindex_acme$users_1", TblName: "acme$users"},
		{Type: "table", Name: "acme$ghost", TblName: "acme$ghost"},
		{Type: "table", Name: "acme2$t", TblName: "acme2$t", SQL: `CREATE TABLE "acme2$t" (x)`},
		{Type: "table", Name: "acme$a$b", TblName: "acme$a$b", SQL: `CREATE TABLE "acme$a$b" (x)`},
		{Type: "view", Name: "ACME$v", TblName: "ACME$v", SQL: `CREATE VIEW "ACME$v" AS SELECT 1`},
	}}
	b := withFake(t, f, nil)
	tables, err := b.Schema(t.Context(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tb := range tables {
		got = append(got, tb.Type+" "+tb.Name)
		if strings.Contains(tb.SQL, "$") {
			t.Errorf("%s shows a physical name: %s", tb.Name, tb.SQL)
		}
	}
	want := []string{"table users", "index users_by_id", "view v"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Schema = %v, want %v", got, want)
	}
	if seen := f.seen(); len(seen) != 1 || seen[0].SQL != "master acme$" {
		t.Errorf("the engine was asked %v", seen)
	}
	if tables, err := b.Schema(t.Context(), "empty"); err != nil || tables == nil || len(tables) != 0 {
		t.Errorf("Schema of an empty namespace = %#v, %v; want an empty list", tables, err)
	}
}

func TestCreateTableTakesOnlyCreateTable(t *testing.T) {
	f := &fakeDriver{}
	b := withFake(t, f, nil)
	ctx := t.Context()
	for _, bad := range []string{"", "SELECT 1", "CREATE INDEX i ON t (x)", "DROP TABLE t", "CREATE TABLE a (x); CREATE TABLE b (x)", "CREATE TABLE (x)"} {
		plugintest.WantCode(t, b.CreateTable(ctx, "ns", bad), "CreateTable("+bad+")", sdk.CodeInvalid)
	}
	if len(f.seen()) != 0 {
		t.Error("a refused CreateTable reached the engine")
	}
	if err := b.CreateTable(ctx, "ns", "CREATE TABLE t (x)"); err != nil {
		t.Fatal(err)
	}
	if s := f.seen(); len(s) != 1 || !strings.Contains(s[0].SQL, `"ns$t"`) {
		t.Errorf("CreateTable reached the engine as %v", s)
	}
}

func TestDropTable(t *testing.T) {
	f := &fakeDriver{}
	b := withFake(t, f, nil)
	ctx := t.Context()
	for _, bad := range []string{"", "1t", "a-b", `t"`, "t;x", strings.Repeat("t", 129)} {
		plugintest.WantCode(t, b.DropTable(ctx, "ns", bad), "DropTable("+bad+")", sdk.CodeInvalid)
	}
	if err := b.DropTable(ctx, "ns", "items"); err != nil {
		t.Fatal(err)
	}
	if s := f.seen(); len(s) != 1 || s[0].SQL != `DROP TABLE "ns$items"` {
		t.Errorf("DropTable reached the engine as %v", s)
	}
	f.err = driver.EngineError(-1, "no such table: ns$items")
	e := plugintest.WantCode(t, b.DropTable(ctx, "ns", "items"), "DropTable of a missing table", sdk.CodeNotFound)
	if e != nil && e.Message != "no such table: items" {
		t.Errorf("message %q", e.Message)
	}
}
