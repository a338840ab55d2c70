package e2e

import (
	"errors"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/client"
)

// The later steps of databaseFlow: transactions, errors, refusals, the
// result limit, schema and drop-table.

func flowTransaction(t *testing.T, h *host) {
	r := h.sql("transaction", map[string]any{"return_results": true, "ops": []map[string]any{
		{"kind": "exec", "sql": "INSERT INTO items (name, qty) VALUES (?, ?)", "args": []any{"kiwi", 7}},
		{"kind": "query", "sql": "SELECT name, qty FROM items WHERE name = ?", "args": []any{"kiwi"}},
	}})
	if r.want(t, "transaction ops with results", http.StatusOK) &&
		!jsonEqual(r.body, `{"status":"ok","results":[{"rows_affected":1,"last_insert_id":5},{"items":[{"name":"kiwi","qty":7}],"count":1}]}`) {
		t.Errorf("transaction ops answer %s", r.raw)
	}
	r = h.sql("transaction", map[string]any{"ops": []map[string]any{{"kind": "exec", "sql": "UPDATE items SET qty = 8 WHERE name = 'kiwi'"}}})
	if r.want(t, "transaction ops without results", http.StatusOK) && !jsonEqual(r.body, `{"status":"ok"}`) {
		t.Errorf("transaction without return_results: %s, want {\"status\":\"ok\"}", r.raw)
	}
	r = h.sql("transaction", map[string]any{"statements": []string{
		"INSERT INTO tags (item_id, tag) VALUES (5, 'green')",
		"UPDATE items SET price = 0.5 WHERE name = 'kiwi'",
	}})
	if r.want(t, "transaction statements", http.StatusOK) && !jsonEqual(r.body, `{"status":"ok"}`) {
		t.Errorf("transaction statements answer %s", r.raw)
	}
	if n := countWhere(t, h, "items", "name = 'kiwi' AND qty = 8 AND price = 0.5"); n != 1 {
		t.Errorf("after the transactions: %d kiwi rows with qty 8 and price 0.5, want 1", n)
	}

	// All or nothing, in both shapes: a failing statement undoes the ones
	// before it.
	r = h.sql("transaction", map[string]any{"ops": []map[string]any{
		{"kind": "exec", "sql": "INSERT INTO items (name) VALUES (?)", "args": []any{"mango"}},
		{"kind": "exec", "sql": "INSERT INTO items (name) VALUES (?)", "args": []any{"apple"}},
	}})
	r.want(t, "transaction with a UNIQUE violation", http.StatusConflict)
	r = h.sql("transaction", map[string]any{"return_results": true, "ops": []map[string]any{
		{"kind": "exec", "sql": "INSERT INTO items (name) VALUES (?)", "args": []any{"mango"}},
		{"kind": "query", "sql": "SELECT nope FROM items"},
	}})
	r.want(t, "transaction with a failing query", http.StatusBadRequest)
	if n := countWhere(t, h, "items", "name = ?", "mango"); n != 0 {
		t.Errorf("failed transactions left %d mango rows, want 0", n)
	}
	r = h.sql("transaction", map[string]any{"statements": []string{
		"INSERT INTO tags (item_id, tag) VALUES (9, 'ghost')",
		"INSERT INTO no_such_table VALUES (1)",
	}})
	if r.want(t, "transaction statements with a failing one", http.StatusBadRequest) && !strings.Contains(r.errorText(), "no such table") {
		t.Errorf("failing statements: message %q lacks the engine's \"no such table\"", r.errorText())
	}
	if n := countWhere(t, h, "tags", "tag = 'ghost'"); n != 0 {
		t.Errorf("failed statements left %d ghost tags, want 0", n)
	}
	for what, body := range map[string]any{
		"both shapes":  map[string]any{"statements": []string{"SELECT 1"}, "ops": []map[string]any{{"kind": "query", "sql": "SELECT 1"}}},
		"no ops":       map[string]any{},
		"unknown kind": map[string]any{"ops": []map[string]any{{"kind": "merge", "sql": "SELECT 1"}}},
	} {
		h.sql("transaction", body).want(t, "transaction with "+what, http.StatusBadRequest)
	}

	db := h.Client.Database()
	res, err := db.Transaction(ctxT(t), []client.TxOp{
		{Kind: client.OpExec, SQL: "INSERT INTO items (name, qty) VALUES (?, ?)", Args: []any{"fig", 2}},
		{Kind: client.OpQuery, SQL: "SELECT qty FROM items WHERE name = ?", Args: []any{"fig"}},
	}, true)
	if err != nil || len(res) != 2 || res[0].RowsAffected != 1 || res[0].LastInsertID != 6 ||
		!reflect.DeepEqual(res[1].Items, []map[string]any{{"qty": int64(2)}}) {
		t.Errorf("client Transaction: %+v %v", res, err)
	}
	if err := db.Statements(ctxT(t), "UPDATE items SET qty = 3 WHERE name = 'fig'", "INSERT INTO tags (item_id, tag) VALUES (6, 'sweet')"); err != nil {
		t.Errorf("client Statements: %v", err)
	}
	err = db.Statements(ctxT(t), "DELETE FROM items WHERE name = 'fig'", "SELEC oops")
	if !isCode(err, sdk.CodeInvalid) {
		t.Errorf("client Statements with malformed SQL: %v, want invalid", err)
	}
	if n := countWhere(t, h, "items", "name = 'fig' AND qty = 3"); n != 1 {
		t.Errorf("fig rows after a failed delete: %d, want 1", n)
	}
}

func flowErrors(t *testing.T, h *host) {
	for _, c := range []struct{ route, sql, word string }{
		{"query", "SELEC name FROM items", "syntax error"},
		{"query", "SELECT * FROM items WHERE id = = 1", "syntax error"},
		{"exec", "INSERT INTO items VALUS (1)", "syntax error"},
		{"query", "SELECT * FROM missing_table", "no such table"},
		{"query", "SELECT nope FROM items", "no such column"},
		{"exec", "UPDATE items SET nope = 1", "no such column"},
	} {
		r := h.sql(c.route, map[string]any{"sql": c.sql})
		if r.want(t, c.route+" "+c.sql, http.StatusBadRequest) && !strings.Contains(r.errorText(), c.word) {
			t.Errorf("%s %q: message %q lacks the engine's %q", c.route, c.sql, r.errorText(), c.word)
		}
	}
	h.sql("query", map[string]any{"sql": "  "}).want(t, "query of blank SQL", http.StatusBadRequest)
	h.do(http.MethodPost, "/v1/rqlite/query", `{"sql":`).want(t, "query with a broken body", http.StatusBadRequest)
	h.sql("find", map[string]any{"table": "items; DROP TABLE items"}).want(t, "find of a bad table name", http.StatusBadRequest)

	_, err := h.Client.Database().Query(ctxT(t), "SELEC 1")
	var e *sdk.Error
	if !errors.As(err, &e) || e.Code != sdk.CodeInvalid || !strings.Contains(e.Message, "syntax error") {
		t.Errorf("client Query of malformed SQL: %v, want invalid with \"syntax error\"", err)
	}
}

// flowRefused: nothing reaches SQLite's own tables, another namespace's
// physical tables (the system's, which the host migrated at start) or
// other databases.
func flowRefused(t *testing.T, h *host) {
	for _, c := range []struct{ route, sql string }{
		{"query", "SELECT * FROM sqlite_master"},
		{"query", "SELECT name, sql FROM sqlite_schema"},
		{"query", `SELECT * FROM "_system$schema_migrations"`},
		{"query", `SELECT id FROM "_system$nodes"`},
		{"query", `SELECT * FROM items JOIN "_system$nodes" ON 1`},
		{"exec", `DELETE FROM "_system$nodes"`},
		{"exec", `INSERT INTO "_system$schema_migrations" (version, name, applied_at) VALUES (999, 'x', 0)`},
		{"exec", `DROP TABLE "_system$nodes"`},
		{"exec", "ATTACH DATABASE 'other.db' AS other"},
		{"exec", "PRAGMA writable_schema = 1"},
	} {
		h.sql(c.route, map[string]any{"sql": c.sql}).want(t, c.route+" "+c.sql, http.StatusForbidden, http.StatusBadRequest)
	}
	r := h.sql("transaction", map[string]any{"return_results": true, "ops": []map[string]any{{"kind": "query", "sql": "SELECT * FROM sqlite_master"}}})
	r.want(t, "transaction reading sqlite_master", http.StatusForbidden, http.StatusBadRequest)
	h.sql("find", map[string]any{"table": "sqlite_master"}).want(t, "find on sqlite_master", http.StatusForbidden, http.StatusBadRequest, http.StatusNotFound)
}

func flowLimit(t *testing.T, h *host) {
	db := h.Client.Database()
	if err := db.CreateTable(ctxT(t), "CREATE TABLE nums (n INTEGER)"); err != nil {
		t.Fatal(err)
	}
	total := flowMaxRows + 5
	args := make([]any, total)
	for i := range args {
		args[i] = i
	}
	if _, err := db.Exec(ctxT(t), "INSERT INTO nums (n) VALUES "+strings.TrimSuffix(strings.Repeat("(?),", total), ","), args...); err != nil {
		t.Fatalf("fill nums: %v", err)
	}
	for what, r := range map[string]rawResponse{
		"query":       h.sql("query", map[string]any{"sql": "SELECT n FROM nums"}),
		"find":        h.sql("find", map[string]any{"table": "nums"}),
		"select":      h.sql("select", map[string]any{"table": "nums", "order_by": []string{"n"}}),
		"transaction": h.sql("transaction", map[string]any{"return_results": true, "ops": []map[string]any{{"kind": "query", "sql": "SELECT n FROM nums"}}}),
	} {
		if r.want(t, what+" over max_rows", http.StatusRequestEntityTooLarge) && r.body["code"] != nil && r.body["code"] != "too_large" {
			t.Errorf("%s over max_rows: code %v, want too_large", what, r.body["code"])
		}
	}
	r := h.sql("query", map[string]any{"sql": "SELECT n FROM nums ORDER BY n LIMIT ?", "args": []any{flowMaxRows}})
	if r.want(t, "query of exactly max_rows", http.StatusOK) && len(r.items(t, "query of exactly max_rows")) != flowMaxRows {
		t.Errorf("query of exactly max_rows: %d items, want %d", len(r.items(t, "")), flowMaxRows)
	}
	if _, err := db.Query(ctxT(t), "SELECT n FROM nums"); !isCode(err, sdk.CodeTooLarge) {
		t.Errorf("client Query over max_rows: %v, want too_large", err)
	}
}

func flowSchemaDrop(t *testing.T, h *host) {
	r := h.do(http.MethodGet, "/v1/rqlite/schema", "")
	r.want(t, "schema", http.StatusOK)
	tables, _ := r.body["tables"].([]any)
	if c, _ := r.body["count"].(float64); int(c) != len(tables) {
		t.Errorf("schema count %v for %d tables", r.body["count"], len(tables))
	}
	var names []string
	for _, e := range tables {
		tb, _ := e.(map[string]any)
		name, _ := tb["name"].(string)
		sql, _ := tb["sql"].(string)
		if tb["type"] == "table" {
			names = append(names, name)
		}
		if strings.Contains(name, "$") || strings.Contains(sql, "$") || strings.Contains(sql, "default") {
			t.Errorf("schema shows a physical name: %v", tb)
		}
		if name == "items" && (tb["type"] != "table" || !strings.HasPrefix(sql, "CREATE TABLE") || !strings.Contains(sql, "qty") || !strings.Contains(sql, "UNIQUE")) {
			t.Errorf("schema entry of items: %v", tb)
		}
	}
	sort.Strings(names)
	if !reflect.DeepEqual(names, []string{"items", "nums", "tags"}) {
		t.Errorf("schema lists %v, want the tables [items nums tags] (no system or SQLite tables)", names)
	}

	r = h.sql("drop-table", map[string]any{"table": "tags"})
	if r.want(t, "drop-table", http.StatusOK) && !jsonEqual(r.body, `{"status":"ok"}`) {
		t.Errorf("drop-table answer %s", r.raw)
	}
	r = h.sql("drop-table", map[string]any{"table": "tags"})
	r.want(t, "drop-table of a missing table", http.StatusNotFound)
	for _, bad := range []string{"", "bad name", "a$b", "items;", "main.items", `"items"`} {
		h.sql("drop-table", map[string]any{"table": bad}).want(t, "drop-table "+bad, http.StatusBadRequest)
	}
	db := h.Client.Database()
	if err := db.DropTable(ctxT(t), "nums"); err != nil {
		t.Errorf("client DropTable: %v", err)
	}
	if err := db.DropTable(ctxT(t), "nums"); !isCode(err, sdk.CodeNotFound) {
		t.Errorf("client DropTable of a missing table: %v, want not_found", err)
	}
	list, err := db.Schema(ctxT(t))
	var left []string
	for _, tb := range list {
		if tb.Type == "table" {
			left = append(left, tb.Name)
		}
	}
	if err != nil || !reflect.DeepEqual(left, []string{"items"}) {
		t.Errorf("client Schema after the drops: %+v %v, want only the table items", list, err)
	}
	r = h.sql("query", map[string]any{"sql": "SELECT * FROM tags"})
	if r.want(t, "query of a dropped table", http.StatusBadRequest) && !strings.Contains(r.errorText(), "no such table") {
		t.Errorf("query of a dropped table: %q", r.errorText())
	}
	// Nothing of the steps above leaked into the items table.
	if n := countWhere(t, h, "items", "1"); n != 6 {
		t.Errorf("items has %d rows, want 6 (apple pear plum big kiwi fig)", n)
	}
}
