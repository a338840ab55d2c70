package databasetest

import (
	"slices"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// schemaOf returns a namespace's Schema sorted by name.
func schemaOf(t *testing.T, db database.Database, ns string) []database.Table {
	t.Helper()
	tables, err := db.Schema(t.Context(), ns)
	if err != nil {
		t.Fatalf("Schema: %v", err)
	}
	slices.SortFunc(tables, func(a, b database.Table) int { return strings.Compare(a.Name, b.Name) })
	return tables
}

// wantSchema fails unless the namespace lists exactly want (name and
// type), each with SQL that creates it under its own name and mentions
// the words, and never the namespace or a physical name.
func wantSchema(t *testing.T, db database.Database, ns string, want []database.Table, words map[string][]string) {
	t.Helper()
	got := schemaOf(t, db, ns)
	names := func(ts []database.Table) []string {
		var out []string
		for _, x := range ts {
			out = append(out, x.Type+" "+x.Name)
		}
		return out
	}
	if !slices.Equal(names(got), names(want)) {
		t.Errorf("Schema lists %q, want %q", names(got), names(want))
		return
	}
	for _, tb := range got {
		sql := strings.ToLower(tb.SQL)
		if !strings.HasPrefix(sql, "create ") {
			t.Errorf("%s %s: SQL %q is not its CREATE statement", tb.Type, tb.Name, short(tb.SQL))
		}
		for _, w := range append([]string{tb.Name}, words[tb.Name]...) {
			if !strings.Contains(sql, strings.ToLower(w)) {
				t.Errorf("%s %s: SQL %q does not mention %q", tb.Type, tb.Name, short(tb.SQL), w)
			}
		}
		if strings.Contains(sql, strings.ToLower(ns)) || strings.Contains(sql, "$") {
			t.Errorf("%s %s: SQL %q shows the physical name", tb.Type, tb.Name, short(tb.SQL))
		}
	}
}

func testSchema(t *testing.T, db database.Database) {
	ctx := t.Context()
	ns := namespace(t, "schema")
	if tables := schemaOf(t, db, ns); len(tables) != 0 {
		t.Errorf("Schema of a new namespace = %+v, want none", tables)
	}
	if err := db.CreateTable(ctx, ns, "CREATE TABLE alpha (id INTEGER PRIMARY KEY, name TEXT)"); err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	mustExec(t, db, ns, "CREATE TABLE beta (x INTEGER, y TEXT)")
	mustExec(t, db, ns, "CREATE INDEX beta_x ON beta (x)")
	mustExec(t, db, ns, "CREATE VIEW alpha_names AS SELECT name FROM alpha")
	wantSchema(t, db, ns, []database.Table{
		{Name: "alpha", Type: "table"},
		{Name: "alpha_names", Type: "view"},
		{Name: "beta", Type: "table"},
		{Name: "beta_x", Type: "index"},
	}, map[string][]string{
		"alpha":       {"create table"},
		"alpha_names": {"create view", "alpha"},
		"beta":        {"create table"},
		"beta_x":      {"create index", "beta"},
	})

	// The view and the index work.
	mustExec(t, db, ns, "INSERT INTO alpha (name) VALUES ('one'), ('two')")
	mustExec(t, db, ns, "INSERT INTO beta (x, y) VALUES (1, 'a'), (2, 'b')")
	wantRows(t, "the view", mustQuery(t, db, ns, "SELECT name FROM alpha_names ORDER BY name"), []string{"name"},
		[][]database.Value{{"one"}, {"two"}})
	wantRows(t, "the indexed table", mustQuery(t, db, ns, "SELECT y FROM beta WHERE x = 2"), nil,
		[][]database.Value{{"b"}})

	mustExec(t, db, ns, "DROP VIEW alpha_names")
	mustExec(t, db, ns, "DROP INDEX beta_x")
	wantSchema(t, db, ns, []database.Table{{Name: "alpha", Type: "table"}, {Name: "beta", Type: "table"}}, nil)
}

func testCreateAndDropTable(t *testing.T, db database.Database) {
	ctx := t.Context()
	ns := namespace(t, "ddl")
	if err := db.CreateTable(ctx, ns, "CREATE TABLE gamma (id INTEGER PRIMARY KEY, v TEXT)"); err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	mustExec(t, db, ns, "INSERT INTO gamma (v) VALUES ('x')")
	mustExec(t, db, ns, "CREATE INDEX gamma_v ON gamma (v)")
	wantRows(t, "the new table", mustQuery(t, db, ns, "SELECT id, v FROM gamma"), nil, [][]database.Value{{int64(1), "x"}})
	if err := db.CreateTable(ctx, ns, "CREATE TABLE IF NOT EXISTS gamma (other INTEGER)"); err != nil {
		t.Errorf("CreateTable IF NOT EXISTS of an existing table: %v", err)
	}
	err := db.CreateTable(ctx, ns, "CREATE TABLE gamma (other INTEGER)")
	plugintest.WantCode(t, err, "CreateTable of an existing table", sdk.CodeInvalid, sdk.CodeConflict)

	if err := db.DropTable(ctx, ns, "gamma"); err != nil {
		t.Fatalf("DropTable: %v", err)
	}
	wantSchema(t, db, ns, nil, nil) // the index went with its table
	_, err = db.Query(ctx, ns, stmt("SELECT * FROM gamma"))
	wantMessage(t, plugintest.WantCode(t, err, "Query of a dropped table", sdk.CodeInvalid), "Query of a dropped table", "no such table")
	plugintest.WantCode(t, db.DropTable(ctx, ns, "gamma"), "DropTable of a dropped table", sdk.CodeNotFound)

	// The name is free again.
	if err := db.CreateTable(ctx, ns, "CREATE TABLE gamma (w BLOB)"); err != nil {
		t.Fatalf("CreateTable after DropTable: %v", err)
	}
	wantRows(t, "the recreated table", mustQuery(t, db, ns, "SELECT * FROM gamma"), []string{"w"}, nil)
}

func testDropTableErrors(t *testing.T, db database.Database) {
	ctx := t.Context()
	ns := namespace(t, "drop")
	mustExec(t, db, ns, "CREATE TABLE present (x)")
	plugintest.WantCode(t, db.DropTable(ctx, ns, "never_created"), "DropTable of a missing table", sdk.CodeNotFound)
	plugintest.WantCode(t, db.DropTable(ctx, namespace(t, "empty"), "present"), "DropTable in a namespace without the table", sdk.CodeNotFound)
	for _, bad := range []string{"", "1abc", "a-b", "a b", "present; DROP TABLE x", `"present"`, "[present]",
		"main.present", "a$b", physical(ns, "present"), strings.Repeat("t", database.MaxNameLen+1)} {
		plugintest.WantCode(t, db.DropTable(ctx, ns, bad), "DropTable("+short(bad)+")", sdk.CodeInvalid)
	}
	if n := count(t, db, ns, "present"); n != 0 {
		t.Errorf("present has %d rows", n)
	}
}

func testCreateTableErrors(t *testing.T, db database.Database) {
	ctx := t.Context()
	ns := namespace(t, "create")
	mustExec(t, db, ns, "CREATE TABLE present (x)")
	for _, bad := range []string{
		"", "SELECT 1", "DROP TABLE present", "INSERT INTO present VALUES (1)",
		"CREATE TABLE one (x); CREATE TABLE two (x)",
	} {
		plugintest.WantCode(t, db.CreateTable(ctx, ns, bad), "CreateTable("+short(bad)+")", sdk.CodeInvalid)
	}
	e := plugintest.WantCode(t, db.CreateTable(ctx, ns, "CREATE TABLE (x)"), "CreateTable of malformed SQL", sdk.CodeInvalid)
	wantMessage(t, e, "CreateTable of malformed SQL", "syntax error")
	wantSchema(t, db, ns, []database.Table{{Name: "present", Type: "table"}}, nil)
}
