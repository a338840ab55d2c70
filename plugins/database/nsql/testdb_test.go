package nsql

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	sqlite "modernc.org/sqlite"
)

// testDB is a real in-memory SQLite (the engine the plugin embeds) on one
// connection, with an authorizer that records every object the engine
// touches while it compiles a statement: an oracle independent of the
// parser this package uses.
type testDB struct {
	t    testing.TB
	db   *sql.DB
	conn *sql.Conn

	mu     sync.Mutex
	record bool
	seen   []access
}

// access is one authorizer callback.
type access struct {
	action                 sqlite.AuthorizerActionCode
	arg1, arg2, db, source string
}

func (a access) String() string {
	return fmt.Sprintf("action %d (%q, %q) db %q via %q", a.action, a.arg1, a.arg2, a.db, a.source)
}

func openTestDB(t testing.TB) *testDB {
	t.Helper()
	c, err := sqlite.NewConnector(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	d := &testDB{t: t, db: sql.OpenDB(c)}
	d.db.SetMaxOpenConns(1)
	if d.conn, err = d.db.Conn(context.Background()); err != nil {
		t.Fatal(err)
	}
	err = d.conn.Raw(func(dc any) error {
		return dc.(sqlite.AuthorizerRegisterer).RegisterAuthorizer(d.authorize)
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.conn.Close(); d.db.Close() })
	return d
}

func (d *testDB) authorize(a sqlite.AuthorizerActionCode, arg1, arg2, db, src string) sqlite.AuthorizerReturnCode {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.record {
		d.seen = append(d.seen, access{a, arg1, arg2, db, src})
	}
	return sqlite.AuthorizerOK
}

// exec runs trusted setup SQL, unrewritten.
func (d *testDB) exec(stmts ...string) {
	d.t.Helper()
	for _, q := range stmts {
		if _, err := d.conn.ExecContext(context.Background(), q); err != nil {
			d.t.Fatalf("setup %q: %v", q, err)
		}
	}
}

// result is what a statement returned.
type result struct {
	cols []string
	rows [][]any
}

func (r result) String() string { return fmt.Sprintf("%q %v", r.cols, r.rows) }

// recordAccesses starts recording what SQLite's authorizer reports, from
// nothing; the func it returns stops it.
func (d *testDB) recordAccesses() (stop func()) {
	d.mu.Lock()
	d.record, d.seen = true, nil
	d.mu.Unlock()
	return func() {
		d.mu.Lock()
		d.record = false
		d.mu.Unlock()
	}
}

// query runs SQL as it is and returns its rows, recording accesses.
func (d *testDB) query(q string) (result, []access, error) {
	defer d.recordAccesses()()
	rows, err := d.conn.QueryContext(context.Background(), q)
	if err != nil {
		return result{}, d.accesses(), err
	}
	defer rows.Close()
	var r result
	r.cols, _ = rows.Columns()
	for rows.Next() {
		vals := make([]any, len(r.cols))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return r, d.accesses(), err
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b)
			}
		}
		r.rows = append(r.rows, vals)
	}
	return r, d.accesses(), rows.Err()
}

// prepare compiles SQL without running it and returns what it touches.
func (d *testDB) prepare(q string) ([]access, error) {
	defer d.recordAccesses()()
	st, err := d.conn.PrepareContext(context.Background(), q)
	if err == nil {
		st.Close()
	}
	return d.accesses(), err
}

func (d *testDB) accesses() []access {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]access(nil), d.seen...)
}

// foreign returns the accesses of a statement of ns that reach outside ns.
// SQLite's own tables may be read and written by the engine while it runs
// DDL (it maintains sqlite_master), but never by DML or queries.
func foreign(ns, kind string, seen []access) []access {
	ddl := strings.HasPrefix(kind, "create_") || strings.HasPrefix(kind, "drop_") || kind == "alter_table"
	own := func(name string) bool {
		if _, ok := Logical(ns, name); ok {
			return true
		}
		if hasPrefixFold(name, "sqlite_autoindex_"+ns+sep) {
			return true
		}
		switch lowerASCII(name) {
		case "sqlite_master", "sqlite_temp_master", "sqlite_sequence":
			return ddl
		}
		return false
	}
	var bad []access
	for _, a := range seen {
		ok := true
		switch a.action {
		case sqlite.AuthSelect, sqlite.AuthRecursive:
		case sqlite.AuthFunction:
			// ALTER TABLE runs SQLite's internal rename functions itself.
			ok = !functionDenied(a.arg2) ||
				kind == "alter_table" && (strings.HasPrefix(a.arg2, "sqlite_rename_") || a.arg2 == "sqlite_drop_column")
		case sqlite.AuthRead:
			// Table-valued functions are read like tables; ALTER TABLE
			// checks the table it changed with pragma_quick_check.
			ok = own(a.arg1) || tableFunctions[lowerASCII(a.arg1)] ||
				kind == "alter_table" && a.arg1 == "pragma_quick_check"
		case sqlite.AuthReindex:
			// CREATE INDEX reports the index it builds as a REINDEX.
			ok = kind == "create_index" && own(a.arg1)
		case sqlite.AuthUpdate, sqlite.AuthInsert, sqlite.AuthDelete,
			sqlite.AuthCreateTable, sqlite.AuthCreateView, sqlite.AuthDropTable, sqlite.AuthDropView:
			ok = own(a.arg1)
		case sqlite.AuthCreateIndex, sqlite.AuthCreateTrigger, sqlite.AuthDropIndex, sqlite.AuthDropTrigger:
			ok = own(a.arg1) && own(a.arg2)
		case sqlite.AuthAlterTable:
			// (arg1 is the database, and DROP COLUMN passes the column
			// where other actions pass the database.)
			ok = own(a.arg2) && (a.arg1 == "main")
			a.db = ""
		case sqlite.AuthPragma:
			_, allowed := readPragmas[lowerASCII(a.arg1)]
			ok = (allowed || kind == "alter_table" && a.arg1 == "quick_check") && own(a.arg2)
		default: // attach, detach, transactions, savepoints, vtables, analyze, reindex
			ok = false
		}
		if a.db != "" && a.db != "main" && !(ddl && a.db == "temp") {
			ok = false
		}
		if !ok {
			bad = append(bad, a)
		}
	}
	return bad
}

func functionDenied(name string) (denied bool) {
	defer func() {
		if r := recover(); r != nil {
			denied = true
		}
	}()
	checkFunction(name)
	return false
}

// snapshot describes everything in the database that does not belong to
// ns: every other schema entry and every row of every other table.
func (d *testDB) snapshot(ns string) string {
	d.t.Helper()
	r, _, err := d.query(`SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master ORDER BY name`)
	if err != nil {
		d.t.Fatal(err)
	}
	var b strings.Builder
	for _, row := range r.rows {
		name := row[1].(string)
		if _, mine := Logical(ns, name); mine || hasPrefixFold(name, "sqlite_autoindex_"+ns+sep) {
			continue
		}
		fmt.Fprintf(&b, "%v\n", row)
		if row[0] == "table" {
			rows, _, err := d.query(`SELECT * FROM ` + quoteIdent(name) + ` ORDER BY rowid`)
			if err != nil {
				d.t.Fatal(err)
			}
			fmt.Fprintf(&b, "  %v\n", rows.rows)
		}
	}
	// ALTER TABLE makes SQLite open the (empty) temp schema: list the
	// databases other than temp, and what temp holds.
	dbs, _, err := d.query(`SELECT name, file FROM pragma_database_list WHERE name != 'temp'`)
	if err != nil {
		d.t.Fatal(err)
	}
	temp, _, err := d.query(`SELECT * FROM temp.sqlite_master`)
	if err != nil {
		d.t.Fatal(err)
	}
	fmt.Fprintf(&b, "databases %v, temp %v\n", dbs.rows, temp.rows)
	return b.String()
}

// tables returns the logical names of ns's tables ("" ns: unprefixed).
func (d *testDB) tables(ns string) []string {
	d.t.Helper()
	r, _, err := d.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`)
	if err != nil {
		d.t.Fatal(err)
	}
	var names []string
	for _, row := range r.rows {
		name := row[0].(string)
		if ns == "" {
			if !strings.Contains(name, sep) {
				names = append(names, name)
			}
		} else if l, ok := Logical(ns, name); ok {
			names = append(names, l)
		}
	}
	sort.Strings(names)
	return names
}

// seedNamespaces creates tables of namespaces a and b, of the system
// namespace, and an unprefixed table; everything outside b holds a secret.
func (d *testDB) seedNamespaces() {
	d.exec(
		`CREATE TABLE "a$items" (id INTEGER PRIMARY KEY, name TEXT, secret TEXT)`,
		`INSERT INTO "a$items" VALUES (1, 'apple', 'A-SECRET-1'), (2, 'pear', 'A-SECRET-2')`,
		`CREATE TABLE "a$x" (v TEXT)`,
		`INSERT INTO "a$x" VALUES ('A-SECRET-X')`,
		`CREATE INDEX "a$idx" ON "a$items" (name)`,
		`CREATE VIEW "a$v" AS SELECT * FROM "a$items" AS "items"`,
		`CREATE TABLE "a$log" (msg TEXT)`,
		`CREATE TRIGGER "a$tr" AFTER INSERT ON "a$items" BEGIN INSERT INTO "a$log" VALUES (NEW.secret); END`,
		`CREATE TABLE "b$items" (id INTEGER PRIMARY KEY, name TEXT, secret TEXT)`,
		`INSERT INTO "b$items" VALUES (1, 'b-one', 'b-own-1')`,
		`CREATE TABLE "b$log" (msg TEXT)`,
		`CREATE TABLE "_system$keys" (k TEXT)`,
		`INSERT INTO "_system$keys" VALUES ('SYS-SECRET')`,
		`CREATE TABLE "items" (id INTEGER PRIMARY KEY, name TEXT, secret TEXT)`,
		`INSERT INTO "items" VALUES (1, 'bare', 'BARE-SECRET')`,
	)
}

// secretIn reports whether a result or message holds another namespace's data.
func secretIn(s string) bool {
	return strings.Contains(s, "SECRET")
}
