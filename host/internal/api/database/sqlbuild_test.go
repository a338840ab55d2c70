package database

import (
	"reflect"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

func i64(n int64) *int64 { return &n }

func TestBuildSelect(t *testing.T) {
	cases := []struct {
		name string
		spec selectSpec
		sql  string
		args []database.Value
	}{
		{"bare", selectSpec{table: "t"}, `SELECT * FROM "t"`, nil},
		{"alias and star items", selectSpec{table: "users", alias: "u", items: []string{"u.*", "*"}},
			`SELECT "u".*, * FROM "users" AS "u"`, nil},
		{"functions", selectSpec{table: "t", items: []string{
			"count(*)", "COUNT(DISTINCT t.a) AS n", "coalesce(a, b.c) as x", "sum( score )", "Group_Concat(name)"}},
			`SELECT COUNT(*), COUNT(DISTINCT "t"."a") AS "n", COALESCE("a", "b"."c") AS "x", SUM("score"), GROUP_CONCAT("name") FROM "t"`, nil},
		{"criteria sorted, null", selectSpec{table: "t", criteria: sortedCriteria(map[string]database.Value{
			"b": "x", "a": int64(1), "c": nil})},
			`SELECT * FROM "t" WHERE "a" = ? AND "b" = ? AND "c" IS NULL`, []database.Value{int64(1), "x"}},
		{"where precedence kept", selectSpec{table: "t", where: []whereSpec{
			{expr: "a = ?", args: []database.Value{int64(1)}},
			{conj: "or", expr: "b = ? AND c = ?", args: []database.Value{"x", true}},
			{conj: "AND", expr: "d IS NOT NULL"}}},
			`SELECT * FROM "t" WHERE (a = ?) OR (b = ? AND c = ?) AND (d IS NOT NULL)`, []database.Value{int64(1), "x", true}},
		{"where args may sit on any item", selectSpec{table: "t", where: []whereSpec{
			{expr: "a = ?"}, {expr: "b = ?", args: []database.Value{int64(1), int64(2)}}}},
			`SELECT * FROM "t" WHERE (a = ?) AND (b = ?)`, []database.Value{int64(1), int64(2)}},
		{"criteria and where", selectSpec{table: "t", criteria: []criterion{{"a", int64(1)}},
			where: []whereSpec{{expr: "b = ?", args: []database.Value{int64(2)}}, {conj: "OR", expr: "c"}}},
			`SELECT * FROM "t" WHERE "a" = ? AND ((b = ?) OR (c))`, []database.Value{int64(1), int64(2)}},
		{"joins", selectSpec{table: "a", joins: []joinSpec{
			{Kind: "", Table: "b", On: "b.id = a.b_id"},
			{Kind: "inner join", Table: "c cc", On: "cc.id = b.c_id"},
			{Kind: " Left ", Table: "d AS dd", On: "dd.x = 'it''s (' AND dd.y = \"col;\""}}},
			`SELECT * FROM "a" JOIN "b" ON (b.id = a.b_id) INNER JOIN "c" AS "cc" ON (cc.id = b.c_id)` +
				` LEFT JOIN "d" AS "dd" ON (dd.x = 'it''s (' AND dd.y = "col;")`, nil},
		{"group order limit offset", selectSpec{table: "t", groupBy: []string{"a", "t.b"},
			orderBy: []string{"a", "t.b desc", "max(c) ASC"}, limit: i64(0), offset: i64(7)},
			`SELECT * FROM "t" GROUP BY "a", "t"."b" ORDER BY "a", "t"."b" DESC, MAX("c") ASC LIMIT ? OFFSET ?`,
			[]database.Value{int64(0), int64(7)}},
		{"offset alone", selectSpec{table: "t", offset: i64(2)}, `SELECT * FROM "t" LIMIT -1 OFFSET ?`, []database.Value{int64(2)}},
		{"args in order", selectSpec{table: "t", criteria: []criterion{{"a", "c1"}},
			where: []whereSpec{{expr: "w = ?", args: []database.Value{"w1"}}}, limit: i64(3), offset: i64(4)},
			`SELECT * FROM "t" WHERE "a" = ? AND ((w = ?)) LIMIT ? OFFSET ?`,
			[]database.Value{"c1", "w1", int64(3), int64(4)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, err := buildSelect(c.spec)
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
		spec selectSpec
		msg  string
	}{
		{"no table", selectSpec{}, "table is required"},
		{"table with space", selectSpec{table: "a b"}, `invalid table "a b"`},
		{"table with digit first", selectSpec{table: "1t"}, "invalid table"},
		{"qualified table", selectSpec{table: "main.t"}, "invalid table"},
		{"long table", selectSpec{table: strings.Repeat("t", database.MaxNameLen+1)}, "table longer than 128 bytes"},
		{"bad alias", selectSpec{table: "t", alias: "a-b"}, "invalid alias"},
		{"select literal", selectSpec{table: "t", items: []string{"1"}}, "invalid select[0]"},
		{"select string", selectSpec{table: "t", items: []string{"'x'"}}, "invalid select[0]"},
		{"select quoted", selectSpec{table: "t", items: []string{`"a"`}}, "invalid select[0]"},
		{"select three parts", selectSpec{table: "t", items: []string{"a.b.c"}}, "invalid select[0]"},
		{"select star alias", selectSpec{table: "t", items: []string{"* AS x"}}, "invalid select[0]"},
		{"select star of call", selectSpec{table: "t", items: []string{"SUM(*)"}}, "invalid select[0]"},
		{"distinct scalar", selectSpec{table: "t", items: []string{"LOWER(DISTINCT a)"}}, "invalid select[0]"},
		{"nested call", selectSpec{table: "t", items: []string{"MAX(LOWER(a))"}}, "invalid select[0]"},
		{"unclosed call", selectSpec{table: "t", items: []string{"COUNT(a"}}, "invalid select[0]"},
		{"empty call", selectSpec{table: "t", items: []string{"COUNT()"}}, "invalid select[0]"},
		{"trailing", selectSpec{table: "t", items: []string{"a AS b c"}}, "invalid select[0]"},
		{"prefix in message", selectSpec{prefix: "options.", table: "t", items: []string{"a", "b;"}}, "invalid options.select[1]"},
		{"order two directions", selectSpec{table: "t", orderBy: []string{"a ASC DESC"}}, "invalid order_by[0]"},
		{"order nulls", selectSpec{table: "t", orderBy: []string{"a NULLS FIRST"}}, "invalid order_by[0]"},
		{"order empty", selectSpec{table: "t", orderBy: []string{""}}, "invalid order_by[0]"},
		{"group call", selectSpec{table: "t", groupBy: []string{"LOWER(a)"}}, "invalid group_by[0]"},
		{"negative limit", selectSpec{table: "t", limit: i64(-1)}, "limit must not be negative"},
		{"negative offset", selectSpec{prefix: "options.", table: "t", offset: i64(-1)}, "options.offset must not be negative"},
		{"join kind", selectSpec{table: "t", joins: []joinSpec{{Kind: "OUTER", Table: "u", On: "1"}}}, `invalid joins[0].kind "OUTER"`},
		{"join kind cross", selectSpec{table: "t", joins: []joinSpec{{Kind: "CROSS JOIN", Table: "u", On: "1"}}}, `invalid joins[0].kind`},
		{"join table subquery", selectSpec{table: "t", joins: []joinSpec{{Table: "(SELECT 1)", On: "1"}}}, "invalid joins[0].table"},
		{"join table three words", selectSpec{table: "t", joins: []joinSpec{{Table: "u AS x y", On: "1"}}}, "invalid joins[0].table"},
		{"join on unbalanced", selectSpec{table: "t", joins: []joinSpec{{Table: "u", On: "(a = b"}}}, "joins[0].on: unbalanced"},
		{"join on placeholder", selectSpec{table: "t", joins: []joinSpec{{Table: "u", On: "a = ?"}}}, "joins[0].on: placeholders"},
		{"criteria key", selectSpec{table: "t", criteria: []criterion{{"a;b", int64(1)}}}, `invalid criteria key "a;b"`},
		{"conj", selectSpec{table: "t", where: []whereSpec{{conj: "NOT", expr: "a"}}}, `invalid where[0].conj "NOT"`},
		{"too many args", selectSpec{table: "t", where: []whereSpec{{expr: "a", args: []database.Value{int64(1)}}}}, "0 ? placeholders but 1 args"},
		{"too few args", selectSpec{table: "t", where: []whereSpec{{expr: "a = ? OR b = ?", args: []database.Value{int64(1)}}}}, "2 ? placeholders but 1 args"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, err := buildSelect(c.spec)
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
