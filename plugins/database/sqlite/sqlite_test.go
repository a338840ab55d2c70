package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

func openTest(t testing.TB, path string) *Driver {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "sub", "orama.db")
	}
	d, err := Open(context.Background(), Options{Path: path, BusyTimeout: 5 * time.Second, MaxOpenConns: 4})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

func collector() *driver.Collector {
	return driver.NewCollector(driver.Limits{MaxRows: 1 << 20, MaxBytes: 1 << 30})
}

func stmt(sql string, args ...any) driver.Stmt { return driver.Stmt{SQL: sql, Args: args} }

func read(sql string, args ...any) driver.Stmt {
	return driver.Stmt{SQL: sql, Args: args, ReadOnly: true, Select: true}
}

func mustExec(t testing.TB, d *Driver, s driver.Stmt) database.ExecResult {
	t.Helper()
	res, err := d.Exec(context.Background(), s)
	if err != nil {
		t.Fatalf("Exec(%s): %v", s.SQL, err)
	}
	return res
}

func TestMessage(t *testing.T) {
	for in, want := range map[string]string{
		"SQL logic error: no such table: t (1)":                    "no such table: t",
		"constraint failed: UNIQUE constraint failed: t.id (2067)": "UNIQUE constraint failed: t.id",
		"database is locked (5) (SQLITE_BUSY)":                     "database is locked",
		"interrupted (9)":                                          "interrupted",
		`SQL logic error: near "SELEC": syntax error (1)`:          `near "SELEC": syntax error`,
		"string or blob too big: string or blob too big (18)":      "string or blob too big",
		"SQL logic error: unrecognized token: \"'abc\" (1)":        "unrecognized token: \"'abc\"",
		"no parentheses here":                                      "no parentheses here",
	} {
		if got := message(in); got != want {
			t.Errorf("message(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestErrorsAreClassified(t *testing.T) {
	d := openTest(t, "")
	ctx := t.Context()
	mustExec(t, d, stmt("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL CHECK (n >= 0))"))
	mustExec(t, d, stmt("INSERT INTO t VALUES (1, 1)"))
	cases := []struct {
		s    driver.Stmt
		code sdk.Code
		msg  string
	}{
		{stmt("INSERT INTO t VALUES (1, 2)"), sdk.CodeConflict, "UNIQUE constraint failed: t.id"},
		{stmt("INSERT INTO t VALUES (2, NULL)"), sdk.CodeConflict, "NOT NULL constraint failed: t.n"},
		{stmt("INSERT INTO t VALUES (3, -1)"), sdk.CodeConflict, "CHECK constraint failed: n >= 0"},
		{stmt("INSERT INTO nope VALUES (1)"), sdk.CodeInvalid, "no such table: nope"},
		// Double-quoted string literals are off: an unknown column is an error.
		{stmt(`SELECT "nope" FROM t`), sdk.CodeInvalid, `no such column: "nope" - should this be a string literal in single-quotes?`},
		{stmt("CREATE TABLE t (x)"), sdk.CodeConflict, "table t already exists"},
		{stmt("INSERT INTO t VALUES ('a', 1)"), sdk.CodeInvalid, "datatype mismatch"},
		// A statement wrongly taken as read-only fails on a read connection.
		{driver.Stmt{SQL: "DELETE FROM t", ReadOnly: true}, sdk.CodeInternal, "attempt to write a readonly database"},
	}
	for _, c := range cases {
		_, err := d.Exec(ctx, c.s)
		var se *driver.StmtError
		if !errors.As(err, &se) || se.Code != c.code || se.Message != c.msg || se.Op != -1 {
			t.Errorf("Exec(%s) = %#v, want %s %q", c.s.SQL, err, c.code, c.msg)
		}
	}
}

func TestValuesAndDates(t *testing.T) {
	d := openTest(t, "")
	mustExec(t, d, stmt("CREATE TABLE v (d DATE, dt DATETIME, ts TIMESTAMP, b BOOLEAN, x)"))
	mustExec(t, d, stmt("INSERT INTO v VALUES ('2024-01-02', '2024-01-02 10:00:00', '2024-01-02 10:00:00.250', 1, ?)", []byte{}))
	mustExec(t, d, stmt("INSERT INTO v VALUES ('not a date', 7, CURRENT_TIMESTAMP, 0, NULL)"))
	rows, err := d.Query(t.Context(), read("SELECT d, dt, ts, b, x FROM v ORDER BY rowid"), collector())
	if err != nil {
		t.Fatal(err)
	}
	first := []any{"2024-01-02", "2024-01-02 10:00:00", "2024-01-02 10:00:00.250", int64(1), []byte{}}
	if !reflect.DeepEqual(rows.Rows[0], first) {
		t.Errorf("dates read back as %#v, want %#v", rows.Rows[0], first)
	}
	if got := rows.Rows[1]; got[0] != "not a date" || got[1] != int64(7) || got[3] != int64(0) || got[4] != nil {
		t.Errorf("second row %#v", got)
	}
	if ts, _ := rows.Rows[1][2].(string); len(ts) != len("2006-01-02 15:04:05") {
		t.Errorf("CURRENT_TIMESTAMP read back as %q", ts)
	}
}

func TestBatchIsAllOrNothing(t *testing.T) {
	d := openTest(t, "")
	ctx := t.Context()
	mustExec(t, d, stmt("CREATE TABLE t (id INTEGER PRIMARY KEY)"))
	ops := []driver.Op{
		{Stmt: stmt("INSERT INTO t VALUES (1)")},
		{Stmt: read("SELECT count(*) FROM t"), Query: true},
		{Stmt: stmt("INSERT INTO t VALUES (1)")},
	}
	_, err := d.Batch(ctx, ops, collector())
	var se *driver.StmtError
	if !errors.As(err, &se) || se.Op != 2 || se.Code != sdk.CodeConflict {
		t.Fatalf("Batch = %#v, want a conflict at ops[2]", err)
	}
	rows, err := d.Query(ctx, read("SELECT count(*) FROM t"), collector())
	if err != nil || rows.Rows[0][0] != int64(0) {
		t.Errorf("after a failed batch: %v, %v", rows, err)
	}
	res, err := d.Batch(ctx, ops[:2], collector())
	if err != nil || res[0].Exec.LastInsertID != 1 || res[1].Rows.Rows[0][0] != int64(1) {
		t.Errorf("Batch = %+v, %v", res, err)
	}
	// A read-only batch runs on a reader, in one snapshot.
	res, err = d.Batch(ctx, []driver.Op{{Stmt: read("SELECT 1"), Query: true}, {Stmt: read("SELECT 2")}}, collector())
	if err != nil || res[0].Rows.Rows[0][0] != int64(1) || *res[1].Exec != (database.ExecResult{}) {
		t.Errorf("read-only Batch = %+v, %v", res, err)
	}
}

func TestLimitsStopReading(t *testing.T) {
	d := openTest(t, "")
	mustExec(t, d, stmt("CREATE TABLE t (s)"))
	mustExec(t, d, stmt("WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c WHERE n < 1000) INSERT INTO t SELECT 'row ' || n FROM c"))
	for name, lim := range map[string]driver.Limits{"rows": {MaxRows: 10, MaxBytes: 1 << 20}, "bytes": {MaxRows: 1 << 20, MaxBytes: 100}} {
		c := driver.NewCollector(lim)
		_, err := d.Query(t.Context(), read("SELECT s FROM t"), c)
		var e *sdk.Error
		if !errors.As(err, &e) || e.Code != sdk.CodeTooLarge {
			t.Errorf("%s: got %v, want too_large", name, err)
		}
		if c.Rows() > 20 {
			t.Errorf("%s: read %d rows before stopping", name, c.Rows())
		}
	}
}

func TestContextInterruptsAStatement(t *testing.T) {
	d := openTest(t, "")
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	endless := read("WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM c) SELECT count(*) FROM c")
	_, err := d.Query(ctx, endless, collector())
	if err == nil {
		t.Fatal("an endless statement returned")
	}
	if ctx.Err() == nil {
		t.Errorf("the statement failed before its context ended: %v", err)
	}
	// The reader connection is usable again.
	if _, err := d.Query(t.Context(), read("SELECT 1"), collector()); err != nil {
		t.Errorf("after an interrupted statement: %v", err)
	}
}

func TestReadersReadWhileTheWriterWrites(t *testing.T) {
	d := openTest(t, "")
	ctx := t.Context()
	mustExec(t, d, stmt("CREATE TABLE t (n)"))
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for w := range 4 {
		wg.Go(func() {
			for i := range 50 {
				var err error
				if w == 0 {
					_, err = d.Exec(ctx, stmt("INSERT INTO t VALUES (?)", int64(i)))
				} else {
					_, err = d.Query(ctx, read("SELECT count(*) FROM t"), collector())
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	rows, err := d.Query(ctx, read("SELECT count(*) FROM t"), collector())
	if err != nil || rows.Rows[0][0] != int64(50) {
		t.Errorf("count = %v, %v", rows, err)
	}
}

func TestDataSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "orama.db")
	d := openTest(t, path)
	mustExec(t, d, stmt("CREATE TABLE t (x)"))
	mustExec(t, d, stmt("INSERT INTO t VALUES ('kept')"))
	if detail, err := d.Health(t.Context()); err != nil || detail == "" {
		t.Errorf("Health = %q, %v", detail, err)
	}
	_ = d.Close()
	if _, err := d.Query(t.Context(), read("SELECT 1"), collector()); err == nil {
		t.Error("a closed driver answered")
	}
	d = openTest(t, path)
	rows, err := d.Query(t.Context(), read("SELECT x FROM t"), collector())
	if err != nil || !reflect.DeepEqual(rows.Rows, [][]any{{"kept"}}) {
		t.Errorf("after reopening: %v, %v", rows, err)
	}
	master, err := d.Master(t.Context(), "", collector())
	if err != nil || len(master) != 1 || master[0].Name != "t" || master[0].SQL != "CREATE TABLE t (x)" {
		t.Errorf("Master = %+v, %v", master, err)
	}
}
