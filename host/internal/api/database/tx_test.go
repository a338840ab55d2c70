package database_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/host/internal/server"
	"github.com/orama-network/orama/host/internal/server/servertest"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

func TestRqliteTransactionOps(t *testing.T) {
	e := servertest.New(t, nil)
	e.DB.ExecResult = database.ExecResult{RowsAffected: 1, LastInsertID: big}
	e.DB.SetRows([]string{"id", "blob"}, []database.Value{big, []byte{0xfb, 0xff}})
	rec := e.Do(t, "POST", "/v1/rqlite/transaction", `{
		"ops": [
			{"kind": "exec", "sql": "INSERT INTO t (id, n) VALUES (?, ?)", "args": [9007199254740993, 0.5]},
			{"kind": "QUERY", "sql": "SELECT id, blob FROM t WHERE id = ?", "args": [9007199254740993]},
			{"kind": " Exec ", "sql": "DELETE FROM t"}
		],
		"return_results": true}`)
	apitest.WantBody(t, rec, 200, `{"status":"ok","results":[`+
		`{"rows_affected":1,"last_insert_id":9007199254740993},`+
		`{"items":[{"id":9007199254740993,"blob":"+/8="}],"count":1},`+
		`{"rows_affected":1,"last_insert_id":9007199254740993}]}`)
	c := e.DB.OnlyCall(t)
	want := []database.Op{
		{Kind: database.OpExec, Statement: database.Statement{SQL: "INSERT INTO t (id, n) VALUES (?, ?)", Args: []database.Value{big, 0.5}}},
		{Kind: database.OpQuery, Statement: database.Statement{SQL: "SELECT id, blob FROM t WHERE id = ?", Args: []database.Value{big}}},
		{Kind: database.OpExec, Statement: database.Statement{SQL: "DELETE FROM t"}},
	}
	if c.Method != "Transaction" || !c.ReturnResults || c.Namespace != "default" || !reflect.DeepEqual(c.Ops, want) {
		t.Errorf("call %+v\nwant ops %+v", c, want)
	}
}

func TestRqliteTransactionWithoutResults(t *testing.T) {
	e := servertest.New(t, nil)
	rec := e.Do(t, "POST", "/v1/rqlite/transaction", `{"ops":[{"kind":"exec","sql":"DELETE FROM t"}]}`)
	apitest.WantBody(t, rec, 200, `{"status":"ok"}`)
	if c := e.DB.OnlyCall(t); c.ReturnResults {
		t.Error("return_results sent as true")
	}
}

func TestRqliteTransactionStatements(t *testing.T) {
	e := servertest.New(t, nil)
	apitest.WantBody(t, e.Do(t, "POST", "/v1/rqlite/transaction", `{"statements":["CREATE TABLE a (x)","INSERT INTO a VALUES (1)"]}`), 200, `{"status":"ok"}`)
	want := []database.Op{
		{Kind: database.OpExec, Statement: database.Statement{SQL: "CREATE TABLE a (x)"}},
		{Kind: database.OpExec, Statement: database.Statement{SQL: "INSERT INTO a VALUES (1)"}},
	}
	if c := e.DB.OnlyCall(t); c.ReturnResults || !reflect.DeepEqual(c.Ops, want) {
		t.Errorf("call %+v", c)
	}
	// return_results applies to the statements shape too.
	e.DB.ExecResult = database.ExecResult{RowsAffected: 2, LastInsertID: 9}
	apitest.WantBody(t, e.Do(t, "POST", "/v1/rqlite/transaction", `{"statements":["UPDATE a SET x = 2"],"return_results":true}`), 200,
		`{"status":"ok","results":[{"rows_affected":2,"last_insert_id":9}]}`)
}

func TestRqliteTransactionRefusals(t *testing.T) {
	e := servertest.New(t, func(o *server.Options) { o.MaxBodyBytes = 1 << 20 })
	tooMany := `{"statements":[` + strings.TrimSuffix(strings.Repeat(`"SELECT 1",`, database.MaxOps+1), ",") + `]}`
	cases := []struct{ name, body, msg string }{
		{"neither shape", `{}`, "ops or statements is required"},
		{"empty ops", `{"ops":[]}`, "ops or statements is required"},
		{"both shapes", `{"ops":[{"kind":"exec","sql":"SELECT 1"}],"statements":["SELECT 1"]}`, "give ops or statements, not both"},
		{"bad kind", `{"ops":[{"kind":"exec","sql":"SELECT 1"},{"kind":"ddl","sql":"x"}]}`, `invalid ops[1].kind "ddl"`},
		{"missing kind", `{"ops":[{"sql":"SELECT 1"}]}`, `invalid ops[0].kind ""`},
		{"missing sql", `{"ops":[{"kind":"query"}]}`, "ops[0].sql is required"},
		{"blank statement", `{"statements":["SELECT 1"," "]}`, "statements[1] is required"},
		{"object arg", `{"ops":[{"kind":"exec","sql":"SELECT ?","args":[{"x":1}]}]}`, "ops[0].args[0]: arrays and objects"},
		{"too many", tooMany, "at most 1000 statements"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			apitest.WantError(t, e.Do(t, "POST", "/v1/rqlite/transaction", c.body), 400, sdk.CodeInvalid, c.msg)
		})
	}
	if calls := e.DB.CallsMade(); len(calls) != 0 {
		t.Errorf("refused requests reached the plugin: %+v", calls)
	}
}

// A failing op fails the whole transaction: the handler answers the
// plugin's error and no results.
func TestRqliteTransactionFailure(t *testing.T) {
	e := servertest.New(t, nil)
	e.DB.SetErr(sdk.Errorf(sdk.CodeConflict, "ops[1]: UNIQUE constraint failed: t.id"))
	rec := e.Do(t, "POST", "/v1/rqlite/transaction", `{"ops":[{"kind":"exec","sql":"INSERT INTO t VALUES (1)"},{"kind":"exec","sql":"INSERT INTO t VALUES (1)"}],"return_results":true}`)
	apitest.WantError(t, rec, 409, sdk.CodeConflict, "UNIQUE constraint failed")
	if strings.Contains(rec.Body.String(), "results") {
		t.Errorf("failed transaction answered results: %s", rec.Body)
	}
}
