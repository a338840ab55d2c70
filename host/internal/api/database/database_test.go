package database_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/host/internal/api/apitest"
	databaseapi "github.com/orama-network/orama/host/internal/api/database"
	"github.com/orama-network/orama/host/internal/server"
	"github.com/orama-network/orama/host/internal/server/servertest"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

const big = int64(1<<53 + 1) // 9007199254740993: not representable as float64

// wantStmt checks the statement of a recorded call.
func wantStmt(t testing.TB, c apitest.DBCall, sql string, args ...database.Value) {
	t.Helper()
	if c.Stmt.SQL != sql {
		t.Errorf("SQL\n got %s\nwant %s", c.Stmt.SQL, sql)
	}
	if len(args) == 0 {
		args = nil
	}
	if !reflect.DeepEqual(c.Stmt.Args, args) {
		t.Errorf("args\n got %#v\nwant %#v", c.Stmt.Args, args)
	}
}

func TestRqliteQuery(t *testing.T) {
	e := servertest.New(t, nil)
	// Columns deliberately out of alphabetical order: the row keeps them.
	e.DB.SetRows([]string{"z_id", "name", "score", "avatar", "ok", "gone"},
		[]database.Value{big, "Ada \"the\" first", 1.5, []byte{0, 1, 2, 0xff}, true, nil},
		[]database.Value{int64(-7), "", 1e21, []byte{}, false, nil},
	)
	rec := e.Do(t, "POST", "/v1/rqlite/query",
		`{"sql":"SELECT * FROM users WHERE id = ?","args":[9007199254740993, 1.5, "x", true, null, 2.0, 1e3, -0, 9223372036854775808]}`)
	apitest.WantBody(t, rec, 200, `{"items":[`+
		`{"z_id":9007199254740993,"name":"Ada \"the\" first","score":1.5,"avatar":"AAEC/w==","ok":true,"gone":null},`+
		`{"z_id":-7,"name":"","score":1e+21,"avatar":"","ok":false,"gone":null}],"count":2}`)
	c := e.DB.OnlyCall(t)
	if c.Method != "Query" || c.Namespace != "default" {
		t.Errorf("call %s in %q", c.Method, c.Namespace)
	}
	wantStmt(t, c, "SELECT * FROM users WHERE id = ?",
		big, 1.5, "x", true, nil, float64(2), float64(1000), int64(0), float64(9223372036854775808))
	if c.Deadline.IsZero() || time.Until(c.Deadline) > 2*time.Second {
		t.Errorf("plugin call deadline %v: want one within the request timeout", c.Deadline)
	}
}

func TestRqliteQueryNoRows(t *testing.T) {
	e := servertest.New(t, nil)
	apitest.WantBody(t, e.Do(t, "POST", "/v1/rqlite/query", `{"sql":"SELECT 1"}`), 200, `{"items":[],"count":0}`)
	e.DB.SetRows([]string{"id"})
	apitest.WantBody(t, e.Do(t, "POST", "/v1/rqlite/query", `{"sql":"SELECT id FROM t","args":[]}`), 200, `{"items":[],"count":0}`)
	for _, c := range e.DB.CallsMade() {
		if c.Stmt.Args != nil {
			t.Errorf("no args bound as %#v", c.Stmt.Args)
		}
	}
}

func TestRqliteArgsRefused(t *testing.T) {
	e := servertest.New(t, nil)
	cases := []struct{ name, body, msg string }{
		{"array arg", `{"sql":"SELECT ?","args":[1,[2]]}`, "args[1]: arrays and objects cannot be bound"},
		{"object arg", `{"sql":"SELECT ?","args":[{"a":1}]}`, "args[0]: arrays and objects cannot be bound"},
		{"args not a list", `{"sql":"SELECT ?","args":"x"}`, `field "args" must be an array`},
		{"out of range", `{"sql":"SELECT ?","args":[1e400]}`, "args[0]: number out of range"},
		{"no sql", `{"args":[1]}`, "sql is required"},
		{"blank sql", `{"sql":"  "}`, "sql is required"},
		{"sql not a string", `{"sql":1}`, `field "sql" must be a string`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, path := range []string{"/v1/rqlite/query", "/v1/rqlite/exec"} {
				apitest.WantError(t, e.Do(t, "POST", path, c.body), 400, sdk.CodeInvalid, c.msg)
			}
		})
	}
	if calls := e.DB.CallsMade(); len(calls) != 0 {
		t.Errorf("refused requests reached the plugin: %+v", calls)
	}
}

func TestRqliteTooManyArgs(t *testing.T) {
	e := servertest.New(t, func(o *server.Options) { o.MaxBodyBytes = 1 << 20 })
	args := strings.Repeat("1,", database.MaxArgs) + "1"
	apitest.WantError(t, e.Do(t, "POST", "/v1/rqlite/exec", `{"sql":"SELECT 1","args":[`+args+`]}`), 400, sdk.CodeInvalid, "at most 999 arguments")
}

func TestRqliteExec(t *testing.T) {
	e := servertest.New(t, nil)
	e.DB.ExecResult = database.ExecResult{RowsAffected: 3, LastInsertID: big}
	rec := e.Do(t, "POST", "/v1/rqlite/exec", `{"sql":"UPDATE t SET n = ? WHERE id = ?","args":[9007199254740993,"a"]}`)
	apitest.WantBody(t, rec, 200, `{"rows_affected":3,"last_insert_id":9007199254740993,"execution_state":"ok"}`)
	c := e.DB.OnlyCall(t)
	if c.Method != "Exec" {
		t.Errorf("method %s", c.Method)
	}
	wantStmt(t, c, "UPDATE t SET n = ? WHERE id = ?", big, "a")
}

func TestRqliteSchema(t *testing.T) {
	e := servertest.New(t, nil)
	apitest.WantBody(t, e.Do(t, "GET", "/v1/rqlite/schema", ""), 200, `{"tables":[],"count":0}`)
	e.DB.Tables = []database.Table{
		{Name: "users", Type: "table", SQL: "CREATE TABLE users (id INTEGER PRIMARY KEY)"},
		{Name: "users_by_name", Type: "index", SQL: "CREATE INDEX users_by_name ON users (name)"},
	}
	apitest.WantBody(t, e.Do(t, "GET", "/v1/rqlite/schema", ""), 200, `{"tables":[`+
		`{"name":"users","type":"table","sql":"CREATE TABLE users (id INTEGER PRIMARY KEY)"},`+
		`{"name":"users_by_name","type":"index","sql":"CREATE INDEX users_by_name ON users (name)"}],"count":2}`)
	if calls := e.DB.CallsMade(); len(calls) != 2 || calls[1].Method != "Schema" || calls[1].Namespace != "default" {
		t.Errorf("calls %+v", calls)
	}
}

func TestRqliteCreateTable(t *testing.T) {
	e := servertest.New(t, nil)
	ddl := "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT)"
	apitest.WantBody(t, e.Do(t, "POST", "/v1/rqlite/create-table", `{"schema":"`+ddl+`"}`), 201, `{"status":"ok"}`)
	if c := e.DB.OnlyCall(t); c.Method != "CreateTable" || c.Arg != ddl || c.Namespace != "default" {
		t.Errorf("call %+v", c)
	}
	apitest.WantError(t, e.Do(t, "POST", "/v1/rqlite/create-table", `{}`), 400, sdk.CodeInvalid, "schema is required")
	e.DB.SetErr(sdk.Errorf(sdk.CodeConflict, "table people already exists"))
	apitest.WantError(t, e.Do(t, "POST", "/v1/rqlite/create-table", `{"schema":"`+ddl+`"}`), 409, sdk.CodeConflict, "already exists")
}

func TestRqliteDropTable(t *testing.T) {
	e := servertest.New(t, nil)
	e.DB.Tables = []database.Table{{Name: "people", Type: "table"}}
	apitest.WantBody(t, e.Do(t, "POST", "/v1/rqlite/drop-table", `{"table":" people "}`), 200, `{"status":"ok"}`)
	if c := e.DB.OnlyCall(t); c.Method != "DropTable" || c.Arg != "people" {
		t.Errorf("call %+v", c)
	}
	apitest.WantError(t, e.Do(t, "POST", "/v1/rqlite/drop-table", `{"table":"ghosts"}`), 404, sdk.CodeNotFound, "no such table: ghosts")

	before := len(e.DB.CallsMade())
	for _, bad := range []string{`""`, `"1abc"`, `"people; DROP TABLE x"`, `"a.b"`, `"\"people\""`, `"` + strings.Repeat("t", 129) + `"`} {
		rec := e.Do(t, "POST", "/v1/rqlite/drop-table", `{"table":`+bad+`}`)
		apitest.WantError(t, rec, 400, sdk.CodeInvalid, "table")
	}
	if after := len(e.DB.CallsMade()); after != before {
		t.Errorf("refused drops reached the plugin (%d calls)", after-before)
	}
}

func TestRqlitePluginErrors(t *testing.T) {
	cases := []struct {
		err    error
		status int
		code   sdk.Code
		msg    string
	}{
		{sdk.Errorf(sdk.CodeInvalid, `near "SELEC": syntax error`), 400, sdk.CodeInvalid, `near "SELEC": syntax error`},
		{sdk.Errorf(sdk.CodeForbidden, "ATTACH is not allowed"), 403, sdk.CodeForbidden, "ATTACH is not allowed"},
		{sdk.Errorf(sdk.CodeNotFound, "no such table: x"), 404, sdk.CodeNotFound, "no such table"},
		{sdk.Errorf(sdk.CodeConflict, "UNIQUE constraint failed: users.name"), 409, sdk.CodeConflict, "UNIQUE constraint failed"},
		{sdk.Errorf(sdk.CodeTooLarge, "result larger than 10000 rows"), 413, sdk.CodeTooLarge, "result larger"},
		{sdk.Errorf(sdk.CodeUnavailable, "rqlite: no leader"), 503, sdk.CodeUnavailable, "no leader"},
		{errors.New("disk on fire"), 500, sdk.CodeInternal, "internal error"},
	}
	requests := []struct{ method, path, body string }{
		{"POST", "/v1/rqlite/query", `{"sql":"SELEC 1"}`},
		{"POST", "/v1/rqlite/exec", `{"sql":"SELEC 1"}`},
		{"POST", "/v1/rqlite/find", `{"table":"t"}`},
		{"POST", "/v1/rqlite/find-one", `{"table":"t"}`},
		{"POST", "/v1/rqlite/select", `{"table":"t","one":true}`},
		{"POST", "/v1/rqlite/transaction", `{"statements":["SELEC 1"]}`},
		{"GET", "/v1/rqlite/schema", ``},
		{"POST", "/v1/rqlite/create-table", `{"schema":"CREATE TABLE t (a)"}`},
		{"POST", "/v1/rqlite/drop-table", `{"table":"t"}`},
	}
	for _, c := range cases {
		t.Run(string(c.code), func(t *testing.T) {
			e := servertest.New(t, nil)
			e.DB.SetErr(c.err)
			for _, r := range requests {
				rec := e.Do(t, r.method, r.path, r.body)
				apitest.WantError(t, rec, c.status, c.code, c.msg)
				if ra := rec.Header().Get("Retry-After"); (c.status == 503) != (ra == "1") {
					t.Errorf("%s: status %d with Retry-After %q", r.path, c.status, ra)
				}
			}
			if n := len(e.DB.CallsMade()); n != len(requests) {
				t.Errorf("%d plugin calls for %d requests", n, len(requests))
			}
			if c.status == 500 && strings.Contains(e.Logs.String(), "disk on fire") != true {
				t.Error("internal error not logged")
			}
		})
	}
}

func TestRqliteUnavailable(t *testing.T) {
	e := servertest.New(t, nil)
	e.Plugins.DBDown = true
	for _, r := range []struct{ method, path, body string }{
		{"POST", "/v1/rqlite/query", `{"sql":"SELECT 1"}`},
		{"POST", "/v1/rqlite/exec", `{"sql":"SELECT 1"}`},
		{"POST", "/v1/rqlite/find", `{"table":"t"}`},
		{"POST", "/v1/rqlite/find-one", `{"table":"t"}`},
		{"POST", "/v1/rqlite/select", `{"table":"t"}`},
		{"POST", "/v1/rqlite/transaction", `{"statements":["SELECT 1"]}`},
		{"GET", "/v1/rqlite/schema", ``},
		{"POST", "/v1/rqlite/create-table", `{"schema":"CREATE TABLE t (a)"}`},
		{"POST", "/v1/rqlite/drop-table", `{"table":"t"}`},
	} {
		rec := e.Do(t, r.method, r.path, r.body)
		apitest.WantError(t, rec, 503, sdk.CodeUnavailable, "database plugin is restarting")
		if ra := rec.Header().Get("Retry-After"); ra != "1" {
			t.Errorf("%s: Retry-After %q", r.path, ra)
		}
	}
	// Without any plugins configured: unavailable too.
	srv := server.New(server.Options{Auth: server.AuthOptions{Mode: server.AuthDisabled}})
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/v1/rqlite/schema", nil))
	apitest.WantError(t, rec, 503, sdk.CodeUnavailable, "database plugin not configured")
}

func TestRqliteSystemNamespaceRefused(t *testing.T) {
	fake := apitest.NewFakeDB()
	db := databaseapi.New(func(context.Context) (database.Database, error) { return fake, nil }, 2*time.Second)
	handlers := map[string]api.HandlerFunc{
		"query":       db.Query,
		"exec":        db.Exec,
		"find":        db.Find,
		"find-one":    db.FindOne,
		"select":      db.Select,
		"transaction": db.Transaction,
		"schema":      db.Schema,
		"create":      db.CreateTable,
		"drop":        db.DropTable,
	}
	body := `{"sql":"SELECT 1","table":"t","statements":["SELECT 1"],"schema":"CREATE TABLE t (a)"}`
	for name, h := range handlers {
		for _, ns := range []string{database.SystemNamespace, "default"} {
			req := httptest.NewRequest("POST", "/", strings.NewReader(body))
			req = req.WithContext(api.WithRequest(req.Context(), &api.Request{Namespace: ns}))
			err := h(httptest.NewRecorder(), req)
			refused := sdk.AsError(err) != nil && sdk.AsError(err).Code == sdk.CodeForbidden
			if refused != (ns == database.SystemNamespace) {
				t.Errorf("%s in %q: %v", name, ns, err)
			}
		}
	}
	for _, c := range fake.CallsMade() {
		if c.Namespace == database.SystemNamespace {
			t.Errorf("%s reached the plugin in the system namespace", c.Method)
		}
	}
}

func TestRqliteMethods(t *testing.T) {
	e := servertest.New(t, nil)
	for _, r := range []struct{ method, path string }{
		{"GET", "/v1/rqlite/query"}, {"GET", "/v1/rqlite/find-one"}, {"POST", "/v1/rqlite/schema"},
		{"DELETE", "/v1/rqlite/drop-table"}, {"GET", "/v1/rqlite/transaction"},
	} {
		if rec := e.Do(t, r.method, r.path, ""); rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("%s %s: %d", r.method, r.path, rec.Code)
		}
	}
	apitest.WantError(t, e.Do(t, "POST", "/v1/rqlite/nope", "{}"), 404, sdk.CodeNotFound, "not found")
}

func TestRqliteBrokenPluginAnswers(t *testing.T) {
	e := servertest.New(t, nil)
	e.DB.SetRows([]string{"a", "b"}, []database.Value{int64(1)})
	apitest.WantError(t, e.Do(t, "POST", "/v1/rqlite/query", `{"sql":"SELECT 1"}`), 500, sdk.CodeInternal, "internal error")
	e.DB.SetRows([]string{"a"}, []database.Value{int32(1)})
	apitest.WantError(t, e.Do(t, "POST", "/v1/rqlite/query", `{"sql":"SELECT 1"}`), 500, sdk.CodeInternal, "internal error")
	if logs := e.Logs.String(); !strings.Contains(logs, "row of 1 cells for 2 columns") || !strings.Contains(logs, "cell of type int32") {
		t.Errorf("logs lack the reasons: %s", logs)
	}
}
