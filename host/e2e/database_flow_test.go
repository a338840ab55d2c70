package e2e

import (
	"fmt"
	"math"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/client"
)

// databaseFlow drives every /v1/rqlite route through h, whose database
// plugin uses driver and has max_rows = flowMaxRows. Raw HTTP checks the
// statuses and shapes of API.md; sdk/client checks the same routes as an
// application uses them. The steps build on each other, so a failing step
// stops the flow.
func databaseFlow(t *testing.T, h *host, driver string) {
	waitBackendOK(t, h, driver)
	steps := []struct {
		name string
		fn   func(*testing.T, *host)
	}{
		{"create-table", flowCreateTable},
		{"exec", flowExec},
		{"query", flowQuery},
		{"exact integers", flowExactIntegers},
		{"find", flowFind},
		{"select", flowSelect},
		{"transaction", flowTransaction},
		{"errors", flowErrors},
		{"refused", flowRefused},
		{"result limit", flowLimit},
		{"schema and drop-table", flowSchemaDrop},
	}
	for _, s := range steps {
		if !t.Run(s.name, func(t *testing.T) { s.fn(t, h) }) {
			t.Fatalf("step %q failed; later steps depend on it", s.name)
		}
	}
}

const itemsDDL = `CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, qty INTEGER, price REAL, big INTEGER)`

func flowCreateTable(t *testing.T, h *host) {
	r := h.sql("create-table", map[string]any{"schema": itemsDDL})
	if r.want(t, "create-table", http.StatusCreated) && !jsonEqual(r.body, `{"status":"ok"}`) {
		t.Errorf("create-table answer %s, want {\"status\":\"ok\"}", r.raw)
	}
	if err := h.Client.Database().CreateTable(ctxT(t), "CREATE TABLE tags (item_id INTEGER NOT NULL, tag TEXT NOT NULL)"); err != nil {
		t.Fatalf("client CreateTable: %v", err)
	}
	h.sql("create-table", map[string]any{"schema": itemsDDL}).want(t, "create-table of an existing table", http.StatusBadRequest, http.StatusConflict)
	r = h.sql("create-table", map[string]any{"schema": "CREATE TABLE (x)"})
	if r.want(t, "create-table of malformed SQL", http.StatusBadRequest) && !strings.Contains(r.errorText(), "syntax error") {
		t.Errorf("create-table of malformed SQL: message %q lacks the engine's \"syntax error\"", r.errorText())
	}
	h.sql("create-table", map[string]any{"schema": ""}).want(t, "create-table without schema", http.StatusBadRequest)
}

func flowExec(t *testing.T, h *host) {
	r := h.sql("exec", map[string]any{"sql": "INSERT INTO items (name, qty, price) VALUES (?, ?, ?)", "args": []any{"apple", 3, 1.5}})
	if r.want(t, "exec insert", http.StatusOK) && !jsonEqual(r.body, `{"rows_affected":1,"last_insert_id":1,"execution_state":"ok"}`) {
		t.Errorf("exec answer %s", r.raw)
	}
	db := h.Client.Database()
	for i, name := range []string{"pear", "plum"} {
		res, err := db.Exec(ctxT(t), "INSERT INTO items (name, qty, price) VALUES (?, ?, ?)", name, 10*(i+1), 2.25)
		if err != nil || res.RowsAffected != 1 || res.LastInsertID != int64(i+2) {
			t.Fatalf("client Exec insert %s: %+v %v", name, res, err)
		}
	}
	res, err := db.Exec(ctxT(t), "UPDATE items SET qty = qty + 1 WHERE qty >= ?", 10)
	if err != nil || res.RowsAffected != 2 {
		t.Errorf("client Exec update: %+v %v, want 2 rows affected", res, err)
	}
	r = h.sql("exec", map[string]any{"sql": "INSERT INTO items (name) VALUES (?)", "args": []any{"apple"}})
	r.want(t, "exec of a UNIQUE violation", http.StatusConflict)
	if _, err := db.Exec(ctxT(t), "INSERT INTO items (name) VALUES (NULL)"); !isCode(err, sdk.CodeConflict) {
		t.Errorf("client Exec of a NOT NULL violation: %v, want conflict", err)
	}
	if _, err := db.Exec(ctxT(t), "INSERT INTO tags (item_id, tag) VALUES (1, 'red'), (1, 'fruit'), (2, 'green')"); err != nil {
		t.Fatalf("insert tags: %v", err)
	}
}

func flowQuery(t *testing.T, h *host) {
	r := h.sql("query", map[string]any{"sql": "SELECT id, name, qty, price FROM items WHERE id = ?", "args": []any{1}})
	if r.want(t, "query", http.StatusOK) && !jsonEqual(r.body, `{"items":[{"id":1,"name":"apple","qty":3,"price":1.5}],"count":1}`) {
		t.Errorf("query answer %s", r.raw)
	}
	r = h.sql("query", map[string]any{"sql": "SELECT id FROM items WHERE name = ?", "args": []any{"none"}})
	if r.want(t, "query without rows", http.StatusOK) && !jsonEqual(r.body, `{"items":[],"count":0}`) {
		t.Errorf("query without rows: %s, want {\"items\":[],\"count\":0}", r.raw)
	}
	q, err := h.Client.Database().Query(ctxT(t), "SELECT name, qty, price FROM items ORDER BY id")
	want := []map[string]any{
		{"name": "apple", "qty": int64(3), "price": 1.5},
		{"name": "pear", "qty": int64(11), "price": 2.25},
		{"name": "plum", "qty": int64(21), "price": 2.25},
	}
	if err != nil || q.Count != 3 || !reflect.DeepEqual(q.Items, want) {
		t.Errorf("client Query: %+v %v, want %v", q, err, want)
	}
}

// flowExactIntegers: 2^53+1 and the int64 extremes go in and come out
// exactly, in raw JSON and through the client.
func flowExactIntegers(t *testing.T, h *host) {
	r := h.do(http.MethodPost, "/v1/rqlite/exec", `{"sql":"INSERT INTO items (name, big) VALUES (?, ?)","args":["big",9007199254740993]}`)
	r.want(t, "exec with 2^53+1", http.StatusOK)
	r = h.do(http.MethodPost, "/v1/rqlite/query", `{"sql":"SELECT big, big - 9007199254740992 AS diff FROM items WHERE big = ?","args":[9007199254740993]}`)
	if r.want(t, "query of 2^53+1", http.StatusOK) && !strings.Contains(string(r.raw), `"big":9007199254740993`) || !strings.Contains(string(r.raw), `"diff":1`) {
		t.Errorf("query of 2^53+1: %s, want big 9007199254740993 and diff 1", r.raw)
	}
	db := h.Client.Database()
	for _, v := range []int64{1<<53 + 1, math.MaxInt64, math.MinInt64} {
		if _, err := db.Exec(ctxT(t), "UPDATE items SET big = ? WHERE name = 'pear'", v); err != nil {
			t.Fatalf("client Exec big = %d: %v", v, err)
		}
		row, err := db.FindOne(ctxT(t), "items", map[string]any{"big": v}, client.FindOptions{Select: []string{"name", "big"}})
		if err != nil || row["name"] != "pear" || row["big"] != v {
			t.Errorf("client FindOne big = %d: %v %v", v, row, err)
		}
	}
	if _, err := db.Exec(ctxT(t), "UPDATE items SET big = NULL WHERE name = 'pear'"); err != nil {
		t.Fatal(err)
	}
}

func flowFind(t *testing.T, h *host) {
	r := h.sql("find", map[string]any{"table": "items", "criteria": map[string]any{"name": "pear"}, "options": map[string]any{"select": []string{"id", "name"}}})
	if r.want(t, "find", http.StatusOK) && !jsonEqual(r.body, `{"items":[{"id":2,"name":"pear"}],"count":1}`) {
		t.Errorf("find answer %s", r.raw)
	}
	r = h.sql("find-one", map[string]any{"table": "items", "criteria": map[string]any{"name": "plum"}, "options": map[string]any{"select": []string{"id", "qty"}}})
	if r.want(t, "find-one", http.StatusOK) && !jsonEqual(r.body, `{"id":3,"qty":21}`) {
		t.Errorf("find-one answer %s, want the row object", r.raw)
	}
	r = h.sql("find-one", map[string]any{"table": "items", "criteria": map[string]any{"name": "durian"}})
	if r.want(t, "find-one without a match", http.StatusNotFound) && r.errorText() != "not found" {
		t.Errorf("find-one without a match: message %q, want \"not found\"", r.errorText())
	}

	db := h.Client.Database()
	q, err := db.Find(ctxT(t), "items", nil, client.FindOptions{Select: []string{"id"}, OrderBy: []string{"id DESC"}, Limit: 2, Offset: 1})
	if err != nil || !reflect.DeepEqual(q.Items, []map[string]any{{"id": int64(3)}, {"id": int64(2)}}) {
		t.Errorf("client Find order/limit/offset: %+v %v", q, err)
	}
	q, err = db.Find(ctxT(t), "items", map[string]any{"items.id": 1}, client.FindOptions{
		Select: []string{"items.name", "tags.tag"}, OrderBy: []string{"tags.tag"},
		Joins: []client.Join{{Kind: "INNER", Table: "tags", On: "tags.item_id = items.id"}},
	})
	want := []map[string]any{{"name": "apple", "tag": "fruit"}, {"name": "apple", "tag": "red"}}
	if err != nil || !reflect.DeepEqual(q.Items, want) {
		t.Errorf("client Find with a join: %+v %v, want %v", q, err, want)
	}
	q, err = db.Find(ctxT(t), "tags", nil, client.FindOptions{Select: []string{"item_id", "COUNT(*) AS n"}, GroupBy: []string{"item_id"}, OrderBy: []string{"item_id"}})
	if err != nil || !reflect.DeepEqual(q.Items, []map[string]any{{"item_id": int64(1), "n": int64(2)}, {"item_id": int64(2), "n": int64(1)}}) {
		t.Errorf("client Find group_by: %+v %v", q, err)
	}
	if _, err := db.FindOne(ctxT(t), "items", map[string]any{"id": 99}, client.FindOptions{}); !isCode(err, sdk.CodeNotFound) {
		t.Errorf("client FindOne without a match: %v, want not_found", err)
	}
}

func flowSelect(t *testing.T, h *host) {
	body := map[string]any{
		"table": "items", "alias": "i", "select": []string{"i.name", "t.tag"},
		"joins":    []map[string]any{{"kind": "LEFT", "table": "tags AS t", "on": "t.item_id = i.id"}},
		"where":    []map[string]any{{"expr": "i.qty > ?", "args": []any{5}}, {"conj": "OR", "expr": "i.name = ?", "args": []any{"apple"}}},
		"order_by": []string{"i.id", "t.tag"}, "limit": 10,
	}
	r := h.sql("select", body)
	if r.want(t, "select", http.StatusOK) && !jsonEqual(r.body, `{"items":[{"name":"apple","tag":"fruit"},{"name":"apple","tag":"red"},{"name":"pear","tag":"green"},{"name":"plum","tag":null}],"count":4}`) {
		t.Errorf("select answer %s", r.raw)
	}
	one := map[string]any{"table": "items", "select": []string{"name"}, "where": []map[string]any{{"expr": "qty = ?", "args": []any{11}}}, "one": true}
	r = h.sql("select", one)
	if r.want(t, "select one", http.StatusOK) && !jsonEqual(r.body, `{"name":"pear"}`) {
		t.Errorf("select one answer %s, want the row object", r.raw)
	}
	one["where"] = []map[string]any{{"expr": "qty = ?", "args": []any{12345}}}
	r = h.sql("select", one)
	if r.want(t, "select one without a match", http.StatusNotFound) && r.errorText() != "not found" {
		t.Errorf("select one without a match: message %q, want \"not found\"", r.errorText())
	}

	db := h.Client.Database()
	q, err := db.Select(ctxT(t), client.SelectRequest{Table: "items", Select: []string{"SUM(qty) AS total", "COUNT(*) AS n"}})
	if err != nil || !reflect.DeepEqual(q.Items, []map[string]any{{"total": int64(35), "n": int64(4)}}) {
		t.Errorf("client Select aggregates: %+v %v", q, err)
	}
	q, err = db.Select(ctxT(t), client.SelectRequest{Table: "items", Select: []string{"id"}, Where: []client.Where{{Expr: "name = ?", Args: []any{"plum"}}}, One: true})
	if err != nil || q.Count != 1 || q.Items[0]["id"] != int64(3) {
		t.Errorf("client Select one: %+v %v", q, err)
	}
	if _, err := db.Select(ctxT(t), client.SelectRequest{Table: "items", Where: []client.Where{{Expr: "id < 0"}}, One: true}); !isCode(err, sdk.CodeNotFound) {
		t.Errorf("client Select one without a match: %v, want not_found", err)
	}
}

// countWhere counts the rows of table matching where, through the gateway.
func countWhere(t *testing.T, h *host, table, where string, args ...any) int64 {
	t.Helper()
	q, err := h.Client.Database().Query(ctxT(t), fmt.Sprintf("SELECT COUNT(*) AS n FROM %s WHERE %s", table, where), args...)
	if err != nil || len(q.Items) != 1 {
		t.Fatalf("count %s where %s: %+v %v", table, where, q, err)
	}
	n, _ := q.Items[0]["n"].(int64)
	return n
}
