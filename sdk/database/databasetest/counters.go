package databasetest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk/database"
)

// SQLite keeps last_insert_rowid(), changes() and total_changes() per
// connection; an implementation that shares connections between
// namespaces must refuse them or make them answer for the calling
// namespace's own statements only. Namespace b inserts the row id 424242;
// no statement of namespace a may show it, by any route.
func testConnectionCounters(t *testing.T, db database.Database) {
	ctx := t.Context()
	a, b := namespace(t, "ctr_a"), namespace(t, "ctr_b")
	mustExec(t, db, a, "CREATE TABLE mine (id INTEGER PRIMARY KEY, v)")
	mustExec(t, db, b, "CREATE TABLE secret (id INTEGER PRIMARY KEY, v)")
	const leak = int64(424242)

	shows := func(rows []*database.Rows) bool {
		for _, r := range rows {
			if r == nil {
				continue
			}
			for _, row := range r.Rows {
				for _, v := range row {
					if SameValue(v, leak) || strings.Contains(fmt.Sprint(v), "424242") {
						return true
					}
				}
			}
		}
		return false
	}
	for _, sql := range []string{
		"SELECT last_insert_rowid()",
		"SELECT changes(), total_changes()",
		"SELECT last_insert_rowid() AS id FROM (SELECT 1)",
	} {
		mustExec(t, db, b, "INSERT INTO secret (id, v) VALUES (?, 'b')", leak)
		rows, err := db.Query(ctx, a, stmt(sql))
		if err == nil && shows([]*database.Rows{rows}) {
			t.Errorf("Query(%s) in namespace a showed namespace b's row id: %s", sql, describeRows(rows.Rows))
		}
		// A transaction that writes runs where b's write ran.
		res, err := db.Transaction(ctx, a, []database.Op{queryOp(sql), execOp("INSERT INTO mine (v) VALUES ('a')")}, true)
		if err == nil && len(res) > 0 && shows([]*database.Rows{res[0].Rows}) {
			t.Errorf("Transaction(%s, INSERT) in namespace a showed namespace b's row id: %s", sql, describeRows(res[0].Rows.Rows))
		}
		// Refused or not: what it stored is checked below.
		_, _ = db.Exec(ctx, a, stmt("INSERT INTO mine (v) VALUES (last_insert_rowid())"))
		_, _ = db.Exec(ctx, a, stmt("UPDATE mine SET v = changes() WHERE v = 'a'"))
		mustExec(t, db, b, "DELETE FROM secret")
	}
	if rows := mustQuery(t, db, a, "SELECT v FROM mine"); shows([]*database.Rows{rows}) {
		t.Errorf("namespace a stored namespace b's row id: %s", describeRows(rows.Rows))
	}
	// The counters of a's own statements come back in ExecResult.
	res := mustExec(t, db, a, "INSERT INTO mine (v) VALUES ('own')")
	if res.LastInsertID <= 0 || res.LastInsertID == leak || res.RowsAffected != 1 {
		t.Errorf("a's own INSERT: %+v", res)
	}
}
