package databasetest

import (
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

func testTransactionAllOrNothing(t *testing.T, db database.Database) {
	ctx := t.Context()
	ns := namespace(t, "tx")
	mustExec(t, db, ns, "CREATE TABLE tx (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
	mustExec(t, db, ns, "INSERT INTO tx (id, v) VALUES (9, 'keep')")
	failing := []struct {
		name  string
		ops   []database.Op
		codes []sdk.Code
	}{
		{"duplicate key", []database.Op{
			execOp("INSERT INTO tx (id, v) VALUES (1, 'a')"),
			execOp("INSERT INTO tx (id, v) VALUES (1, 'dup')"),
		}, []sdk.Code{sdk.CodeConflict}},
		{"malformed 2nd op", []database.Op{
			execOp("INSERT INTO tx (id, v) VALUES (2, 'b')"),
			execOp("INSERT INTO tx (id, v) VALUS (3, 'c')"),
		}, []sdk.Code{sdk.CodeInvalid}},
		{"query of a missing table", []database.Op{
			execOp("INSERT INTO tx (id, v) VALUES (4, 'd')"),
			queryOp("SELECT * FROM no_such_table"),
		}, []sdk.Code{sdk.CodeInvalid}},
		{"delete then NOT NULL", []database.Op{
			execOp("DELETE FROM tx WHERE id = ?", int64(9)),
			execOp("UPDATE tx SET v = 'changed'"),
			execOp("INSERT INTO tx (id, v) VALUES (5, ?)", nil),
		}, []sdk.Code{sdk.CodeConflict}},
		{"failing last of many", []database.Op{
			execOp("INSERT INTO tx (id, v) VALUES (6, 'e')"),
			execOp("INSERT INTO tx (id, v) VALUES (7, 'f')"),
			queryOp("SELECT * FROM tx"),
			execOp("INSERT INTO tx (id, v) VALUES (6, 'dup')"),
		}, []sdk.Code{sdk.CodeConflict}},
	}
	for _, f := range failing {
		for _, returnResults := range []bool{false, true} {
			res, err := db.Transaction(ctx, ns, f.ops, returnResults)
			plugintest.WantCode(t, err, "transaction with "+f.name, f.codes...)
			if res != nil {
				t.Errorf("transaction with %s returned results with its error: %+v", f.name, res)
			}
			rows := mustQuery(t, db, ns, "SELECT id, v FROM tx ORDER BY id")
			wantRows(t, "after the failed transaction with "+f.name, rows, []string{"id", "v"}, [][]database.Value{{int64(9), "keep"}})
		}
	}

	res, err := db.Transaction(ctx, ns, []database.Op{
		execOp("INSERT INTO tx (id, v) VALUES (1, 'a')"),
		execOp("UPDATE tx SET v = v || '!' WHERE id = ?", int64(9)),
	}, false)
	if err != nil {
		t.Fatalf("transaction: %v", err)
	}
	if res != nil {
		t.Errorf("results without return_results: %+v, want nil", res)
	}
	rows := mustQuery(t, db, ns, "SELECT id, v FROM tx ORDER BY id")
	wantRows(t, "after a transaction", rows, nil, [][]database.Value{{int64(1), "a"}, {int64(9), "keep!"}})
}

func testTransactionResults(t *testing.T, db database.Database) {
	ns := namespace(t, "txres")
	mustExec(t, db, ns, "CREATE TABLE tx (id INTEGER PRIMARY KEY, v TEXT)")
	ops := []database.Op{
		execOp("INSERT INTO tx (id, v) VALUES (?, ?)", int64(6), "f"),
		queryOp("SELECT v, id FROM tx WHERE id = ?", int64(6)), // sees the insert before it
		execOp("UPDATE tx SET v = 'g' WHERE id >= ?", int64(6)),
		queryOp("SELECT v FROM tx WHERE id > 100"),
		execOp("INSERT INTO tx (v) VALUES ('h'), ('i')"),
		queryOp("SELECT count(*) AS n, ? AS p FROM tx", []byte{0, 1}),
	}
	res, err := db.Transaction(t.Context(), ns, ops, true)
	if err != nil {
		t.Fatalf("transaction: %v", err)
	}
	if len(res) != len(ops) {
		t.Fatalf("%d results for %d ops", len(res), len(ops))
	}
	for i, r := range res {
		if (r.Exec == nil) == (r.Rows == nil) {
			t.Errorf("result %d: Exec %v, Rows %v; want exactly one", i, r.Exec, r.Rows)
		}
		if (ops[i].Kind == database.OpExec) != (r.Exec != nil) {
			t.Errorf("result %d is of the wrong kind for op kind %d: %+v", i, ops[i].Kind, r)
		}
	}
	wantExec := func(i int, affected, lastID int64) {
		t.Helper()
		if e := res[i].Exec; e != nil && (e.RowsAffected != affected || lastID != 0 && e.LastInsertID != lastID) {
			t.Errorf("result %d = %+v, want %d rows affected, last id %d", i, *e, affected, lastID)
		}
	}
	wantExec(0, 1, 6)
	wantExec(2, 1, 0)
	wantExec(4, 2, 8)
	if res[1].Rows != nil {
		wantRows(t, "result 1", res[1].Rows, []string{"v", "id"}, [][]database.Value{{"f", int64(6)}})
	}
	if res[3].Rows != nil {
		wantRows(t, "result 3 (no rows)", res[3].Rows, []string{"v"}, nil)
	}
	if res[5].Rows != nil {
		wantRows(t, "result 5", res[5].Rows, []string{"n", "p"}, [][]database.Value{{int64(3), []byte{0, 1}}})
	}

	res, err = db.Transaction(t.Context(), ns, []database.Op{queryOp("SELECT 1"), execOp("DELETE FROM tx WHERE id = 8")}, false)
	if err != nil || res != nil {
		t.Errorf("without return_results: %+v, %v; want nil, nil", res, err)
	}
	if n := count(t, db, ns, "tx"); n != 2 {
		t.Errorf("%d rows after the transactions, want 2", n)
	}
}
