package databasetest

import (
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

func testMalformedSQL(t *testing.T, db database.Database) {
	ctx := t.Context()
	ns := namespace(t, "malformed")
	mustExec(t, db, ns, "CREATE TABLE t (x)")
	for _, sql := range []string{"SELEC 1", "SELECT FROM WHERE", "SELECT * FROM t WHERE x = = 1", "INSERT INTO t VALUS (1)", "UPDATE t SET = 1"} {
		_, qerr := db.Query(ctx, ns, stmt(sql))
		_, eerr := db.Exec(ctx, ns, stmt(sql))
		for method, err := range map[string]error{"Query": qerr, "Exec": eerr} {
			what := method + "(" + sql + ")"
			wantMessage(t, plugintest.WantCode(t, err, what, sdk.CodeInvalid), what, "syntax error")
		}
	}
	for _, c := range []struct{ method, sql, word string }{
		{"Query", "SELECT * FROM missing_table", "no such table"},
		{"Query", "SELECT nope FROM t", "no such column"},
		{"Query", "SELECT no_such_function(1)", "no such function"},
		{"Exec", "INSERT INTO missing_table (x) VALUES (1)", "no such table"},
		{"Exec", "UPDATE t SET nope = 1", "no such column"},
	} {
		var err error
		if c.method == "Query" {
			_, err = db.Query(ctx, ns, stmt(c.sql))
		} else {
			_, err = db.Exec(ctx, ns, stmt(c.sql))
		}
		what := c.method + "(" + c.sql + ")"
		wantMessage(t, plugintest.WantCode(t, err, what, sdk.CodeInvalid), what, c.word)
	}
}

func testConstraints(t *testing.T, db database.Database) {
	ctx := t.Context()
	ns := namespace(t, "constraints")
	mustExec(t, db, ns, "CREATE TABLE c (id INTEGER PRIMARY KEY, u TEXT UNIQUE, nn TEXT NOT NULL, pos INTEGER CHECK (pos > 0))")
	mustExec(t, db, ns, "INSERT INTO c (id, u, nn, pos) VALUES (1, 'one', 'x', 1)")
	for name, args := range map[string][]database.Value{
		"UNIQUE":      {int64(2), "one", "x", int64(1)},
		"PRIMARY KEY": {int64(1), "two", "x", int64(1)},
		"NOT NULL":    {int64(3), "three", nil, int64(1)},
		"CHECK":       {int64(4), "four", "x", int64(0)},
	} {
		_, err := db.Exec(ctx, ns, stmt("INSERT INTO c (id, u, nn, pos) VALUES (?, ?, ?, ?)", args...))
		wantMessage(t, plugintest.WantCode(t, err, name+" violation", sdk.CodeConflict), name+" violation", "constraint")
	}
	_, err := db.Exec(ctx, ns, stmt("UPDATE c SET u = ? WHERE id = 1", nil))
	if err != nil {
		t.Errorf("UPDATE to NULL of a UNIQUE column: %v", err)
	}
	mustExec(t, db, ns, "INSERT INTO c (id, u, nn, pos) VALUES (2, 'two', 'y', 2)")
	_, err = db.Exec(ctx, ns, stmt("UPDATE c SET u = 'two' WHERE id = 1"))
	plugintest.WantCode(t, err, "UPDATE into a UNIQUE violation", sdk.CodeConflict)
	if n := count(t, db, ns, "c"); n != 2 {
		t.Errorf("%d rows, want 2", n)
	}
}

func testInvalidNamespace(t *testing.T, db database.Database) {
	ctx := t.Context()
	q := stmt("SELECT 1")
	for _, ns := range []string{"", "a b", "a$b", "a.b", "a/b", "a;b", `a"b`, "ü", strings.Repeat("n", database.MaxNameLen+1)} {
		_, qerr := db.Query(ctx, ns, q)
		_, eerr := db.Exec(ctx, ns, stmt("CREATE TABLE t (x)"))
		_, terr := db.Transaction(ctx, ns, []database.Op{queryOp("SELECT 1")}, true)
		_, serr := db.Schema(ctx, ns)
		errs := map[string]error{
			"Query": qerr, "Exec": eerr, "Transaction": terr, "Schema": serr,
			"CreateTable": db.CreateTable(ctx, ns, "CREATE TABLE t (x)"),
			"DropTable":   db.DropTable(ctx, ns, "t"),
		}
		for method, err := range errs {
			plugintest.WantCode(t, err, method+" in namespace "+short(ns), sdk.CodeInvalid)
		}
	}
	// The longest namespace is fine.
	long := namespace(t, "long")
	long += strings.Repeat("n", database.MaxNameLen-len(long))
	mustExec(t, db, long, "CREATE TABLE t (x)")
	mustExec(t, db, long, "INSERT INTO t VALUES (1)")
	wantRows(t, "in a namespace of MaxNameLen bytes", mustQuery(t, db, long, "SELECT x FROM t"), nil, [][]database.Value{{int64(1)}})
}

func testStatementLimits(t *testing.T, db database.Database) {
	ctx := t.Context()
	ns := namespace(t, "limits")
	mustExec(t, db, ns, "CREATE TABLE t (x)")

	pad := func(sql string, n int) string { return sql + strings.Repeat(" ", n-len(sql)) }
	wantRows(t, "SQL of MaxSQLLen bytes", mustQuery(t, db, ns, pad("SELECT 1 AS one", database.MaxSQLLen)), nil, [][]database.Value{{int64(1)}})
	_, err := db.Query(ctx, ns, stmt(pad("SELECT 1 AS one", database.MaxSQLLen+1)))
	plugintest.WantCode(t, err, "Query of MaxSQLLen+1 bytes", sdk.CodeInvalid)
	_, err = db.Exec(ctx, ns, stmt(pad("INSERT INTO t VALUES (1)", database.MaxSQLLen+1)))
	plugintest.WantCode(t, err, "Exec of MaxSQLLen+1 bytes", sdk.CodeInvalid)
	for _, blank := range []string{"", "  \n\t"} {
		_, qerr := db.Query(ctx, ns, stmt(blank))
		_, eerr := db.Exec(ctx, ns, stmt(blank))
		plugintest.WantCode(t, qerr, "Query of blank SQL", sdk.CodeInvalid)
		plugintest.WantCode(t, eerr, "Exec of blank SQL", sdk.CodeInvalid)
	}

	// MaxArgs parameters bind; one more is refused.
	args := make([]database.Value, database.MaxArgs)
	for i := range args {
		args[i] = int64(i)
	}
	sql := "SELECT ? IN (" + strings.TrimSuffix(strings.Repeat("?,", database.MaxArgs-1), ",") + ") AS found"
	wantRows(t, "MaxArgs parameters", mustQuery(t, db, ns, sql, args...), nil, [][]database.Value{{int64(0)}})
	args[0] = int64(database.MaxArgs - 1)
	wantRows(t, "MaxArgs parameters", mustQuery(t, db, ns, sql, args...), nil, [][]database.Value{{int64(1)}})
	_, err = db.Query(ctx, ns, stmt(sql+" WHERE ?", append(args, int64(1))...))
	plugintest.WantCode(t, err, "Query with MaxArgs+1 parameters", sdk.CodeInvalid)

	for name, v := range map[string]database.Value{"map": map[string]any{"a": int64(1)}, "slice": []int64{1}, "uint64 beyond int64": ^uint64(0)} {
		_, err = db.Exec(ctx, ns, stmt("INSERT INTO t VALUES (?)", v))
		plugintest.WantCode(t, err, "Exec with a "+name+" parameter", sdk.CodeInvalid)
	}

	_, err = db.Transaction(ctx, ns, nil, false)
	plugintest.WantCode(t, err, "Transaction without ops", sdk.CodeInvalid)
	ops := make([]database.Op, database.MaxOps+1)
	for i := range ops {
		ops[i] = execOp("INSERT INTO t VALUES (?)", int64(i))
	}
	_, err = db.Transaction(ctx, ns, ops, false)
	plugintest.WantCode(t, err, "Transaction of MaxOps+1 ops", sdk.CodeInvalid)
	if _, err := db.Transaction(ctx, ns, ops[:database.MaxOps], false); err != nil {
		t.Errorf("Transaction of MaxOps ops: %v", err)
	}
	if n := count(t, db, ns, "t"); n != database.MaxOps {
		t.Errorf("%d rows, want %d (only the transaction of MaxOps ops)", n, database.MaxOps)
	}
}
