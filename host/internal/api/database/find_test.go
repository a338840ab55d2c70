package database_test

import (
	"testing"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/host/internal/server/servertest"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

func TestRqliteFind(t *testing.T) {
	e := servertest.New(t, nil)
	e.DB.SetRows([]string{"id", "name"}, []database.Value{big, "ada"}, []database.Value{int64(2), "bob"})
	rec := e.Do(t, "POST", "/v1/rqlite/find", `{
		"table": "users",
		"criteria": {"name": "ada", "deleted_at": null, "age": 36, "u.score": 9007199254740993},
		"options": {
			"select": ["id", "name", "t.name AS team"],
			"joins": [{"kind": "left", "table": "teams t", "on": "t.id = users.team_id"}],
			"group_by": ["users.id"],
			"order_by": ["created_at DESC", "id"],
			"limit": 10, "offset": 20
		}}`)
	apitest.WantBody(t, rec, 200, `{"items":[{"id":9007199254740993,"name":"ada"},{"id":2,"name":"bob"}],"count":2}`)
	c := e.DB.OnlyCall(t)
	if c.Method != "Query" || c.Namespace != "default" {
		t.Errorf("call %s in %q", c.Method, c.Namespace)
	}
	wantStmt(t, c, `SELECT "id", "name", "t"."name" AS "team" FROM "users"`+
		` LEFT JOIN "teams" AS "t" ON (t.id = users.team_id)`+
		` WHERE "age" = ? AND "deleted_at" IS NULL AND "name" = ? AND "u"."score" = ?`+
		` GROUP BY "users"."id" ORDER BY "created_at" DESC, "id" LIMIT ? OFFSET ?`,
		int64(36), "ada", big, int64(10), int64(20))
}

func TestRqliteFindMinimalAndLegacyOptions(t *testing.T) {
	e := servertest.New(t, nil)
	apitest.WantBody(t, e.Do(t, "POST", "/v1/rqlite/find", `{"table":"users"}`), 200, `{"items":[],"count":0}`)
	// Older clients put the options at the top level.
	e.Do(t, "POST", "/v1/rqlite/find", `{"table":"users","criteria":{},"order_by":["id DESC"],"limit":5}`)
	// An offset alone still needs a LIMIT in SQLite.
	e.Do(t, "POST", "/v1/rqlite/find", `{"table":"users","options":{"offset":3}}`)
	calls := e.DB.CallsMade()
	if len(calls) != 3 {
		t.Fatalf("%d calls", len(calls))
	}
	wantStmt(t, calls[0], `SELECT * FROM "users"`)
	wantStmt(t, calls[1], `SELECT * FROM "users" ORDER BY "id" DESC LIMIT ?`, int64(5))
	wantStmt(t, calls[2], `SELECT * FROM "users" LIMIT -1 OFFSET ?`, int64(3))
}

func TestRqliteFindOne(t *testing.T) {
	e := servertest.New(t, nil)
	e.DB.SetRows([]string{"name", "id", "pic"}, []database.Value{"ada", big, []byte("hi")})
	rec := e.Do(t, "POST", "/v1/rqlite/find-one", `{"table":"users","criteria":{"id":9007199254740993},"options":{"limit":50}}`)
	apitest.WantBody(t, rec, 200, `{"name":"ada","id":9007199254740993,"pic":"aGk="}`)
	wantStmt(t, e.DB.OnlyCall(t), `SELECT * FROM "users" WHERE "id" = ? LIMIT ?`, big, int64(1))

	e.DB.SetRows([]string{"name", "id"})
	apitest.WantError(t, e.Do(t, "POST", "/v1/rqlite/find-one", `{"table":"users","criteria":{"id":1}}`), 404, sdk.CodeNotFound, "not found")
	e.DB.QueryRows = nil
	apitest.WantError(t, e.Do(t, "POST", "/v1/rqlite/find-one", `{"table":"users"}`), 404, sdk.CodeNotFound, "not found")
}

func TestRqliteSelect(t *testing.T) {
	e := servertest.New(t, nil)
	e.DB.SetRows([]string{"team", "n"}, []database.Value{"red", int64(3)})
	rec := e.Do(t, "POST", "/v1/rqlite/select", `{
		"table": "users", "alias": "u",
		"select": ["t.name AS team", "COUNT(*) AS n"],
		"joins": [{"kind": "INNER", "table": "teams AS t", "on": "t.id = u.team_id"}, {"table": "orgs", "on": "orgs.id = t.org_id"}],
		"where": [
			{"expr": "u.age > ?", "args": [18]},
			{"conj": "and", "expr": "u.name LIKE ? OR u.nick = ?", "args": ["a%", "x"]},
			{"conj": "OR", "expr": "u.vip = ?", "args": [true]}
		],
		"group_by": ["t.name"], "order_by": ["COUNT(*) DESC", "t.name asc"],
		"limit": 5, "offset": 0
	}`)
	apitest.WantBody(t, rec, 200, `{"items":[{"team":"red","n":3}],"count":1}`)
	wantStmt(t, e.DB.OnlyCall(t),
		`SELECT "t"."name" AS "team", COUNT(*) AS "n" FROM "users" AS "u"`+
			` INNER JOIN "teams" AS "t" ON (t.id = u.team_id) JOIN "orgs" ON (orgs.id = t.org_id)`+
			` WHERE (u.age > ?) AND (u.name LIKE ? OR u.nick = ?) OR (u.vip = ?)`+
			` GROUP BY "t"."name" ORDER BY COUNT(*) DESC, "t"."name" ASC LIMIT ? OFFSET ?`,
		int64(18), "a%", "x", true, int64(5), int64(0))
}

func TestRqliteSelectOne(t *testing.T) {
	e := servertest.New(t, nil)
	e.DB.SetRows([]string{"id"}, []database.Value{int64(7)}, []database.Value{int64(8)})
	apitest.WantBody(t, e.Do(t, "POST", "/v1/rqlite/select", `{"table":"users","one":true,"where":[{"expr":"id > ?","args":[1.5]}]}`), 200, `{"id":7}`)
	wantStmt(t, e.DB.OnlyCall(t), `SELECT * FROM "users" WHERE (id > ?) LIMIT ?`, 1.5, int64(1))

	e.DB.SetRows([]string{"id"})
	apitest.WantError(t, e.Do(t, "POST", "/v1/rqlite/select", `{"table":"users","one":true}`), 404, sdk.CodeNotFound, "not found")
	// Without one, no rows is an empty list, not a 404.
	apitest.WantBody(t, e.Do(t, "POST", "/v1/rqlite/select", `{"table":"users"}`), 200, `{"items":[],"count":0}`)
}

// Every refusal is a 400 naming the field, and never reaches the plugin.
func TestRqliteBuilderRefusals(t *testing.T) {
	e := servertest.New(t, nil)
	cases := []struct{ name, path, body, msg string }{
		{"no table", "find", `{}`, "table is required"},
		{"bad table", "find", `{"table":"users;DROP TABLE x"}`, `invalid table "users;DROP TABLE x"`},
		{"quoted table", "select", `{"table":"\"users\""}`, "invalid table"},
		{"bad alias", "select", `{"table":"users","alias":"u u"}`, "invalid alias"},
		{"bad select item", "find", `{"table":"t","options":{"select":["name; DROP"]}}`, `invalid options.select[0] "name; DROP"`},
		{"select subquery", "select", `{"table":"t","select":["(SELECT 1)"]}`, `invalid select[0]`},
		{"unknown function", "select", `{"table":"t","select":["load_extension(x)"]}`, `invalid select[0]`},
		{"alias without AS", "select", `{"table":"t","select":["a b"]}`, `invalid select[0]`},
		{"bad order_by", "find", `{"table":"t","options":{"order_by":["id; DROP TABLE t"]}}`, `invalid options.order_by[0]`},
		{"order_by direction", "select", `{"table":"t","order_by":["id SIDEWAYS"]}`, `invalid order_by[0]`},
		{"order_by number", "select", `{"table":"t","order_by":["1"]}`, `invalid order_by[0]`},
		{"bad group_by", "select", `{"table":"t","group_by":["COUNT(*)"]}`, `invalid group_by[0]`},
		{"negative limit", "find", `{"table":"t","options":{"limit":-1}}`, "options.limit must not be negative"},
		{"negative offset", "select", `{"table":"t","offset":-5}`, "offset must not be negative"},
		{"fractional limit", "select", `{"table":"t","limit":1.5}`, "limit must be a non-negative integer"},
		{"limit not a number", "select", `{"table":"t","limit":"ten"}`, "invalid JSON body"},
		{"bad join kind", "find", `{"table":"t","options":{"joins":[{"kind":"CROSS","table":"u","on":"1"}]}}`, `invalid options.joins[0].kind "CROSS"`},
		{"bad join table", "select", `{"table":"t","joins":[{"table":"u;x","on":"1"}]}`, `invalid joins[0].table`},
		{"join without on", "select", `{"table":"t","joins":[{"table":"u"}]}`, `joins[0].on: is required`},
		{"join on with placeholder", "select", `{"table":"t","joins":[{"table":"u","on":"u.id = ?"}]}`, "joins[0].on: placeholders are not allowed"},
		{"join on escaping parens", "select", `{"table":"t","joins":[{"table":"u","on":"1) UNION SELECT (1"}]}`, "joins[0].on: unbalanced parentheses"},
		{"bad conj", "select", `{"table":"t","where":[{"expr":"a"},{"conj":"XOR","expr":"b"}]}`, `invalid where[1].conj "XOR"`},
		{"where semicolon", "select", `{"table":"t","where":[{"expr":"1; DROP TABLE t"}]}`, "where[0].expr: must be a single expression"},
		{"where comment", "select", `{"table":"t","where":[{"expr":"a = 1 --"}]}`, "where[0].expr: comments are not allowed"},
		{"where named param", "select", `{"table":"t","where":[{"expr":"a = :a","args":[1]}]}`, "where[0].expr: only anonymous ? placeholders"},
		{"where args mismatch", "select", `{"table":"t","where":[{"expr":"a = ? AND b = ?","args":[1]}]}`, "2 ? placeholders but 1 args"},
		{"where array arg", "select", `{"table":"t","where":[{"expr":"a IN (?)","args":[[1,2]]}]}`, "where[0].args[0]: arrays and objects"},
		{"empty where expr", "select", `{"table":"t","where":[{"expr":" "}]}`, "where[0].expr: is required"},
		{"criteria array", "find", `{"table":"t","criteria":{"a":[1]}}`, `criteria "a": arrays and objects`},
		{"criteria bad key", "find-one", `{"table":"t","criteria":{"a = 1 OR 1":1}}`, `invalid criteria key "a = 1 OR 1"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			apitest.WantError(t, e.Do(t, "POST", "/v1/rqlite/"+c.path, c.body), 400, sdk.CodeInvalid, c.msg)
		})
	}
	if calls := e.DB.CallsMade(); len(calls) != 0 {
		t.Errorf("refused requests reached the plugin: %+v", calls)
	}
}
