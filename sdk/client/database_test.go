package client_test

import (
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/client"
)

// dbStub answers every request with one canned status and body and keeps
// the requests it saw (method, path, raw body).
type dbStub struct {
	srv    *httptest.Server
	mu     sync.Mutex
	method []string
	path   []string
	body   []string
}

func newDBStub(t *testing.T, status int, body string) (*dbStub, *client.Database) {
	t.Helper()
	s := &dbStub{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.method = append(s.method, r.Method)
		s.path = append(s.path, r.URL.Path)
		s.body = append(s.body, string(raw))
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(s.srv.Close)
	return s, client.New(s.srv.URL).Database()
}

// sent checks the one request the stub saw: method, path and, unless
// wantBody is "", the JSON body (compared as JSON, numbers as written).
func (s *dbStub) sent(t *testing.T, method, path, wantBody string) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.path) != 1 {
		t.Fatalf("stub saw %d requests, want 1", len(s.path))
	}
	if s.method[0] != method || s.path[0] != path {
		t.Errorf("request %s %s, want %s %s", s.method[0], s.path[0], method, path)
	}
	if wantBody == "" {
		if s.body[0] != "" {
			t.Errorf("request body %s, want none", s.body[0])
		}
		return
	}
	if got, want := jsonOf(t, s.body[0]), jsonOf(t, wantBody); !reflect.DeepEqual(got, want) {
		t.Errorf("request body\n got %s\nwant %s", s.body[0], wantBody)
	}
}

// jsonOf decodes s keeping numbers as written.
func jsonOf(t *testing.T, s string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("not JSON: %q: %v", s, err)
	}
	return v
}

func dbErrorCode(t *testing.T, err error) sdk.Code {
	t.Helper()
	var e *sdk.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %T (%v), want *sdk.Error", err, err)
	}
	return e.Code
}

func TestDatabaseQueryKeepsNumbersExact(t *testing.T) {
	stub, db := newDBStub(t, 200, `{"items":[
		{"id":9007199254740993,"min":-9223372036854775808,"ratio":1.5,"whole_real":2.0,"exp":1e3,
		 "huge":18446744073709551616,"name":"ada","blob":"AAEC/w==","flag":true,"none":null}],"count":1}`)
	res, err := db.Query(t.Context(), "SELECT * FROM t WHERE id = ? AND name = ?", int64(1<<53+1), "ada")
	if err != nil {
		t.Fatal(err)
	}
	stub.sent(t, "POST", "/v1/rqlite/query", `{"sql":"SELECT * FROM t WHERE id = ? AND name = ?","args":[9007199254740993,"ada"]}`)
	want := map[string]any{
		"id": int64(1<<53 + 1), "min": int64(math.MinInt64), "ratio": 1.5, "whole_real": 2.0, "exp": 1000.0,
		"huge": 18446744073709551616.0, "name": "ada", "blob": "AAEC/w==", "flag": true, "none": nil,
	}
	if res.Count != 1 || len(res.Items) != 1 {
		t.Fatalf("result %+v", res)
	}
	for k, w := range want {
		if g := res.Items[0][k]; g != w {
			t.Errorf("%s = %#v (%T), want %#v (%T)", k, g, g, w, w)
		}
	}
}

func TestDatabaseQueryWithoutArgsOmitsThem(t *testing.T) {
	stub, db := newDBStub(t, 200, `{"items":[],"count":0}`)
	res, err := db.Query(t.Context(), "SELECT 1 WHERE 0")
	if err != nil {
		t.Fatal(err)
	}
	stub.sent(t, "POST", "/v1/rqlite/query", `{"sql":"SELECT 1 WHERE 0"}`)
	if res.Count != 0 || res.Items == nil || len(res.Items) != 0 {
		t.Errorf("result %+v, want no rows and a non-nil empty slice", res)
	}
}

func TestDatabaseQueryNullItemsIsNoRows(t *testing.T) {
	_, db := newDBStub(t, 200, `{"items":null,"count":0}`)
	res, err := db.Query(t.Context(), "SELECT 1 WHERE 0")
	if err != nil || len(res.Items) != 0 {
		t.Fatalf("Query = %+v, %v", res, err)
	}
}

func TestDatabaseExec(t *testing.T) {
	stub, db := newDBStub(t, 200, `{"rows_affected":2,"last_insert_id":9007199254740993,"execution_state":"ok"}`)
	res, err := db.Exec(t.Context(), "UPDATE t SET n = ? WHERE ok = ?", 1.25, true)
	if err != nil {
		t.Fatal(err)
	}
	stub.sent(t, "POST", "/v1/rqlite/exec", `{"sql":"UPDATE t SET n = ? WHERE ok = ?","args":[1.25,true]}`)
	if res != (client.ExecResult{RowsAffected: 2, LastInsertID: 1<<53 + 1}) {
		t.Errorf("Exec = %+v", res)
	}
}

func TestDatabaseSQLErrorIsInvalidWithEngineMessage(t *testing.T) {
	_, db := newDBStub(t, 400, `{"error":"near \"SELEC\": syntax error","code":"invalid"}`)
	_, err := db.Exec(t.Context(), "SELEC 1")
	var e *sdk.Error
	if !errors.As(err, &e) || e.Code != sdk.CodeInvalid || e.Message != `near "SELEC": syntax error` {
		t.Errorf("got %v, want invalid with the engine's message", err)
	}
}

func TestDatabaseAnswersOfTheWrongShapeAreInternal(t *testing.T) {
	cases := []struct{ name, body string }{
		{"items not an array", `{"items":{},"count":0}`},
		{"row not an object", `{"items":[1],"count":1}`},
		{"count a string", `{"items":[],"count":"0"}`},
		{"answer an array", `[]`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, db := newDBStub(t, 200, c.body)
			_, err := db.Query(t.Context(), "SELECT 1")
			if code := dbErrorCode(t, err); code != sdk.CodeInternal {
				t.Errorf("code %s, want internal", code)
			}
		})
	}
	_, db := newDBStub(t, 200, `{"rows_affected":1.5}`)
	if _, err := db.Exec(t.Context(), "DELETE FROM t"); dbErrorCode(t, err) != sdk.CodeInternal {
		t.Errorf("fractional rows_affected: %v, want internal", err)
	}
}

func TestDatabaseFind(t *testing.T) {
	stub, db := newDBStub(t, 200, `{"items":[{"id":1,"name":"ada"}],"count":1}`)
	opts := client.FindOptions{
		Select: []string{"id", "name"}, OrderBy: []string{"name DESC"}, Limit: 10, Offset: 5,
		Joins: []client.Join{{Kind: "LEFT", Table: "orders", On: "orders.user_id = users.id"}},
	}
	res, err := db.Find(t.Context(), "users", map[string]any{"active": true, "id": int64(1)}, opts)
	if err != nil {
		t.Fatal(err)
	}
	stub.sent(t, "POST", "/v1/rqlite/find", `{"table":"users","criteria":{"active":true,"id":1},"options":{
		"select":["id","name"],"order_by":["name DESC"],"limit":10,"offset":5,
		"joins":[{"kind":"LEFT","table":"orders","on":"orders.user_id = users.id"}]}}`)
	if res.Count != 1 || res.Items[0]["id"] != int64(1) {
		t.Errorf("Find = %+v", res)
	}
}

func TestDatabaseFindWithoutCriteriaSendsEmptyObjects(t *testing.T) {
	stub, db := newDBStub(t, 200, `{"items":[],"count":0}`)
	if _, err := db.Find(t.Context(), "users", nil, client.FindOptions{}); err != nil {
		t.Fatal(err)
	}
	stub.sent(t, "POST", "/v1/rqlite/find", `{"table":"users","criteria":{},"options":{}}`)
}

func TestDatabaseFindOne(t *testing.T) {
	stub, db := newDBStub(t, 200, `{"id":7,"name":"ada"}`)
	row, err := db.FindOne(t.Context(), "users", map[string]any{"name": "ada"}, client.FindOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stub.sent(t, "POST", "/v1/rqlite/find-one", `{"table":"users","criteria":{"name":"ada"},"options":{}}`)
	if row["id"] != int64(7) || row["name"] != "ada" {
		t.Errorf("FindOne = %v", row)
	}
}

func TestDatabaseFindOneNotFound(t *testing.T) {
	_, db := newDBStub(t, 404, `{"error":"not found","code":"not_found"}`)
	_, err := db.FindOne(t.Context(), "users", map[string]any{"name": "nobody"}, client.FindOptions{})
	if code := dbErrorCode(t, err); code != sdk.CodeNotFound {
		t.Errorf("code %s, want not_found", code)
	}
}

func TestDatabaseSelect(t *testing.T) {
	stub, db := newDBStub(t, 200, `{"items":[{"name":"ada","total":9007199254740993}],"count":1}`)
	res, err := db.Select(t.Context(), client.SelectRequest{
		Table: "users", Alias: "u", Select: []string{"u.name", "o.total"},
		Joins:   []client.Join{{Kind: "INNER", Table: "orders o", On: "o.user_id = u.id"}},
		Where:   []client.Where{{Expr: "o.total > ?", Args: []any{int64(10)}}, {Conj: "OR", Expr: "u.name = ?", Args: []any{"ada"}}},
		OrderBy: []string{"o.total DESC"}, Limit: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	stub.sent(t, "POST", "/v1/rqlite/select", `{"table":"users","alias":"u","select":["u.name","o.total"],
		"joins":[{"kind":"INNER","table":"orders o","on":"o.user_id = u.id"}],
		"where":[{"expr":"o.total > ?","args":[10]},{"conj":"OR","expr":"u.name = ?","args":["ada"]}],
		"order_by":["o.total DESC"],"limit":3}`)
	if res.Count != 1 || res.Items[0]["total"] != int64(1<<53+1) {
		t.Errorf("Select = %+v", res)
	}
}

func TestDatabaseSelectOne(t *testing.T) {
	stub, db := newDBStub(t, 200, `{"id":3}`)
	res, err := db.Select(t.Context(), client.SelectRequest{Table: "users", One: true})
	if err != nil {
		t.Fatal(err)
	}
	stub.sent(t, "POST", "/v1/rqlite/select", `{"table":"users","one":true}`)
	if res.Count != 1 || len(res.Items) != 1 || res.Items[0]["id"] != int64(3) {
		t.Errorf("Select one = %+v", res)
	}

	_, db = newDBStub(t, 404, `{"error":"not found","code":"not_found"}`)
	_, err = db.Select(t.Context(), client.SelectRequest{Table: "users", One: true})
	if code := dbErrorCode(t, err); code != sdk.CodeNotFound {
		t.Errorf("code %s, want not_found", code)
	}
}

func TestDatabaseTransaction(t *testing.T) {
	stub, db := newDBStub(t, 200, `{"status":"ok","results":[
		{"rows_affected":1,"last_insert_id":9007199254740993},
		{"items":[{"n":9007199254740993}],"count":1},
		[{"n":2}]]}`)
	ops := []client.TxOp{
		{Kind: client.OpExec, SQL: "INSERT INTO t(n) VALUES (?)", Args: []any{int64(1<<53 + 1)}},
		{Kind: client.OpQuery, SQL: "SELECT n FROM t"},
		{Kind: client.OpQuery, SQL: "SELECT 2 AS n"},
	}
	res, err := db.Transaction(t.Context(), ops, true)
	if err != nil {
		t.Fatal(err)
	}
	stub.sent(t, "POST", "/v1/rqlite/transaction", `{"ops":[
		{"kind":"exec","sql":"INSERT INTO t(n) VALUES (?)","args":[9007199254740993]},
		{"kind":"query","sql":"SELECT n FROM t"},
		{"kind":"query","sql":"SELECT 2 AS n"}],"return_results":true}`)
	want := []client.TxResult{
		{RowsAffected: 1, LastInsertID: 1<<53 + 1},
		{Items: []map[string]any{{"n": int64(1<<53 + 1)}}, Count: 1},
		{Items: []map[string]any{{"n": int64(2)}}, Count: 1},
	}
	if !reflect.DeepEqual(res, want) {
		t.Errorf("Transaction =\n %+v\nwant\n %+v", res, want)
	}
}

func TestDatabaseTransactionWithoutResults(t *testing.T) {
	stub, db := newDBStub(t, 200, `{"status":"ok"}`)
	res, err := db.Transaction(t.Context(), []client.TxOp{{Kind: client.OpExec, SQL: "DELETE FROM t"}}, false)
	if err != nil || res != nil {
		t.Fatalf("Transaction = %v, %v; want nil, nil", res, err)
	}
	stub.sent(t, "POST", "/v1/rqlite/transaction", `{"ops":[{"kind":"exec","sql":"DELETE FROM t"}],"return_results":false}`)
}

func TestDatabaseTransactionFailureIsTheOpsError(t *testing.T) {
	_, db := newDBStub(t, 409, `{"error":"UNIQUE constraint failed: t.n","code":"conflict"}`)
	_, err := db.Transaction(t.Context(), []client.TxOp{{Kind: client.OpExec, SQL: "INSERT INTO t(n) VALUES (1)"}}, true)
	if code := dbErrorCode(t, err); code != sdk.CodeConflict {
		t.Errorf("code %s, want conflict", code)
	}
}

func TestDatabaseStatements(t *testing.T) {
	stub, db := newDBStub(t, 200, `{"status":"ok"}`)
	if err := db.Statements(t.Context(), "CREATE TABLE a(x)", "INSERT INTO a VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	stub.sent(t, "POST", "/v1/rqlite/transaction", `{"statements":["CREATE TABLE a(x)","INSERT INTO a VALUES (1)"]}`)
}

func TestDatabaseStatementsNoneSendsEmptyList(t *testing.T) {
	stub, db := newDBStub(t, 200, `{"status":"ok"}`)
	if err := db.Statements(t.Context()); err != nil {
		t.Fatal(err)
	}
	stub.sent(t, "POST", "/v1/rqlite/transaction", `{"statements":[]}`)
}

func TestDatabaseSchema(t *testing.T) {
	stub, db := newDBStub(t, 200, `{"tables":[{"name":"users","type":"table","sql":"CREATE TABLE users(id INTEGER)"}],"count":1}`)
	tables, err := db.Schema(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	stub.sent(t, "GET", "/v1/rqlite/schema", "")
	want := []client.Table{{Name: "users", Type: "table", SQL: "CREATE TABLE users(id INTEGER)"}}
	if !reflect.DeepEqual(tables, want) {
		t.Errorf("Schema = %+v", tables)
	}
}

func TestDatabaseCreateTable(t *testing.T) {
	stub, db := newDBStub(t, 201, `{"status":"ok"}`)
	if err := db.CreateTable(t.Context(), "CREATE TABLE users(id INTEGER PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	stub.sent(t, "POST", "/v1/rqlite/create-table", `{"schema":"CREATE TABLE users(id INTEGER PRIMARY KEY)"}`)
}

func TestDatabaseDropTable(t *testing.T) {
	stub, db := newDBStub(t, 200, `{"status":"ok"}`)
	if err := db.DropTable(t.Context(), "users"); err != nil {
		t.Fatal(err)
	}
	stub.sent(t, "POST", "/v1/rqlite/drop-table", `{"table":"users"}`)

	_, db = newDBStub(t, 404, `{"error":"no such table: ghosts","code":"not_found"}`)
	if code := dbErrorCode(t, db.DropTable(t.Context(), "ghosts")); code != sdk.CodeNotFound {
		t.Errorf("code %s, want not_found", code)
	}
}
