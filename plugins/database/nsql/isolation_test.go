package nsql

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
)

// Each escape is a sequence of statements of namespace b against a real
// SQLite holding namespaces a and b, the system namespace and an
// unprefixed table. A statement is either refused by Rewrite, or it runs
// and is confined: it returns none of the others' rows, changes none of
// them, and the engine's authorizer saw it touch only b's objects.

type expect int

const (
	refused  expect = iota // Rewrite must refuse
	confined               // Rewrite must accept; running it must stay inside b
	either                 // either is fine (e.g. runs and fails with "no such table")
)

type step struct {
	sql  string
	want expect
}

func r(sql string) step { return step{sql, refused} }
func c(sql string) step { return step{sql, confined} }
func e(sql string) step { return step{sql, either} }

var escapes = []struct {
	name  string
	steps []step
}{
	{"other namespace by name, every quoting", []step{
		r(`SELECT * FROM "a$items"`), r(`SELECT * FROM [a$items]`), r("SELECT * FROM `a$items`"),
		r(`SELECT * FROM 'a$items'`), r(`SELECT * FROM a$items`), r(`SELECT * FROM "A$ITEMS"`),
		r(`SELECT * FROM "a$""items"`), r(`SELECT secret FROM "_system$keys"`), r(`SELECT * FROM _system$keys`),
		r(`SELECT * FROM "b$items"`), // even its own physical name: no one spells physical names
	}},
	{"schema-qualified", []step{
		r(`SELECT * FROM main.items`), r(`SELECT * FROM "main"."items"`), r(`SELECT * FROM temp.items`),
		r(`SELECT * FROM a.items`), r(`SELECT * FROM main."a$items"`), r(`SELECT main.items.secret FROM items`),
		r(`SELECT * FROM items WHERE id IN main.items`), r(`INSERT INTO main.items VALUES (9, 'x', 'y')`),
		r(`UPDATE main.items SET name = 'x'`), r(`DELETE FROM main.items`), r(`CREATE TABLE main.t (x)`),
		r(`DROP TABLE main.items`), r(`CREATE INDEX main.i ON items (name)`), r(`ALTER TABLE main.items RENAME TO t`),
	}},
	{"subqueries", []step{
		r(`SELECT * FROM items WHERE id IN (SELECT id FROM "a$items")`),
		r(`SELECT (SELECT secret FROM "a$items" LIMIT 1)`),
		r(`SELECT * FROM items WHERE EXISTS (SELECT 1 FROM main.items)`),
		r(`SELECT * FROM (SELECT * FROM "a$items")`),
		r(`SELECT * FROM items, (SELECT * FROM main.items) AS s`),
		r(`SELECT * FROM items UNION SELECT * FROM "a$items"`),
		r(`SELECT * FROM items JOIN "a$items" ON 1`),
		r(`SELECT * FROM items NATURAL JOIN a.items`),
		r(`SELECT name FROM items WHERE name IN "a$items"`),
		r(`UPDATE items SET name = (SELECT secret FROM "a$items")`),
		c(`SELECT * FROM items WHERE id IN (SELECT id FROM items)`),
		c(`CREATE TABLE ids (id)`), c(`INSERT INTO ids VALUES (1)`),
		c(`SELECT name FROM items WHERE id IN ids`),
	}},
	{"CTEs", []step{
		r(`WITH "a$items" AS (SELECT 1) SELECT * FROM "a$items"`),
		r(`WITH x AS (SELECT * FROM "a$items") SELECT * FROM x`),
		r(`WITH RECURSIVE x(n) AS (SELECT 1 UNION ALL SELECT n FROM main.items) SELECT * FROM x`),
		r(`WITH sqlite_master AS (SELECT 1) SELECT * FROM sqlite_master`),
		c(`WITH items AS (SELECT 'cte' AS name) SELECT * FROM items`),
		c(`WITH x AS (SELECT * FROM items) SELECT * FROM x`),
		c(`WITH x AS (SELECT id FROM items) SELECT * FROM items WHERE id IN x`),
	}},
	{"views created by b", []step{
		r(`CREATE VIEW v AS SELECT * FROM "a$items"`),
		r(`CREATE VIEW v AS SELECT * FROM main.items`),
		r(`CREATE VIEW "a$v2" AS SELECT 1`),
		c(`CREATE VIEW v AS SELECT * FROM items`),
		c(`SELECT * FROM v`),
		c(`SELECT * FROM v AS items`),
	}},
	{"triggers created by b", []step{
		r(`CREATE TRIGGER tr AFTER INSERT ON items BEGIN INSERT INTO log SELECT secret FROM "a$items"; END`),
		r(`CREATE TRIGGER tr AFTER INSERT ON "a$items" BEGIN INSERT INTO log VALUES (NEW.secret); END`),
		r(`CREATE TRIGGER tr AFTER INSERT ON items BEGIN SELECT * FROM main.items; END`),
		r(`CREATE TRIGGER tr AFTER INSERT ON items BEGIN DELETE FROM "a$items"; END`),
		r(`CREATE TEMP TRIGGER tr AFTER INSERT ON items BEGIN SELECT 1; END`),
		c(`CREATE TRIGGER tr AFTER INSERT ON items BEGIN INSERT INTO log SELECT secret FROM items; UPDATE items SET name = items.name || '!' WHERE items.id = NEW.id; END`),
		c(`INSERT INTO items (name, secret) VALUES ('two', 'b-own-2')`),
		c(`SELECT * FROM log`),
		c(`SELECT * FROM items`),
	}},
	{"SQLite's own tables", []step{
		r(`SELECT * FROM sqlite_master`), r(`SELECT * FROM SQLITE_MASTER`), r(`SELECT * FROM "sqlite_master"`),
		r("SELECT * FROM `Sqlite_Master`"), r(`SELECT * FROM sqlite_schema`), r(`SELECT * FROM sqlite_temp_master`),
		r(`SELECT * FROM temp.sqlite_master`), r(`SELECT * FROM main.sqlite_master`), r(`SELECT * FROM sqlite_sequence`),
		r(`SELECT * FROM sqlite_stat1`), r(`SELECT * FROM sqlite_dbpage`), r(`SELECT name FROM items WHERE name IN sqlite_master`),
		r(`CREATE TABLE t AS SELECT * FROM sqlite_master`), r(`CREATE TABLE sqlite_x (a)`),
		r(`SELECT * FROM items INDEXED BY sqlite_autoindex_items_1`),
		e(`SELECT * FROM dbstat`), // a table "b$dbstat", which does not exist
		c(`SELECT * FROM items AS sqlite_master`),
	}},
	{"table-valued and other functions", []step{
		r(`SELECT * FROM pragma_table_info('a$items')`),
		e(`SELECT * FROM pragma_table_list`), // without (): the table "b$pragma_table_list"
		r(`SELECT * FROM pragma_table_list()`), r(`SELECT * FROM PRAGMA_TABLE_INFO('items')`),
		r(`SELECT 1 WHERE 1 IN pragma_table_list()`), r(`SELECT * FROM dbstat('main')`),
		r(`SELECT * FROM sqlite_dbpage('main')`), r(`SELECT * FROM fsdir('/')`),
		r(`SELECT load_extension('/tmp/x')`), r(`SELECT LOAD_EXTENSION('/tmp/x', 'init')`),
		r(`SELECT "load_extension"('/tmp/x')`), r(`SELECT readfile('/etc/passwd')`),
		r(`SELECT writefile('/tmp/x', 'y')`), r(`SELECT edit('x')`), r(`SELECT fts3_tokenizer('simple')`),
		r(`SELECT sqlite_rename_table(NULL, NULL, NULL, NULL, NULL, NULL, NULL)`), r(`SELECT total_changes()`),
		// Per-connection counters of whichever namespace wrote last.
		r(`SELECT last_insert_rowid()`), r(`SELECT "LAST_INSERT_ROWID"()`), r(`SELECT changes()`), r(`SELECT Changes()`),
		r(`INSERT INTO items (name, secret) VALUES (last_insert_rowid(), 'x')`),
		r(`UPDATE items SET name = changes() WHERE id = 1`),
		r(`INSERT INTO items (name, secret) VALUES ('x', 'y') RETURNING last_insert_rowid()`),
		r(`SELECT * FROM items WHERE id = (SELECT last_insert_rowid())`),
		r(`CREATE TRIGGER tr2 AFTER INSERT ON items BEGIN INSERT INTO log VALUES (last_insert_rowid()); END`),
		r(`CREATE VIEW v AS SELECT changes() AS n`),
		c(`SELECT * FROM json_each('[1,2]')`), c(`SELECT sqlite_version() IS NOT NULL`),
		c(`SELECT value FROM json_each((SELECT json_group_array(name) FROM items))`),
	}},
	{"comments, white space and statement tricks", []step{
		r(`SELECT * FROM/**/"a$items"`), r("SELECT * FROM\u2028\"a$items\""), r(`SELECT 1; DROP TABLE items`),
		r("SELECT 1 -- \n; DROP TABLE items"), r("SELECT 1;\nDELETE FROM items"), r(`SELECT 1;;`),
		r("SELECT * FROM items\x00; DROP TABLE \"a$items\""), r(`SELECT * FROM items; -- x` + "\n" + `SELECT 2`),
		c(`SELECT * FROM/**/items`), c("SELECT * FROM items -- \"a$items\""), c(`SELECT * FROM items /* ; DROP TABLE "a$items" */`),
		c("SELECT * FROM items /* unterminated, as SQLite allows ; DROP TABLE items"),
		c("SELECT\u00a0*\u00a0FROM\u00a0items"), c("SELECT * FROM items;  \n-- done\n"), c(`SELECT name FROM items WHERE name = 'a$items'`),
	}},
	{"statements that are never allowed", []step{
		r(`ATTACH 'file.db' AS x`), r(`ATTACH DATABASE ':memory:' AS x`), r(`/* hi */ attach ':memory:' as x`),
		r(`DETACH main`), r(`DETACH DATABASE x`), r(`PRAGMA writable_schema=1`), r(`PRAGMA writable_schema = ON`),
		r(`PRAGMA journal_mode=delete`), r(`PRAGMA journal_mode`), r(`PRAGMA foreign_keys=OFF`), r(`PRAGMA database_list`),
		r(`PRAGMA table_list`), r(`PRAGMA main.table_info(items)`), r(`PRAGMA table_info("a$items")`),
		r(`PRAGMA table_info(sqlite_master)`), r(`PRAGMA [hard_heap_limit]=1`), r(`PRAGMA table_info = items`),
		r(`VACUUM`), r(`VACUUM INTO '/tmp/nsql-vacuum-test'`), r(`BEGIN`), r(`BEGIN IMMEDIATE TRANSACTION`), r(`COMMIT`), r(`END`),
		r(`ROLLBACK`), r(`SAVEPOINT x`), r(`RELEASE x`), r(`ANALYZE`), r(`ANALYZE items`), r(`REINDEX`),
		r(`EXPLAIN SELECT * FROM items`), r(`EXPLAIN QUERY PLAN SELECT * FROM items`),
		r(`CREATE VIRTUAL TABLE v USING fts5(x)`), r(`CREATE TEMP TABLE t (x)`), r(`CREATE TEMPORARY VIEW v AS SELECT 1`),
		c(`PRAGMA table_info(items)`), c(`PRAGMA index_list('items')`),
	}},
	{"writing into another namespace", []step{
		r(`REPLACE INTO "a$items" VALUES (1, 'x', 'y')`), r(`INSERT INTO "a$items" VALUES (3, 'x', 'y')`),
		r(`INSERT INTO items SELECT * FROM "a$items"`), r(`UPDATE "a$items" SET secret = 'gone'`),
		r(`DELETE FROM "a$items"`), r(`ALTER TABLE items RENAME TO "a$x"`), r(`ALTER TABLE "a$items" RENAME TO mine`),
		r(`CREATE TABLE "a$evil" (x)`), r(`CREATE INDEX i ON "a$items" (name)`), r(`CREATE INDEX "a$i" ON items (name)`),
		r(`DROP TABLE "a$items"`), r(`DROP TABLE IF EXISTS "a$items"`), r(`DROP VIEW "a$v"`), r(`DROP INDEX "a$idx"`),
		r(`DROP TRIGGER "a$tr"`), r(`CREATE TABLE t (id REFERENCES "a$items"(id))`),
		r(`ALTER TABLE items ADD COLUMN z REFERENCES "a$items"(id)`), r(`SELECT * FROM items INDEXED BY "a$idx"`),
		r(`INSERT INTO items (name) VALUES ("a$items")`), r(`SELECT "a$items".secret FROM items AS "a$items"`),
		r(`SELECT 1 AS "a$x"`),
		c(`INSERT INTO items (name, secret) VALUES ('x', 'y')`), c(`UPDATE items SET secret = 'changed'`),
		c(`CREATE INDEX idx ON items (name)`), c(`DROP INDEX idx`), c(`ALTER TABLE items RENAME TO things`),
		c(`ALTER TABLE things RENAME TO items`), c(`DELETE FROM items`), c(`DROP TABLE items`),
		e(`SELECT * FROM items`), // gone now; the unprefixed "items" must not show through
	}},
}

func TestEscapes(t *testing.T) {
	for _, tc := range escapes {
		t.Run(tc.name, func(t *testing.T) {
			db := openTestDB(t)
			db.seedNamespaces()
			for _, s := range tc.steps {
				runConfined(t, db, "b", s)
			}
		})
	}
}

// runConfined runs one step of ns and checks that it was refused or stayed
// inside ns.
func runConfined(t *testing.T, db *testDB, ns string, s step) {
	t.Helper()
	st, err := Rewrite(ns, s.sql)
	if err != nil {
		var e *sdk.Error
		if !errors.As(err, &e) || (e.Code != sdk.CodeForbidden && e.Code != sdk.CodeInvalid) {
			t.Fatalf("%q: error %v is not a forbidden or invalid *sdk.Error", s.sql, err)
		}
		if s.want == confined {
			t.Errorf("%q: refused (%v), want it to run", s.sql, err)
		}
		return
	}
	if s.want == refused {
		t.Errorf("%q: accepted as %q, want it refused", s.sql, st.SQL)
	}
	before := db.snapshot(ns)
	res, seen, err := db.query(st.SQL)
	if err != nil {
		msg := CleanMessage(ns, err.Error())
		if secretIn(msg) || strings.Contains(msg, "a$") || strings.Contains(msg, "_system$") {
			t.Errorf("%q: message %q names another namespace", s.sql, msg)
		}
		if s.want == confined {
			t.Errorf("%q (as %q): %v", s.sql, st.SQL, err)
		}
	}
	if secretIn(res.String()) {
		t.Errorf("%q (as %q) returned another namespace's rows: %v", s.sql, st.SQL, res)
	}
	if bad := foreign(ns, st.Kind, seen); len(bad) > 0 {
		t.Errorf("%q (as %q) touched: %v", s.sql, st.SQL, bad)
	}
	if after := db.snapshot(ns); after != before {
		t.Errorf("%q (as %q) changed what is not %s's:\nbefore\n%s\nafter\n%s", s.sql, st.SQL, ns, before, after)
	}
}

// Refused statements never reach an engine: VACUUM INTO writes no file,
// ATTACH creates none, and the sandbox that explains syntax errors does
// not run what it prepares.
func TestRefusedStatementsHaveNoEffect(t *testing.T) {
	dir := t.TempDir()
	for _, q := range []string{
		`VACUUM INTO '` + filepath.Join(dir, "vacuum.db") + `'`,
		`ATTACH '` + filepath.Join(dir, "attach.db") + `' AS x`,
		`ATTACH DATABASE '` + filepath.Join(dir, "attach2.db") + `' AS "x y" KEY 'k'`, // not even valid
		`CREATE TABLE [t] (x); VACUUM INTO '` + filepath.Join(dir, "vacuum2.db") + `'`,
	} {
		if _, err := Rewrite("b", q); err == nil {
			t.Errorf("%q accepted", q)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("refused statements created %v", entries)
	}
}

// The rqlite server parses statements that call random() or a time
// function with rqlite/sql and sends its re-print to SQLite. Its scanner
// ends a "…" identifier at a backtick, so a name holding one must not be
// written in double quotes: here the alias would otherwise smuggle
// "FROM sqlite_master" past the rewrite. Every accepted statement, re-printed
// the way the server does, must stay confined too.
func TestRqliteServerReprint(t *testing.T) {
	db := openTestDB(t)
	db.seedNamespaces()
	// The client's text is read by the same scanner, so the quote
	// characters arrive escaped (doubled) and end up inside one name.
	for _, q := range []string{
		"SELECT random() AS `x`` FROM sqlite_master --` FROM items",
		"SELECT random() AS \"x`` FROM sqlite_master --\" FROM items",
		"SELECT random() AS `x`` FROM \"\"a$items\"\" --` FROM items",
		"SELECT random(), `x\"\" FROM sqlite_master --` FROM items",
		"SELECT random(), \"x`` FROM main.items, \" FROM items",
		"UPDATE items SET name = random() WHERE `x\"\" = 1 OR name IN sqlite_master --` = 1",
		"SELECT time('now'), name AS \"`` FROM sqlite_master --\" FROM items",
		"SELECT random() AS `both\"\"and``` FROM items",
	} {
		st, err := Rewrite("b", q)
		if err != nil {
			continue // refused: fine
		}
		re, ok := rqliteReprint(st.SQL)
		if !ok {
			continue // the server would not rewrite it
		}
		res, seen, err := db.query(re)
		if err == nil && secretIn(res.String()) {
			t.Errorf("%q, rewritten %q, re-printed %q: returned %v", q, st.SQL, re, res)
		}
		if bad := foreign("b", st.Kind, seen); len(bad) > 0 {
			t.Errorf("%q, rewritten %q, re-printed %q: touched %v", q, st.SQL, re, bad)
		}
	}
}
