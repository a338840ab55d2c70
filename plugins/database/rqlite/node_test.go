package rqlite

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/plugins/database/rqlite/rqlitetest"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

// TestAgainstANode checks, on a real rqlited, the behaviours the package
// doc promises beyond the conformance suite.
func TestAgainstANode(t *testing.T) {
	c := rqlitetest.Start(t, 1)
	// The first host is down: Open goes on to the next.
	d := openTest(t, []string{refusedURL(t), c.Nodes[0].URL}, "weak")
	ctx := t.Context()
	mustExec := func(s driver.Stmt) database.ExecResult {
		t.Helper()
		res, err := d.Exec(ctx, s)
		if err != nil {
			t.Fatalf("Exec(%s): %v", s.SQL, err)
		}
		return res
	}
	query := func(s driver.Stmt) *database.Rows {
		t.Helper()
		rows, err := d.Query(ctx, s, collector())
		if err != nil {
			t.Fatalf("Query(%s): %v", s.SQL, err)
		}
		return rows
	}
	mustExec(stmt("CREATE TABLE kv (k TEXT PRIMARY KEY, v)"))

	t.Run("TextThatLooksLikeABlob", func(t *testing.T) {
		mustExec(stmt("INSERT INTO kv VALUES (?, ?)", "hex", "x'41'"))
		rows := query(readStmt("SELECT v, typeof(v) FROM kv WHERE k = ?", "hex"))
		if !reflect.DeepEqual(rows.Rows, [][]any{{"x'41'", "text"}}) {
			t.Errorf("stored %#v, want the text x'41'", rows.Rows)
		}
		rows = query(readStmt("SELECT ?, ?2, ?1", "X'00'", int64(5)))
		if !reflect.DeepEqual(rows.Rows, [][]any{{"X'00'", int64(5), "X'00'"}}) {
			t.Errorf("echoed %#v", rows.Rows)
		}
	})

	t.Run("ColumnsChange", func(t *testing.T) {
		mustExec(stmt("CREATE TABLE wide (a)"))
		mustExec(stmt("INSERT INTO wide VALUES (1)"))
		sel := readStmt("SELECT * FROM wide")
		if rows := query(sel); !reflect.DeepEqual(rows.Columns, []string{"a"}) {
			t.Fatalf("columns %v", rows.Columns)
		}
		mustExec(stmt("ALTER TABLE wide ADD COLUMN b DEFAULT 2"))
		rows := query(sel)
		if !reflect.DeepEqual(rows.Columns, []string{"a", "b"}) || !reflect.DeepEqual(rows.Rows, [][]any{{int64(1), int64(2)}}) {
			t.Errorf("after ADD COLUMN: %v %v", rows.Columns, rows.Rows)
		}
		mustExec(stmt("ALTER TABLE wide RENAME COLUMN b TO c"))
		if rows := query(sel); !reflect.DeepEqual(rows.Columns, []string{"a", "c"}) {
			t.Errorf("after RENAME COLUMN: %v", rows.Columns)
		}
	})

	t.Run("ExecWithReturning", func(t *testing.T) {
		res := mustExec(stmt("INSERT INTO wide (a) VALUES (?), (?) RETURNING rowid", int64(10), int64(11)))
		if res.RowsAffected != 2 || res.LastInsertID == 0 {
			t.Errorf("Exec with RETURNING = %+v", res)
		}
		rows := query(stmt("UPDATE wide SET a = a + 1 WHERE a >= 10 RETURNING a"))
		if len(rows.Rows) != 2 || !reflect.DeepEqual(rows.Columns, []string{"a"}) {
			t.Errorf("Query of UPDATE … RETURNING = %v %v", rows.Columns, rows.Rows)
		}
		rows = query(stmt("DELETE FROM wide WHERE a = 12"))
		if rows.Columns == nil || len(rows.Columns) != 0 || len(rows.Rows) != 0 {
			t.Errorf("Query of a DELETE without RETURNING = %#v", rows)
		}
		res = mustExec(driver.Stmt{SQL: "SELECT * FROM wide", ReadOnly: true, Select: true})
		if res != (database.ExecResult{}) {
			t.Errorf("Exec of a SELECT = %+v", res)
		}
	})

	t.Run("TransactionPaths", func(t *testing.T) {
		mustExec(stmt("CREATE TABLE tx (n INTEGER)"))
		count := func() int64 {
			return query(readStmt("SELECT count(*) FROM tx")).Rows[0][0].(int64)
		}
		ins := func(n int64) driver.Op { return driver.Op{Stmt: stmt("INSERT INTO tx VALUES (?)", n)} }
		sel := driver.Op{Stmt: readStmt("SELECT n FROM tx ORDER BY n"), Query: true}
		// Each batch fails at its last op, once at compile time (no such
		// table/column) and once when run (a constraint): nothing stays.
		bad := []driver.Op{
			{Stmt: stmt("INSERT INTO nosuch VALUES (1)")},
			{Stmt: stmt("INSERT INTO tx (nosuch) VALUES (1)")},
			{Stmt: readStmt("SELECT nosuch FROM tx"), Query: true},
			{Stmt: stmt("INSERT INTO kv VALUES ('hex', 1)")}, // duplicate key
		}
		for _, withRead := range []bool{false, true} {
			for _, b := range bad {
				ops := []driver.Op{ins(1)}
				if withRead {
					ops = append(ops, sel)
				}
				ops = append(ops, ins(2), b)
				_, err := d.Batch(ctx, ops, collector())
				var se *driver.StmtError
				if !errors.As(err, &se) || se.Op != len(ops)-1 {
					t.Errorf("batch ending in %q (with a read: %v) = %v, want the last op's error", b.SQL, withRead, err)
				}
				if n := count(); n != 0 {
					t.Fatalf("batch ending in %q (with a read: %v) left %d rows", b.SQL, withRead, n)
				}
			}
		}
		res, err := d.Batch(ctx, []driver.Op{ins(1), sel, ins(2), sel,
			{Stmt: stmt("INSERT INTO tx VALUES (3) RETURNING n")}}, collector())
		if err != nil {
			t.Fatal(err)
		}
		if got := res[1].Rows.Rows; !reflect.DeepEqual(got, [][]any{{int64(1)}}) {
			t.Errorf("first read = %v", got)
		}
		if got := res[3].Rows.Rows; !reflect.DeepEqual(got, [][]any{{int64(1)}, {int64(2)}}) {
			t.Errorf("second read = %v", got)
		}
		if e := res[4].Exec; e == nil || e.RowsAffected != 1 || e.LastInsertID != 3 {
			t.Errorf("exec with RETURNING in a batch = %+v", e)
		}
	})

	t.Run("RowLimitIsServerSide", func(t *testing.T) {
		mustExec(stmt("CREATE TABLE many (n)"))
		mustExec(stmt("WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM s WHERE n < 50) INSERT INTO many SELECT n FROM s"))
		lim := driver.NewCollector(driver.Limits{MaxRows: 10, MaxBytes: 1 << 20})
		_, err := d.Query(ctx, readStmt("SELECT n FROM many"), lim)
		var e *sdk.Error
		if !errors.As(err, &e) || e.Code != sdk.CodeTooLarge || !strings.Contains(e.Message, "10 rows") {
			t.Errorf("Query past max_rows = %v", err)
		}
		if lim.Rows() != 11 {
			t.Errorf("read %d rows for a limit of 10, want 11 (LIMIT max_rows+1)", lim.Rows())
		}
	})

	t.Run("WideSelectReadPlain", func(t *testing.T) {
		cols := make([]string, maxTyped+1)
		for i := range cols {
			cols[i] = strconv.Itoa(i)
		}
		wide := readStmt("SELECT " + strings.Join(cols, ", "))
		for range 2 { // its shape unknown, then known
			rows := query(wide)
			if len(rows.Columns) != maxTyped+1 || rows.Rows[0][maxTyped] != int64(maxTyped) {
				t.Errorf("wide SELECT: %d columns", len(rows.Columns))
			}
		}
		res, err := d.Batch(ctx, []driver.Op{{Stmt: wide, Query: true}, {Stmt: readStmt("SELECT 2.0"), Query: true}}, collector())
		if err != nil || len(res[0].Rows.Columns) != maxTyped+1 || res[1].Rows.Rows[0][0] != 2.0 {
			t.Errorf("wide SELECT in a batch: %v", err)
		}
	})

	t.Run("ForeignKeys", func(t *testing.T) {
		mustExec(stmt("CREATE TABLE parent (id INTEGER PRIMARY KEY)"))
		mustExec(stmt("CREATE TABLE child (p INTEGER REFERENCES parent(id))"))
		_, err := d.Exec(ctx, stmt("INSERT INTO child VALUES (42)"))
		var se *driver.StmtError
		if !errors.As(err, &se) || se.Code != sdk.CodeConflict || !strings.Contains(se.Message, "FOREIGN KEY") {
			t.Errorf("a dangling reference = %v, want a FOREIGN KEY conflict", err)
		}
	})

	t.Run("MasterAndHealth", func(t *testing.T) {
		mustExec(stmt(`CREATE TABLE "a_b$t" (x)`))
		mustExec(stmt(`CREATE TABLE "aXb$t" (x)`))
		mustExec(stmt(`CREATE TABLE "A_B$u" (x)`))
		rows, err := d.Master(ctx, "a_b$", collector())
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, r := range rows {
			names = append(names, r.Name)
		}
		if !reflect.DeepEqual(names, []string{"A_B$u", "a_b$t"}) {
			t.Errorf("Master(a_b$) = %v", names)
		}
		detail, err := d.Health(ctx)
		if err != nil || !strings.Contains(detail, c.Nodes[0].URL) || strings.Contains(detail, "FOREIGN KEY") {
			t.Errorf("Health = %q, %v", detail, err)
		}
		if p := d.Peers(); len(p) == 0 || p[0].Addr != c.Nodes[0].URL || !strings.HasPrefix(p[0].ID, "127.0.0.1:") {
			t.Errorf("Peers = %+v, want the node %s", p, c.Nodes[0].URL)
		}
	})
}
