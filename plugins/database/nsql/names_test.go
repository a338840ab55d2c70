package nsql

import (
	"errors"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
)

func TestCheckNamespace(t *testing.T) {
	for _, ns := range []string{"a", "Acme", "my-app_2", "_system", strings.Repeat("x", 128), "sqlite"} {
		if err := CheckNamespace(ns); err != nil {
			t.Errorf("CheckNamespace(%q) = %v, want nil", ns, err)
		}
	}
	for _, ns := range []string{"", "a$b", "a b", "a.b", "ä", "a\x00", strings.Repeat("x", 129),
		"sqlite_x", "SQLite_autoindex_a", `a"b`, "a/b"} {
		err := CheckNamespace(ns)
		var e *sdk.Error
		if !errors.As(err, &e) || e.Code != sdk.CodeInvalid {
			t.Errorf("CheckNamespace(%q) = %v, want invalid", ns, err)
		}
		if _, err := Rewrite(ns, "SELECT 1"); err == nil {
			t.Errorf("Rewrite accepted namespace %q", ns)
		}
	}
}

func TestPhysicalLogical(t *testing.T) {
	if got := Physical("acme", "items"); got != "acme$items" {
		t.Errorf("Physical = %q", got)
	}
	for _, c := range []struct {
		ns, physical, logical string
		ok                    bool
	}{
		{"acme", "acme$items", "items", true},
		{"acme", "ACME$Items", "Items", true}, // SQLite compares names without ASCII case
		{"acme", "acme$", "", false},
		{"acme", "acme", "", false},
		{"acme", "acmex$items", "", false},
		{"acme", "acm$items", "", false},
		{"acme", "other$items", "", false},
		{"acme", "items", "", false},
		{"acme", "acme$a$b", "", false}, // never created: names hold no '$'
		{"acme", "sqlite_autoindex_acme$items_1", "", false},
		{"a", "b-a$items", "", false},
		{"a-b", "a-b$items", "items", true},
		{"bad$ns", "bad$ns$items", "", false},
		{"acme", "acmé$items", "", false},
	} {
		l, ok := Logical(c.ns, c.physical)
		if l != c.logical || ok != c.ok {
			t.Errorf("Logical(%q, %q) = %q, %v; want %q, %v", c.ns, c.physical, l, ok, c.logical, c.ok)
		}
		if c.ok && !equalFold(Physical(c.ns, l), c.physical) {
			t.Errorf("Physical(%q, %q) does not give back %q", c.ns, l, c.physical)
		}
	}
}

func TestDisplay(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`CREATE TABLE "ns$items" ("id" INTEGER PRIMARY KEY, "tag" REFERENCES "ns$tags" ("id"))`,
			`CREATE TABLE "items" ("id" INTEGER PRIMARY KEY, "tag" REFERENCES "tags" ("id"))`},
		{`CREATE VIEW "ns$v" AS SELECT "items"."name" FROM "ns$items" AS "items" JOIN "ns$x" AS "y"`,
			`CREATE VIEW "v" AS SELECT "items"."name" FROM "items" JOIN "x" AS "y"`},
		// As SQLite leaves it after ALTER TABLE … RENAME and ADD COLUMN.
		{"CREATE TABLE \"ns$new\" (a, \"b\" TEXT)", `CREATE TABLE "new" (a, "b" TEXT)`},
		{`CREATE TABLE ns$plain (x)`, `CREATE TABLE "plain" (x)`},
		{"CREATE TABLE [ns$br] (`ns$bt` INT)", `CREATE TABLE "br" ("bt" INT)`},
		{`CREATE TABLE "NS$Upper" (x)`, `CREATE TABLE "Upper" (x)`},
		{`CREATE TABLE "ns$q""uote" (x)`, `CREATE TABLE "q""uote" (x)`},
		// Other namespaces' names and strings are left alone.
		{`CREATE TABLE "other$t" (x DEFAULT 'ns$t')`, `CREATE TABLE "other$t" (x DEFAULT 'ns$t')`},
		// Broken text is returned as it is.
		{`CREATE TABLE "ns$t (x`, `CREATE TABLE "ns$t (x`},
		{``, ``},
	} {
		if got := Display("ns", c.in); got != c.want {
			t.Errorf("Display(%q)\n got  %q\n want %q", c.in, got, c.want)
		}
	}
}

func TestCleanMessage(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"no such table: a$items", "no such table: items"},
		{`table "a$t" already exists`, `table "t" already exists`},
		{"UNIQUE constraint failed: a$t.x, a$t.y", "UNIQUE constraint failed: t.x, t.y"},
		{"no such table: A$Items", "no such table: Items"},
		{"index sqlite_autoindex_a$t_1 ...", "index sqlite_autoindex_t_1 ..."},
		{"error in view b$v: no such table: main.b$gone", "error in view (another namespace's object): no such table: main.(another namespace's object)"},
		{"xa$t and a-a$t", "(another namespace's object) and (another namespace's object)"},
		{"parameter $name, cost $5", "parameter $name, cost $5"},
		{"nothing to do", "nothing to do"},
	} {
		if got := CleanMessage("a", c.in); got != c.want {
			t.Errorf("CleanMessage(%q)\n got  %q\n want %q", c.in, got, c.want)
		}
	}
}

// SQLite re-reads every view when a table is renamed, so a broken view of
// namespace a makes b's rename fail; the message must not name a's objects.
func TestCleanMessageHidesOtherNamespaces(t *testing.T) {
	db := openTestDB(t)
	db.exec(`CREATE TABLE "a$gone" (x)`, `CREATE VIEW "a$secret_view" AS SELECT * FROM "a$gone"`, `DROP TABLE "a$gone"`,
		`CREATE TABLE "b$t" (x)`)
	st, err := Rewrite("b", `ALTER TABLE t RENAME TO u`)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = db.query(st.SQL)
	if err == nil {
		t.Fatal("rename succeeded: SQLite no longer checks other views; update the package doc")
	}
	if msg := CleanMessage("b", err.Error()); strings.Contains(msg, "secret_view") || strings.Contains(msg, "a$") {
		t.Errorf("message %q names namespace a's objects", msg)
	}
}

func TestPhysicalKeepsNamespacesThatDifferOnlyInCaseApart(t *testing.T) {
	a, b := Physical("Acme", "items"), Physical("acme", "items")
	if strings.EqualFold(a, b) {
		t.Fatalf("Physical(Acme) %q and Physical(acme) %q are one SQLite name", a, b)
	}
	if n, ok := Logical("Acme", a); !ok || n != "items" {
		t.Errorf("Logical(Acme, %q) = %q %v", a, n, ok)
	}
	if _, ok := Logical("acme", a); ok {
		t.Errorf("acme claims %q", a)
	}
	if _, ok := Logical("Acme", b); ok {
		t.Errorf("Acme claims %q", b)
	}
	if got := CleanMessage("Acme", "no such table: "+a); got != "no such table: items" {
		t.Errorf("CleanMessage = %q", got)
	}
	if got := CleanMessage("acme", "no such table: "+a); strings.Contains(got, "Acme") || strings.Contains(got, "^acme") {
		t.Errorf("CleanMessage leaks another namespace: %q", got)
	}
}
