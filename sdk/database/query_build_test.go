package database

import (
	"reflect"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
)

func i64(n int64) *int64 { return &n }

func TestBuildSelect(t *testing.T) {
	cases := []struct {
		name string
		spec Select
		sql  string
		args []Value
	}{
		{"bare", Select{Table: "t"}, `SELECT * FROM "t"`, nil},
		{"alias and star items", Select{Table: "users", Alias: "u", Items: []string{"u.*", "*"}},
			`SELECT "u".*, * FROM "users" AS "u"`, nil},
		{"functions", Select{Table: "t", Items: []string{
			"count(*)", "COUNT(DISTINCT t.a) AS n", "coalesce(a, b.c) as x", "sum( score )", "Group_Concat(name)"}},
			`SELECT COUNT(*), COUNT(DISTINCT "t"."a") AS "n", COALESCE("a", "b"."c") AS "x", SUM("score"), GROUP_CONCAT("name") FROM "t"`, nil},
		{"criteria sorted, null", Select{Table: "t", Criteria: SortedCriteria(map[string]Value{
			"b": "x", "a": int64(1), "c": nil})},
			`SELECT * FROM "t" WHERE "a" = ? AND "b" = ? AND "c" IS NULL`, []Value{int64(1), "x"}},
		{"where precedence kept", Select{Table: "t", Where: []Where{
			{Expr: "a = ?", Args: []Value{int64(1)}},
			{Conj: "or", Expr: "b = ? AND c = ?", Args: []Value{"x", true}},
			{Conj: "AND", Expr: "d IS NOT NULL"}}},
			`SELECT * FROM "t" WHERE (a = ?) OR (b = ? AND c = ?) AND (d IS NOT NULL)`, []Value{int64(1), "x", true}},
		{"where args may sit on any item", Select{Table: "t", Where: []Where{
			{Expr: "a = ?"}, {Expr: "b = ?", Args: []Value{int64(1), int64(2)}}}},
			`SELECT * FROM "t" WHERE (a = ?) AND (b = ?)`, []Value{int64(1), int64(2)}},
		{"criteria and where", Select{Table: "t", Criteria: []Criterion{{"a", int64(1)}},
			Where: []Where{{Expr: "b = ?", Args: []Value{int64(2)}}, {Conj: "OR", Expr: "c"}}},
			`SELECT * FROM "t" WHERE "a" = ? AND ((b = ?) OR (c))`, []Value{int64(1), int64(2)}},
		{"joins", Select{Table: "a", Joins: []Join{
			{Kind: "", Table: "b", On: "b.id = a.b_id"},
			{Kind: "inner join", Table: "c cc", On: "cc.id = b.c_id"},
			{Kind: " Left ", Table: "d AS dd", On: "dd.x = 'it''s (' AND dd.y = \"col;\""}}},
			`SELECT * FROM "a" JOIN "b" ON (b.id = a.b_id) INNER JOIN "c" AS "cc" ON (cc.id = b.c_id)` +
				` LEFT JOIN "d" AS "dd" ON (dd.x = 'it''s (' AND dd.y = "col;")`, nil},
		{"group order limit offset", Select{Table: "t", GroupBy: []string{"a", "t.b"},
			OrderBy: []string{"a", "t.b desc", "max(c) ASC"}, Limit: i64(0), Offset: i64(7)},
			`SELECT * FROM "t" GROUP BY "a", "t"."b" ORDER BY "a", "t"."b" DESC, MAX("c") ASC LIMIT ? OFFSET ?`,
			[]Value{int64(0), int64(7)}},
		{"offset alone", Select{Table: "t", Offset: i64(2)}, `SELECT * FROM "t" LIMIT -1 OFFSET ?`, []Value{int64(2)}},
		{"args in order", Select{Table: "t", Criteria: []Criterion{{"a", "c1"}},
			Where: []Where{{Expr: "w = ?", Args: []Value{"w1"}}}, Limit: i64(3), Offset: i64(4)},
			`SELECT * FROM "t" WHERE "a" = ? AND ((w = ?)) LIMIT ? OFFSET ?`,
			[]Value{"c1", "w1", int64(3), int64(4)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, err := BuildSelect(c.spec)
			if err != nil {
				t.Fatal(err)
			}
			if st.SQL != c.sql {
				t.Errorf("SQL\n got %s\nwant %s", st.SQL, c.sql)
			}
			if !reflect.DeepEqual(st.Args, c.args) {
				t.Errorf("args %#v, want %#v", st.Args, c.args)
			}
		})
	}
}

func TestBuildSelectRefusals(t *testing.T) {
	cases := []struct {
		name string
		spec Select
		msg  string
	}{
		{"no table", Select{}, "table is required"},
		{"table with space", Select{Table: "a b"}, `invalid table "a b"`},
		{"table with digit first", Select{Table: "1t"}, "invalid table"},
		{"qualified table", Select{Table: "main.t"}, "invalid table"},
		{"long table", Select{Table: strings.Repeat("t", MaxNameLen+1)}, "table longer than 128 bytes"},
		{"bad alias", Select{Table: "t", Alias: "a-b"}, "invalid alias"},
		{"select literal", Select{Table: "t", Items: []string{"1"}}, "invalid select[0]"},
		{"select string", Select{Table: "t", Items: []string{"'x'"}}, "invalid select[0]"},
		{"select quoted", Select{Table: "t", Items: []string{`"a"`}}, "invalid select[0]"},
		{"select three parts", Select{Table: "t", Items: []string{"a.b.c"}}, "invalid select[0]"},
		{"select star alias", Select{Table: "t", Items: []string{"* AS x"}}, "invalid select[0]"},
		{"select star of call", Select{Table: "t", Items: []string{"SUM(*)"}}, "invalid select[0]"},
		{"distinct scalar", Select{Table: "t", Items: []string{"LOWER(DISTINCT a)"}}, "invalid select[0]"},
		{"nested call", Select{Table: "t", Items: []string{"MAX(LOWER(a))"}}, "invalid select[0]"},
		{"unclosed call", Select{Table: "t", Items: []string{"COUNT(a"}}, "invalid select[0]"},
		{"empty call", Select{Table: "t", Items: []string{"COUNT()"}}, "invalid select[0]"},
		{"trailing", Select{Table: "t", Items: []string{"a AS b c"}}, "invalid select[0]"},
		{"prefix in message", Select{Prefix: "options.", Table: "t", Items: []string{"a", "b;"}}, "invalid options.select[1]"},
		{"order two directions", Select{Table: "t", OrderBy: []string{"a ASC DESC"}}, "invalid order_by[0]"},
		{"order nulls", Select{Table: "t", OrderBy: []string{"a NULLS FIRST"}}, "invalid order_by[0]"},
		{"order empty", Select{Table: "t", OrderBy: []string{""}}, "invalid order_by[0]"},
		{"group call", Select{Table: "t", GroupBy: []string{"LOWER(a)"}}, "invalid group_by[0]"},
		{"negative limit", Select{Table: "t", Limit: i64(-1)}, "limit must not be negative"},
		{"negative offset", Select{Prefix: "options.", Table: "t", Offset: i64(-1)}, "options.offset must not be negative"},
		{"join kind", Select{Table: "t", Joins: []Join{{Kind: "OUTER", Table: "u", On: "1"}}}, `invalid joins[0].kind "OUTER"`},
		{"join kind cross", Select{Table: "t", Joins: []Join{{Kind: "CROSS JOIN", Table: "u", On: "1"}}}, `invalid joins[0].kind`},
		{"join table subquery", Select{Table: "t", Joins: []Join{{Table: "(SELECT 1)", On: "1"}}}, "invalid joins[0].table"},
		{"join table three words", Select{Table: "t", Joins: []Join{{Table: "u AS x y", On: "1"}}}, "invalid joins[0].table"},
		{"join on unbalanced", Select{Table: "t", Joins: []Join{{Table: "u", On: "(a = b"}}}, "joins[0].on: unbalanced"},
		{"join on placeholder", Select{Table: "t", Joins: []Join{{Table: "u", On: "a = ?"}}}, "joins[0].on: placeholders"},
		{"criteria key", Select{Table: "t", Criteria: []Criterion{{"a;b", int64(1)}}}, `invalid criteria key "a;b"`},
		{"conj", Select{Table: "t", Where: []Where{{Conj: "NOT", Expr: "a"}}}, `invalid where[0].conj "NOT"`},
		{"too many args", Select{Table: "t", Where: []Where{{Expr: "a", Args: []Value{int64(1)}}}}, "0 ? placeholders but 1 args"},
		{"too few args", Select{Table: "t", Where: []Where{{Expr: "a = ? OR b = ?", Args: []Value{int64(1)}}}}, "2 ? placeholders but 1 args"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, err := BuildSelect(c.spec)
			if err == nil {
				t.Fatalf("built %q", st.SQL)
			}
			if e := sdk.AsError(err); e.Code != sdk.CodeInvalid || !strings.Contains(e.Message, c.msg) {
				t.Errorf("error %v, want invalid containing %q", err, c.msg)
			}
		})
	}
}

func TestCheckRawExpr(t *testing.T) {
	ok := []struct {
		expr string
		n    int
	}{
		{"a = b", 0},
		{"a = ? AND b IN (?, ?)", 3},
		{"name = 'what?' AND x = ?", 1},
		{`"weird?col" = ?`, 1},
		{"`t`.`c` = [x?]", 0},
		{"s = 'it''s'", 0},
		{"x = 'a;b -- c /* d */'", 0},
		{"price$usd > 1 AND a - -1 > 0", 0},
		{"EXISTS (SELECT 1 FROM u WHERE u.id = t.id AND u.n > ?)", 1},
		{"data = x'00ff'", 0},
		{"ts > '10:30'", 0},
	}
	for _, c := range ok {
		n, err := checkRawExpr(c.expr)
		if err != nil || n != c.n {
			t.Errorf("%q: %d placeholders, %v; want %d", c.expr, n, err, c.n)
		}
	}
	bad := []struct {
		expr string
		err  error
	}{
		{"", errRawEmpty},
		{" \t\n", errRawEmpty},
		{"a = b; DROP TABLE t", errRawSemicolon},
		{"a = 1 -- rest", errRawComment},
		{"a = 1 /* rest", errRawComment},
		{"a = 1) OR (1", errRawParens},
		{"(a = 1", errRawParens},
		{")(", errRawParens},
		{"a = 'open", errRawQuote},
		{`"open = 1`, errRawQuote},
		{"[open", errRawQuote},
		{"a = ?1", errRawNamedParams},
		{"a = :name", errRawNamedParams},
		{"a = @name", errRawNamedParams},
		{"a = $name", errRawNamedParams},
	}
	for _, c := range bad {
		if _, err := checkRawExpr(c.expr); err != c.err {
			t.Errorf("%q: %v, want %v", c.expr, err, c.err)
		}
	}
}

func TestIdentGrammar(t *testing.T) {
	for _, s := range []string{"a", "_", "A_b9", "_1", strings.Repeat("x", 200)} {
		if !isIdent(s) {
			t.Errorf("isIdent(%q) = false", s)
		}
	}
	for _, s := range []string{"", "1a", "a-b", "a b", "a.b", `"a"`, "é", "a;"} {
		if isIdent(s) {
			t.Errorf("isIdent(%q) = true", s)
		}
	}
	joins := map[string]string{
		"u": `"u"`, "u x": `"u" AS "x"`, "u as x": `"u" AS "x"`, "  u  AS  x ": `"u" AS "x"`,
	}
	for in, want := range joins {
		if got, ok := joinTable(in); !ok || got != want {
			t.Errorf("joinTable(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "u.v", "u AS", "u x y", "u, v", "u AS AS x"} {
		if got, ok := joinTable(in); ok {
			t.Errorf("joinTable(%q) accepted as %q", in, got)
		}
	}
}

// The built statement obeys the limits of every statement: the host no
// longer checks them after building.
func TestBuildSelectBuiltLimits(t *testing.T) {
	long := Select{Table: "t", Where: []Where{{Expr: "a = '" + strings.Repeat("x", MaxSQLLen) + "'"}}}
	args := make([]Value, MaxArgs+1)
	for i := range args {
		args[i] = int64(i)
	}
	many := Select{Table: "t", Where: []Where{{Expr: "a IN (" + strings.TrimSuffix(strings.Repeat("?,", len(args)), ",") + ")", Args: args}}}
	for name, c := range map[string]struct {
		spec Select
		msg  string
	}{
		"long": {long, "the built statement is longer than 1048576 bytes"},
		"args": {many, "the built statement has more than 999 arguments"},
	} {
		st, err := BuildSelect(c.spec)
		if e := sdk.AsError(err); err == nil || e.Code != sdk.CodeInvalid || e.Message != c.msg {
			t.Errorf("%s: built %d bytes, %d args; error %v, want invalid %q", name, len(st.SQL), len(st.Args), err, c.msg)
		}
	}
	at := Select{Table: "t", Where: []Where{{Expr: "a IN (" + strings.TrimSuffix(strings.Repeat("?,", MaxArgs), ",") + ")", Args: args[:MaxArgs]}}}
	if _, err := BuildSelect(at); err != nil {
		t.Errorf("%d args: %v", MaxArgs, err)
	}
}
