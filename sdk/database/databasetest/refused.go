package databasetest

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// refusedStatements reach outside the namespace or change the engine for
// everyone; each must be refused (invalid or forbidden) by Exec and Query.
// Transaction control is included: a BEGIN left open on a shared
// connection would swallow other namespaces' writes. {DIR} is a temporary
// directory.
var refusedStatements = []string{
	`ATTACH DATABASE ':memory:' AS other`,
	`ATTACH ':memory:' AS other`,
	`ATTACH DATABASE '{DIR}/attached.db' AS other`,
	`ATTACH 'file:{DIR}/attached2.db?mode=rwc' AS other`,
	`DETACH DATABASE other`,
	`DETACH other`,
	`PRAGMA user_version = 7`,
	`PRAGMA main.user_version = 8`,
	`PRAGMA foreign_keys = OFF`,
	`PRAGMA writable_schema = ON`,
	`PRAGMA case_sensitive_like = 1`,
	`PRAGMA cache_size = 10`,
	`SELECT load_extension('x')`,
	`SELECT load_extension('x', 'sqlite3_x_init')`,
	`VACUUM INTO '{DIR}/copy.db'`,
	`BEGIN`,
	`BEGIN IMMEDIATE TRANSACTION`,
	`COMMIT`,
	`END TRANSACTION`,
	`ROLLBACK`,
	`SAVEPOINT sp`,
	`RELEASE SAVEPOINT sp`,
}

func testRefusedStatements(t *testing.T, db database.Database) {
	ctx := t.Context()
	ns := namespace(t, "refused")
	mustExec(t, db, ns, "CREATE TABLE t (x)")
	dir := filepath.ToSlash(t.TempDir())
	for _, tmpl := range refusedStatements {
		sql := strings.ReplaceAll(tmpl, "{DIR}", dir)
		_, eerr := db.Exec(ctx, ns, stmt(sql))
		plugintest.WantCode(t, eerr, "Exec("+tmpl+")", refused...)
		_, qerr := db.Query(ctx, ns, stmt(sql))
		plugintest.WantCode(t, qerr, "Query("+tmpl+")", refused...)
		_, terr := db.Transaction(ctx, ns, []database.Op{execOp("INSERT INTO t VALUES (1)"), execOp(sql)}, false)
		plugintest.WantCode(t, terr, "Transaction(…, "+tmpl+")", refused...)
	}
	// Nothing above changed anything: the table is empty and writes
	// still commit.
	if n := count(t, db, ns, "t"); n != 0 {
		t.Errorf("t has %d rows after refused statements, want 0", n)
	}
	mustExec(t, db, ns, "INSERT INTO t VALUES (1)")
	if n := count(t, db, ns, "t"); n != 1 {
		t.Errorf("t has %d rows after one insert, want 1", n)
	}
}

// A string holding several statements is refused as a whole, before any of
// them runs.
func testMultipleStatements(t *testing.T, db database.Database) {
	ctx := t.Context()
	ns := namespace(t, "multi")
	mustExec(t, db, ns, "CREATE TABLE t (x)")
	for _, sql := range []string{
		"SELECT 1; SELECT 2",
		"SELECT 1;SELECT 2;",
		"SELECT 1 ; ; SELECT 2",
		"INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)",
		"INSERT INTO t VALUES (1); DROP TABLE t",
		"INSERT INTO t VALUES (1); ATTACH ':memory:' AS other",
		"INSERT INTO t VALUES (1); -- comment\nDELETE FROM t",
		"INSERT INTO t VALUES (1) /* ; */; DELETE FROM t",
	} {
		_, eerr := db.Exec(ctx, ns, stmt(sql))
		plugintest.WantCode(t, eerr, "Exec("+sql+")", refused...)
		_, qerr := db.Query(ctx, ns, stmt(sql))
		plugintest.WantCode(t, qerr, "Query("+sql+")", refused...)
	}
	if n := count(t, db, ns, "t"); n != 0 {
		t.Errorf("t has %d rows: part of a refused string ran", n)
	}

	// Semicolons inside literals, identifiers and comments are not
	// statement separators, and one trailing semicolon is fine.
	mustExec(t, db, ns, "INSERT INTO t VALUES ('a;b') /* ; */")
	mustExec(t, db, ns, `INSERT INTO "t" (x) VALUES (?);`, "c;d")
	wantRows(t, "values with semicolons", mustQuery(t, db, ns, "SELECT x FROM t ORDER BY x -- ;"), nil,
		[][]database.Value{{"a;b"}, {"c;d"}})
}
