package databasetest

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// peers are two namespaces with a table "items", an index "items_note"
// and a view "items_view" each. a's table has a column b's lacks and a row
// with a secret; anything of a's that shows up in b is a leak.
type peers struct {
	a, b   string
	secret string // note of a's row
	colA   string // column only a's items has
}

func setupPeers(t *testing.T, db database.Database) peers {
	t.Helper()
	p := peers{a: namespace(t, "a"), b: namespace(t, "b")}
	n := plugintest.Seq()
	p.secret = fmt.Sprintf("secret_of_a_%s_%d", plugintest.RunID(), n)
	p.colA = fmt.Sprintf("only_in_a_%s_%d", plugintest.RunID(), n)
	for _, ns := range []string{p.a, p.b} {
		extra := ""
		if ns == p.a {
			extra = ", " + p.colA + " INTEGER"
		}
		if err := db.CreateTable(t.Context(), ns, "CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, note TEXT"+extra+")"); err != nil {
			t.Fatalf("CreateTable items: %v", err)
		}
		mustExec(t, db, ns, "CREATE INDEX items_note ON items (note)")
		mustExec(t, db, ns, "CREATE VIEW items_view AS SELECT id, note FROM items")
	}
	mustExec(t, db, p.a, "INSERT INTO items (note, "+p.colA+") VALUES (?, 1)", p.secret)
	mustExec(t, db, p.b, "INSERT INTO items (note) VALUES ('b_own')")
	return p
}

// expand fills an escape template: {P} a's physical table name, {PU} the
// same upper-cased, {A} a's namespace, {AV} and {AI} the physical names of
// a's view and index.
func (p peers) expand(tmpl string) string {
	phys := physical(p.a, "items")
	return strings.NewReplacer(
		"{PU}", strings.ToUpper(phys), "{P}", phys, "{AV}", physical(p.a, "items_view"),
		"{AI}", physical(p.a, "items_note"), "{A}", p.a,
	).Replace(tmpl)
}

// markers are what must not show in b: a's namespace (in a physical
// name), a's secret and a's column, and extra (more of a's data).
func (p peers) markers(extra ...string) []string {
	return append([]string{p.a, p.secret, p.colA}, extra...)
}

// leakIn returns the column name or cell of rows that contains a marker
// (case-insensitive), or "".
func leakIn(rows *database.Rows, markers []string) string {
	if rows == nil {
		return ""
	}
	has := func(s string) bool {
		s = strings.ToLower(s)
		for _, m := range markers {
			if strings.Contains(s, strings.ToLower(m)) {
				return true
			}
		}
		return false
	}
	for _, c := range rows.Columns {
		if has(c) {
			return fmt.Sprintf("column %q", c)
		}
	}
	for i, row := range rows.Rows {
		for j, cell := range row {
			var s string
			switch v := cell.(type) {
			case string:
				s = v
			case []byte:
				s = string(bytes.ToValidUTF8(v, nil))
			}
			if has(s) {
				return fmt.Sprintf("row %d cell %d %s", i, j, describe(cell))
			}
		}
	}
	return ""
}

// wantNoLeak fails unless the statement was refused (invalid or
// forbidden) or answered without anything of a's.
func (p peers) wantNoLeak(t *testing.T, what string, rows *database.Rows, err error, extra ...string) {
	t.Helper()
	if err != nil {
		plugintest.WantCode(t, err, what, refused...)
		return
	}
	if leak := leakIn(rows, p.markers(extra...)); leak != "" {
		t.Errorf("%s in namespace b returned %s of namespace a", what, leak)
	}
}

// wantSchemaClean fails when b's Schema shows a's data or columns. (Not
// a's namespace: SQL that b wrote naming a's physical table may be kept.)
func (p peers) wantSchemaClean(t *testing.T, db database.Database, extra ...string) {
	t.Helper()
	tables, err := db.Schema(t.Context(), p.b)
	if err != nil {
		t.Errorf("Schema of b: %v", err)
		return
	}
	rows := &database.Rows{Columns: []string{}}
	for _, tb := range tables {
		rows.Rows = append(rows.Rows, []database.Value{tb.Name, tb.Type, tb.SQL})
	}
	if leak := leakIn(rows, append([]string{p.secret, p.colA}, extra...)); leak != "" {
		t.Errorf("Schema of b shows %s of namespace a", leak)
	}
}

// wantAIntact fails unless a's items holds exactly rows (note, colA) and
// a's schema is what setupPeers made.
func (p peers) wantAIntact(t *testing.T, db database.Database, rows [][]database.Value) {
	t.Helper()
	got := mustQuery(t, db, p.a, "SELECT note, "+p.colA+" FROM items ORDER BY id")
	wantRows(t, "a's items", got, nil, rows)
	wantRows(t, "a's view", mustQuery(t, db, p.a, "SELECT count(*) FROM items_view"), nil, [][]database.Value{{int64(len(rows))}})
	wantSchema(t, db, p.a, []database.Table{
		{Name: "items", Type: "table"}, {Name: "items_note", Type: "index"}, {Name: "items_view", Type: "view"},
	}, map[string][]string{"items": {p.colA}})
}

func testNamespaceIsolation(t *testing.T, db database.Database) {
	ctx := t.Context()
	p := setupPeers(t, db)
	wantRows(t, "a's items", mustQuery(t, db, p.a, "SELECT id, note FROM items"), []string{"id", "note"}, [][]database.Value{{int64(1), p.secret}})
	wantRows(t, "b's items", mustQuery(t, db, p.b, "SELECT * FROM items"), []string{"id", "note"}, [][]database.Value{{int64(1), "b_own"}})
	wantRows(t, "b's view", mustQuery(t, db, p.b, "SELECT note FROM items_view"), nil, [][]database.Value{{"b_own"}})
	wantSchema(t, db, p.b, []database.Table{
		{Name: "items", Type: "table"}, {Name: "items_note", Type: "index"}, {Name: "items_view", Type: "view"},
	}, nil)
	p.wantSchemaClean(t, db)

	// b changes its own items; a's stay.
	mustExec(t, db, p.b, "INSERT INTO items (note) VALUES ('b_two')")
	mustExec(t, db, p.b, "UPDATE items SET note = note || '!'")
	if res := mustExec(t, db, p.b, "DELETE FROM items WHERE note = ?", p.secret); res.RowsAffected != 0 {
		t.Errorf("b deleted %d rows holding a's secret", res.RowsAffected)
	}
	p.wantAIntact(t, db, [][]database.Value{{p.secret, int64(1)}})

	// Dropping b's table leaves a's.
	if err := db.DropTable(ctx, p.b, "items"); err != nil {
		t.Fatalf("DropTable in b: %v", err)
	}
	_, err := db.Query(ctx, p.b, stmt("SELECT * FROM items"))
	plugintest.WantCode(t, err, "Query of b's dropped items", sdk.CodeInvalid)
	p.wantAIntact(t, db, [][]database.Value{{p.secret, int64(1)}})
	plugintest.WantCode(t, db.DropTable(ctx, p.b, "items"), "DropTable of b's dropped items", sdk.CodeNotFound)
}

// Namespaces are case-sensitive, while SQLite's names are not: "Ab" and
// "ab" must still not share tables.
func testNamespaceCase(t *testing.T, db database.Database) {
	upper := namespace(t, "CASE")
	lower := strings.ToLower(upper)
	for _, ns := range []string{upper, lower} {
		if err := db.CreateTable(t.Context(), ns, "CREATE TABLE items (note TEXT)"); err != nil {
			t.Fatalf("CreateTable in %s: %v", short(ns), err)
		}
		mustExec(t, db, ns, "INSERT INTO items (note) VALUES (?)", "in "+ns)
	}
	for _, ns := range []string{upper, lower} {
		wantRows(t, "items of "+short(ns), mustQuery(t, db, ns, "SELECT note FROM items"), nil, [][]database.Value{{"in " + ns}})
		wantSchema(t, db, ns, []database.Table{{Name: "items", Type: "table"}}, nil)
	}
	if err := db.DropTable(t.Context(), lower, "items"); err != nil {
		t.Fatalf("DropTable in the lower-case namespace: %v", err)
	}
	wantRows(t, "items of the upper-case namespace after the drop", mustQuery(t, db, upper, "SELECT note FROM items"), nil,
		[][]database.Value{{"in " + upper}})
}
