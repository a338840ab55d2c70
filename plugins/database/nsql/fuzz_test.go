package nsql

import (
	"errors"
	"io"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
	rq "github.com/rqlite/sql"
)

// FuzzRewrite: for any input, Rewrite either refuses it with an invalid or
// forbidden *sdk.Error, or returns one statement in which every object
// name belongs to the namespace. Two oracles that do not share code with
// the printer check the output: the parser again, with a reflective walk
// over every field of its tree, and SQLite itself, whose authorizer reports
// every object the statement would touch when prepared on a database that
// holds other namespaces' tables.
func FuzzRewrite(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	db := fuzzDB(f)
	f.Fuzz(func(t *testing.T, sql string) { checkProperty(t, db, sql) })
}

// checkProperty checks the fuzz property for one input.
func checkProperty(t *testing.T, db *testDB, sql string) {
	t.Helper()
	st, err := Rewrite("b", sql)
	if err != nil {
		var e *sdk.Error
		if !errors.As(err, &e) || (e.Code != sdk.CodeInvalid && e.Code != sdk.CodeForbidden) {
			t.Fatalf("%q: error %v is not an invalid or forbidden *sdk.Error", sql, err)
		}
		if strings.Contains(e.Message, "internal error") {
			t.Fatalf("%q: %v", sql, err)
		}
		return
	}
	again, err := Rewrite("b", sql)
	if err != nil || again != st {
		t.Fatalf("%q: not deterministic: %q then %q, %v", sql, st.SQL, again.SQL, err)
	}
	checkKind(t, sql, st)
	checkReparsed(t, "b", st.SQL)
	seen, _ := db.prepare(st.SQL)
	if bad := foreign("b", st.Kind, seen); len(bad) > 0 {
		t.Fatalf("%q as %q: SQLite would touch %v", sql, st.SQL, bad)
	}
	if re, ok := rqliteReprint(st.SQL); ok {
		seen, _ := db.prepare(re)
		if bad := foreign("b", st.Kind, seen); len(bad) > 0 {
			t.Fatalf("%q as %q, re-printed by rqlite as %q: SQLite would touch %v", sql, st.SQL, re, bad)
		}
	}
}

// TestTokenSplice complements the fuzzer, whose byte mutations rarely
// yield valid statements: it swaps tokens between seeds, and in attack
// tokens, and checks the fuzz property on every result.
func TestTokenSplice(t *testing.T) {
	db := fuzzDB(t)
	var seeds, pool []string
	for _, s := range fuzzSeeds() {
		if _, err := Rewrite("b", s); err == nil {
			seeds = append(seeds, s)
		}
		for _, tk := range tokenize(s) {
			if tk.kind != tokSpace {
				pool = append(pool, tk.text)
			}
		}
	}
	pool = append(pool, `"a$items"`, "`a$items`", `a`, `.`, `main`, `temp`, `sqlite_master`, `sqlite_schema`,
		`pragma_table_info`, `(`, `)`, `,`, `;`, `--`, `/*`, "`x``y`", `"x""y"`, `x`, `t`, `u`, `v`, `i`, `items`,
		`SELECT`, `FROM`, `WITH`, `AS`, `IN`, `JOIN`, `ON`, `INTO`, `VALUES`, `RETURNING`, `random()`, `date('now')`)
	rnd := rand.New(rand.NewPCG(1, 2))
	n, accepted := 20000, 0
	if testing.Short() {
		n = 2000
	}
	for range n {
		toks := tokenize(seeds[rnd.IntN(len(seeds))])
		for range 1 + rnd.IntN(2) {
			i := rnd.IntN(len(toks) + 1)
			tk := token{text: pool[rnd.IntN(len(pool))]}
			switch {
			case i == len(toks):
				toks = append(toks, token{text: " "}, tk)
			case rnd.IntN(2) == 0 && toks[i].kind != tokSpace:
				toks[i] = tk
			default:
				toks = append(toks[:i], append([]token{{text: " "}, tk, {text: " "}}, toks[i:]...)...)
			}
		}
		var b strings.Builder
		for _, tk := range toks {
			b.WriteString(tk.text)
		}
		if _, err := Rewrite("b", b.String()); err == nil {
			accepted++
		}
		checkProperty(t, db, b.String())
	}
	t.Logf("%d of %d spliced statements accepted", accepted, n)
	if accepted < n/20 {
		t.Errorf("only %d of %d spliced statements accepted: the test exercises too little", accepted, n)
	}
}

// fuzzDB holds namespaces a and b, with b tables of the names seeds use.
func fuzzDB(t testing.TB) *testDB {
	db := openTestDB(t)
	db.seedNamespaces()
	db.exec(`CREATE TABLE "b$t" (x, y)`, `CREATE TABLE "b$u" (x, y)`, `CREATE TABLE "b$x" (a)`,
		`CREATE TABLE "b$a" (items)`, `CREATE VIEW "b$v" AS SELECT * FROM "b$t"`, `CREATE INDEX "b$i" ON "b$t" (x)`,
		`CREATE TABLE "b$tags" (tag, label)`, `CREATE TABLE "b$other" (id, n)`)
	return db
}

// rqliteReprint does what the rqlite server does to a statement that calls
// random() or a time function: parse it with rqlite/sql and send String()
// of the result to SQLite. ok is false where the server would give up
// (parse error or panic) and send nothing or the statement unchanged.
func rqliteReprint(sql string) (out string, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			out, ok = "", false
		}
	}()
	stmt, err := rq.NewParser(strings.NewReader(sql)).ParseStatement()
	if err != nil {
		return "", false
	}
	return stmt.String(), true
}

func checkKind(t *testing.T, sql string, st Statement) {
	t.Helper()
	readOnly := map[string]bool{"select": true, "pragma": true}
	switch st.Kind {
	case "select", "insert", "update", "delete", "create_table", "create_index", "create_view",
		"create_trigger", "drop_table", "drop_index", "drop_view", "drop_trigger", "alter_table", "pragma":
	default:
		t.Fatalf("%q: kind %q", sql, st.Kind)
	}
	if st.ReadOnly != readOnly[st.Kind] {
		t.Fatalf("%q: kind %q with ReadOnly %v", sql, st.Kind, st.ReadOnly)
	}
}

// checkReparsed parses out again and checks every name in it.
func checkReparsed(t *testing.T, ns, out string) {
	t.Helper()
	p := rq.NewParser(strings.NewReader(out))
	stmt, err := p.ParseStatement()
	if err != nil {
		t.Fatalf("output %q does not parse: %v", out, err)
	}
	if _, err := p.ParseStatement(); !errors.Is(err, io.EOF) {
		t.Fatalf("output %q holds more than one statement", out)
	}
	switch stmt.(type) {
	case *rq.SelectStatement, *rq.InsertStatement, *rq.UpdateStatement, *rq.DeleteStatement,
		*rq.CreateTableStatement, *rq.CreateIndexStatement, *rq.CreateViewStatement, *rq.CreateTriggerStatement,
		*rq.DropTableStatement, *rq.DropIndexStatement, *rq.DropViewStatement, *rq.DropTriggerStatement,
		*rq.AlterTableStatement, *rq.PragmaStatement:
	default:
		t.Fatalf("output %q is a %T", out, stmt)
	}
	walkNodes(reflect.ValueOf(stmt), func(v reflect.Value) {
		if msg := badNames(ns, v); msg != "" {
			t.Fatalf("output %q: %s", out, msg)
		}
	})
}

// objectFields lists, per node type, the fields that name a table, view,
// index, trigger or CTE, and those that name a schema.
var objectFields = map[reflect.Type]struct{ objects, schemas []string }{
	reflect.TypeOf(rq.QualifiedTableName{}):          {[]string{"Name", "Index"}, []string{"Schema"}},
	reflect.TypeOf(rq.CTE{}):                         {[]string{"TableName"}, nil},
	reflect.TypeOf(rq.CreateTableStatement{}):        {[]string{"Name"}, []string{"Schema"}},
	reflect.TypeOf(rq.ForeignKeyConstraint{}):        {[]string{"ForeignTable"}, nil},
	reflect.TypeOf(rq.CreateIndexStatement{}):        {[]string{"Name", "Table"}, []string{"Schema"}},
	reflect.TypeOf(rq.CreateViewStatement{}):         {[]string{"Name"}, nil},
	reflect.TypeOf(rq.CreateTriggerStatement{}):      {[]string{"Name", "Table"}, nil},
	reflect.TypeOf(rq.DropTableStatement{}):          {[]string{"Name"}, []string{"Schema"}},
	reflect.TypeOf(rq.DropIndexStatement{}):          {[]string{"Name"}, []string{"Schema"}},
	reflect.TypeOf(rq.DropViewStatement{}):           {[]string{"Name"}, nil},
	reflect.TypeOf(rq.DropTriggerStatement{}):        {[]string{"Name"}, nil},
	reflect.TypeOf(rq.AlterTableStatement{}):         {[]string{"Name", "NewName"}, []string{"Schema"}},
	reflect.TypeOf(rq.InsertStatement{}):             {[]string{"Table"}, []string{"Schema"}},
	reflect.TypeOf(rq.QualifiedRef{}):                {nil, []string{"Schema"}},
	reflect.TypeOf(rq.PragmaStatement{}):             {nil, []string{"Schema"}},
	reflect.TypeOf(rq.CreateVirtualTableStatement{}): {[]string{"Name"}, []string{"Schema"}},
}

// badNames checks the names held by one node.
func badNames(ns string, v reflect.Value) string {
	own := func(id *rq.Ident) bool {
		_, ok := Logical(ns, id.Name)
		return ok
	}
	if f, ok := objectFields[v.Type()]; ok {
		for _, name := range f.objects {
			if id := v.FieldByName(name).Interface().(*rq.Ident); id != nil && !own(id) {
				return "object " + id.Name + " is not the namespace's"
			}
		}
		for _, name := range f.schemas {
			if id := v.FieldByName(name).Interface().(*rq.Ident); id != nil {
				return "schema " + id.Name
			}
		}
	}
	switch x := v.Addr().Interface().(type) {
	case *rq.QualifiedTableFunctionName:
		if !tableFunctions[lowerASCII(x.Name.Name)] {
			return "table function " + x.Name.Name
		}
	case *rq.BinaryExpr:
		if x.Op == rq.IN || x.Op == rq.NOTIN {
			switch y := x.Y.(type) {
			case *rq.Ident:
				if !own(y) {
					return "IN table " + y.Name + " is not the namespace's"
				}
			case *rq.Call:
				if !tableFunctions[lowerASCII(y.Name.Name)] {
					return "IN table function " + y.Name.Name
				}
			case *rq.QualifiedRef:
				return "IN schema-qualified table"
			}
		}
	case *rq.Call:
		if functionDenied(x.Name.Name) {
			return "function " + x.Name.Name
		}
	case *rq.PragmaStatement:
		call, ok := x.Expr.(*rq.Call)
		if !ok || len(call.Args) != 1 {
			return "PRAGMA without one argument"
		}
		if _, ok := readPragmas[lowerASCII(call.Name.Name)]; !ok {
			return "PRAGMA " + call.Name.Name
		}
		if id, ok := call.Args[0].(*rq.Ident); !ok || !own(id) {
			return "PRAGMA argument is not the namespace's"
		}
	}
	return ""
}

// walkNodes calls fn for every struct reachable from v, through every
// exported field, pointer, interface and slice.
func walkNodes(v reflect.Value, fn func(reflect.Value)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkNodes(v.Elem(), fn)
		}
	case reflect.Struct:
		if v.Type() == posType {
			return
		}
		if !v.CanAddr() {
			c := reflect.New(v.Type()).Elem()
			c.Set(v)
			v = c
		}
		fn(v)
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walkNodes(v.Field(i), fn)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			walkNodes(v.Index(i), fn)
		}
	}
}

func fuzzSeeds() []string {
	var seeds []string
	for _, g := range golden {
		seeds = append(seeds, g.in)
	}
	for _, e := range escapes {
		for _, s := range e.steps {
			seeds = append(seeds, s.sql)
		}
	}
	for _, r := range refusals {
		if len(r.sql) < 4096 {
			seeds = append(seeds, r.sql)
		}
	}
	seeds = append(seeds, schema...)
	seeds = append(seeds, sameMeaning...)
	return append(seeds,
		`SELECT t.x FROM t WHERE t.y IN (SELECT u.y FROM u WHERE u.x = t.x) AND x IN x`,
		`WITH t AS (SELECT 1 AS x) SELECT * FROM t, u JOIN v ON 1 WHERE x IN t`,
		`CREATE TRIGGER tr AFTER UPDATE ON t BEGIN INSERT INTO u SELECT * FROM t WHERE t.x = NEW.x; END`,
		`SELECT * FROM a.t`, `SELECT * FROM t AS "a$t"`, `SELECT "a$t".x FROM t`, `SELECT 1 FROM t WHERE x IN a.t`,
		`INSERT INTO t SELECT * FROM u ON CONFLICT DO NOTHING`, `SELECT * FROM json_tree('{}') j`,
		`SELECT (SELECT (SELECT x FROM t)) FROM u`, "SELECT\t*\nFROM\rt", `SELECT * FROM t -- ; SELECT 2`,
	)
}
