package orm_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/client"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/orm"

	_ "modernc.org/sqlite"
)

// gateway is a stand-in for an Orama gateway: the /v1/rqlite routes of
// API.md over a real in-memory SQLite database (one per gateway). Request
// bodies are decoded keeping numbers exact and whole numbers are bound as
// int64, as the real gateway does. It records the paths it served.
type gateway struct {
	*httptest.Server
	sql *sql.DB

	mu    sync.Mutex
	paths []string
}

// newGateway starts a gateway; Close stops it and drops its database.
func newGateway() (*gateway, error) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return nil, err
	}
	// Every connection to ":memory:" is a database of its own: keep one.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	g := &gateway{sql: db}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/rqlite/query", g.handle(g.query))
	mux.HandleFunc("POST /v1/rqlite/exec", g.handle(g.exec))
	mux.HandleFunc("POST /v1/rqlite/find", g.handle(g.find(false)))
	mux.HandleFunc("POST /v1/rqlite/find-one", g.handle(g.find(true)))
	mux.HandleFunc("POST /v1/rqlite/select", g.handle(g.selectRows))
	mux.HandleFunc("POST /v1/rqlite/transaction", g.handle(g.transaction))
	mux.HandleFunc("GET /v1/rqlite/schema", g.handle(g.schema))
	mux.HandleFunc("POST /v1/rqlite/create-table", g.handle(g.createTable))
	mux.HandleFunc("POST /v1/rqlite/drop-table", g.handle(g.dropTable))
	g.Server = httptest.NewServer(mux)
	return g, nil
}

// mustGateway is newGateway for examples.
func mustGateway() *gateway {
	g, err := newGateway()
	if err != nil {
		panic(err)
	}
	return g
}

// startGateway starts a gateway for a test and returns an orm.DB on it.
func startGateway(t testing.TB) (*gateway, *orm.DB) {
	t.Helper()
	g, err := newGateway()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(g.Close)
	return g, orm.New(g.client().Database())
}

func (g *gateway) client() *client.Client { return client.New(g.URL) }

// Close stops the server and closes the database.
func (g *gateway) Close() {
	g.Server.Close()
	_ = g.sql.Close()
}

// served returns the paths served so far and forgets them.
func (g *gateway) served() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	p := g.paths
	g.paths = nil
	return p
}

// mustExec runs SQL directly on the gateway's database (test setup).
func (g *gateway) mustExec(t testing.TB, q string, args ...any) {
	t.Helper()
	if _, err := g.sql.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// handlerFunc serves one route: a status and body, or an error.
type handlerFunc func(ctx context.Context, body map[string]any) (int, any, error)

func (g *gateway) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		g.paths = append(g.paths, r.URL.Path)
		g.mu.Unlock()
		body := map[string]any{}
		if r.Method == http.MethodPost {
			dec := json.NewDecoder(r.Body)
			dec.UseNumber()
			if err := dec.Decode(&body); err != nil {
				reply(w, 400, map[string]string{"error": "invalid JSON body", "code": "invalid"})
				return
			}
			body = bindNumbers(body).(map[string]any)
		}
		status, out, err := h(r.Context(), body)
		if err != nil {
			e := sqlError(err)
			reply(w, e.Code.HTTPStatus(), map[string]string{"error": e.Message, "code": string(e.Code)})
			return
		}
		reply(w, status, out)
	}
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// bindNumbers turns JSON numbers written as integers into int64 and the
// others into float64, as the gateway binds them.
func bindNumbers(v any) any {
	switch t := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(t), 10, 64); err == nil {
			return i
		}
		f, _ := t.Float64()
		return f
	case map[string]any:
		for k, e := range t {
			t[k] = bindNumbers(e)
		}
	case []any:
		for i, e := range t {
			t[i] = bindNumbers(e)
		}
	}
	return v
}

// sqlError maps an engine error to the API's codes.
func sqlError(err error) *sdk.Error {
	var e *sdk.Error
	if errors.As(err, &e) {
		return e
	}
	if strings.Contains(err.Error(), "constraint failed") {
		return &sdk.Error{Code: sdk.CodeConflict, Message: err.Error()}
	}
	return &sdk.Error{Code: sdk.CodeInvalid, Message: err.Error()}
}

// runner is what query and exec run on: the database or a transaction.
type runner interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

func statementOf(body map[string]any) (string, []any, error) {
	q, _ := body["sql"].(string)
	if q == "" {
		return "", nil, sdk.Errorf(sdk.CodeInvalid, "sql is required")
	}
	args, _ := body["args"].([]any)
	return q, args, nil
}

func (g *gateway) query(ctx context.Context, body map[string]any) (int, any, error) {
	q, args, err := statementOf(body)
	if err != nil {
		return 0, nil, err
	}
	items, err := queryRows(ctx, g.sql, q, args)
	if err != nil {
		return 0, nil, err
	}
	return 200, map[string]any{"items": items, "count": len(items)}, nil
}

func (g *gateway) exec(ctx context.Context, body map[string]any) (int, any, error) {
	q, args, err := statementOf(body)
	if err != nil {
		return 0, nil, err
	}
	res, err := execResult(ctx, g.sql, q, args)
	if err != nil {
		return 0, nil, err
	}
	res["execution_state"] = "ok"
	return 200, res, nil
}

// queryRows runs q and returns its rows as column → cell maps. BLOBs
// ([]byte) become base64 strings when encoded as JSON.
func queryRows(ctx context.Context, r runner, q string, args []any) ([]map[string]any, error) {
	rows, err := r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	items := []map[string]any{}
	for rows.Next() {
		cells := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range cells {
			ptrs[i] = &cells[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		item := make(map[string]any, len(cols))
		for i, c := range cols {
			if t, ok := cells[i].(time.Time); ok { // the driver parses DATETIME columns
				cells[i] = t.Format(time.RFC3339Nano)
			}
			item[c] = cells[i]
		}
		items = append(items, item)
	}
	return items, rows.Err()
}

func execResult(ctx context.Context, r runner, q string, args []any) (map[string]any, error) {
	res, err := r.ExecContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	n, _ := res.RowsAffected()
	id, _ := res.LastInsertId()
	return map[string]any{"rows_affected": n, "last_insert_id": id}, nil
}

// transaction serves both shapes: {ops, return_results} and {statements}.
func (g *gateway) transaction(ctx context.Context, body map[string]any) (int, any, error) {
	type op struct {
		kind, sql string
		args      []any
	}
	var ops []op
	if stmts, ok := body["statements"].([]any); ok {
		for _, s := range stmts {
			ops = append(ops, op{kind: "exec", sql: str(s)})
		}
	} else {
		list, _ := body["ops"].([]any)
		for _, o := range list {
			m, _ := o.(map[string]any)
			args, _ := m["args"].([]any)
			ops = append(ops, op{kind: str(m["kind"]), sql: str(m["sql"]), args: args})
		}
	}
	if len(ops) == 0 {
		return 0, nil, sdk.Errorf(sdk.CodeInvalid, "no ops")
	}
	tx, err := g.sql.BeginTx(ctx, nil)
	if err != nil {
		return 0, nil, err
	}
	defer func() { _ = tx.Rollback() }() // a no-op after Commit
	results := make([]any, 0, len(ops))
	for i, o := range ops {
		switch o.kind {
		case "exec":
			res, err := execResult(ctx, tx, o.sql, o.args)
			if err != nil {
				return 0, nil, fmt.Errorf("op %d: %w", i, err)
			}
			results = append(results, res)
		case "query":
			items, err := queryRows(ctx, tx, o.sql, o.args)
			if err != nil {
				return 0, nil, fmt.Errorf("op %d: %w", i, err)
			}
			results = append(results, map[string]any{"items": items, "count": len(items)})
		default:
			return 0, nil, sdk.Errorf(sdk.CodeInvalid, "op %d: kind must be exec or query", i)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, nil, err
	}
	out := map[string]any{"status": "ok"}
	if rr, _ := body["return_results"].(bool); rr {
		out["results"] = results
	}
	return 200, out, nil
}

func (g *gateway) schema(ctx context.Context, _ map[string]any) (int, any, error) {
	items, err := queryRows(ctx, g.sql, "SELECT name, type, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name", nil)
	if err != nil {
		return 0, nil, err
	}
	return 200, map[string]any{"tables": items, "count": len(items)}, nil
}

func (g *gateway) createTable(ctx context.Context, body map[string]any) (int, any, error) {
	schema := str(body["schema"])
	if !strings.HasPrefix(strings.ToUpper(strings.TrimSpace(schema)), "CREATE TABLE") {
		return 0, nil, sdk.Errorf(sdk.CodeInvalid, "schema must be one CREATE TABLE statement")
	}
	if _, err := g.sql.ExecContext(ctx, schema); err != nil {
		return 0, nil, err
	}
	return 201, map[string]string{"status": "ok"}, nil
}

func (g *gateway) dropTable(ctx context.Context, body map[string]any) (int, any, error) {
	table := str(body["table"])
	if err := database.CheckIdent("table", table); err != nil {
		return 0, nil, err
	}
	var n int
	if err := g.sql.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", table).Scan(&n); err != nil {
		return 0, nil, err
	}
	if n == 0 {
		return 0, nil, sdk.Errorf(sdk.CodeNotFound, "no such table: %s", table)
	}
	if _, err := g.sql.ExecContext(ctx, "DROP TABLE "+table); err != nil {
		return 0, nil, err
	}
	return 200, map[string]string{"status": "ok"}, nil
}
