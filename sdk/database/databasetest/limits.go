package databasetest

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// A result of more rows than the implementation's limit is too_large; one
// of exactly the limit is fine.
func testRowLimit(t *testing.T, db database.Database, opts Options) {
	if opts.MaxRows <= 0 {
		t.Skip("Options.MaxRows is 0: build the implementation with a row limit and pass it to RunWithOptions")
	}
	ctx := t.Context()
	ns := namespace(t, "rowlimit")
	mustExec(t, db, ns, "CREATE TABLE big (n INTEGER)")
	total := opts.MaxRows + 1
	const perStmt = 500 // rows per INSERT, within MaxArgs
	var ops []database.Op
	for start := 0; start < total; start += perStmt {
		end := min(start+perStmt, total)
		args := make([]database.Value, 0, end-start)
		for i := start; i < end; i++ {
			args = append(args, int64(i))
		}
		ops = append(ops, execOp("INSERT INTO big (n) VALUES "+strings.TrimSuffix(strings.Repeat("(?),", len(args)), ","), args...))
		if len(ops) == database.MaxOps || end == total {
			if _, err := db.Transaction(ctx, ns, ops, false); err != nil {
				t.Fatalf("filling the table: %v", err)
			}
			ops = nil
		}
	}
	if n := count(t, db, ns, "big"); n != int64(total) {
		t.Fatalf("big has %d rows, want %d", n, total)
	}

	rows := mustQuery(t, db, ns, "SELECT n FROM big ORDER BY n LIMIT ?", int64(opts.MaxRows))
	if len(rows.Rows) != opts.MaxRows {
		t.Errorf("a query of MaxRows rows returned %d", len(rows.Rows))
	}
	_, err := db.Query(ctx, ns, stmt("SELECT n FROM big"))
	plugintest.WantCode(t, err, fmt.Sprintf("Query of %d rows with MaxRows %d", total, opts.MaxRows), sdk.CodeTooLarge)
	_, err = db.Transaction(ctx, ns, []database.Op{queryOp("SELECT n FROM big")}, true)
	plugintest.WantCode(t, err, "Transaction with a query op over MaxRows", sdk.CodeTooLarge)
}

func testConcurrent(t *testing.T, db database.Database) {
	ctx := t.Context()
	shared := namespace(t, "shared")
	mustExec(t, db, shared, "CREATE TABLE hits (id INTEGER PRIMARY KEY, worker INTEGER, n INTEGER)")
	const workers, rounds = 8, 10
	var wg sync.WaitGroup
	for w := range workers {
		own := namespace(t, fmt.Sprintf("w%d", w))
		wg.Go(func() {
			if err := db.CreateTable(ctx, own, "CREATE TABLE mine (n INTEGER)"); err != nil {
				t.Errorf("worker %d CreateTable: %v", w, err)
				return
			}
			for i := range rounds {
				res, err := db.Exec(ctx, shared, stmt("INSERT INTO hits (worker, n) VALUES (?, ?)", int64(w), int64(i)))
				if err != nil || res.RowsAffected != 1 {
					t.Errorf("worker %d insert: %+v, %v", w, res, err)
					return
				}
				rows, err := db.Query(ctx, shared, stmt("SELECT count(*) FROM hits WHERE worker = ?", int64(w)))
				if got := single(rows); err != nil || !SameValue(got, int64(i+1)) {
					t.Errorf("worker %d count after %d inserts: %s, %v", w, i+1, describe(got), err)
					return
				}
				ops := []database.Op{execOp("INSERT INTO mine (n) VALUES (?)", int64(i)), queryOp("SELECT sum(n) FROM mine")}
				res2, err := db.Transaction(ctx, own, ops, true)
				var sum database.Value
				if len(res2) == 2 {
					sum = single(res2[1].Rows)
				}
				if err != nil || !SameValue(sum, int64(i*(i+1)/2)) {
					t.Errorf("worker %d transaction %d: sum %s, %v", w, i, describe(sum), err)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := count(t, db, shared, "hits"); n != workers*rounds {
		t.Errorf("hits has %d rows, want %d", n, workers*rounds)
	}
	rows := mustQuery(t, db, shared, "SELECT worker, count(*), sum(n) FROM hits GROUP BY worker ORDER BY worker")
	want := make([][]database.Value, workers)
	for w := range want {
		want[w] = []database.Value{int64(w), int64(rounds), int64(rounds * (rounds - 1) / 2)}
	}
	wantRows(t, "hits per worker", rows, nil, want)
}

// single returns the one cell of a one-row, one-column result, or a
// string saying what came instead.
func single(rows *database.Rows) database.Value {
	if rows == nil || len(rows.Rows) != 1 || len(rows.Rows[0]) != 1 {
		if rows == nil {
			return "<nil rows>"
		}
		return "<" + describeRows(rows.Rows) + ">"
	}
	return rows.Rows[0][0]
}

func testHealth(t *testing.T, db database.Database) {
	h, err := db.Health(t.Context())
	if err != nil {
		t.Fatalf("Health: %v", err)
	}
	if !h.OK || h.Driver == "" {
		t.Errorf("Health = %+v, want OK with a driver name", h)
	}
}
