// Package database is the HTTP adapter of the database domain: the
// /v1/rqlite/* routes of API.md translated to calls on sdk/database's
// Database, in the caller's namespace.
//
// Each handler validates its request, resolves the caller's namespace and
// makes one call on the database domain bounded by the request timeout.
// Errors of the plugin (*sdk.Error) pass through the error adapter
// unchanged: invalid (400, the engine's message), forbidden, not_found,
// conflict, too_large, unavailable (503 + Retry-After).
//
// Arguments bind as described in args.go; result cells encode as described
// in encode.go (BLOBs as base64); find, find-one and select build their
// SELECT with sdk/database's BuildSelect (find.go maps the requests).
package database

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

// Handlers serves the database routes.
type Handlers struct {
	api.Domain[database.Database]
}

// New returns the database handlers over the domain get returns, each
// plugin call bounded by timeout.
func New(get func(context.Context) (database.Database, error), timeout time.Duration) *Handlers {
	return &Handlers{api.Domain[database.Database]{Plugin: get, Timeout: timeout}}
}

type sqlRequest struct {
	SQL  string            `json:"sql"`
	Args []json.RawMessage `json:"args"`
}

type execResponse struct {
	RowsAffected   int64  `json:"rows_affected"`
	LastInsertID   int64  `json:"last_insert_id"`
	ExecutionState string `json:"execution_state"`
}

type createTableRequest struct {
	Schema string `json:"schema"`
}

type dropTableRequest struct {
	Table string `json:"table"`
}

type schemaTable struct {
	Name string `json:"name"`
	Type string `json:"type"`
	SQL  string `json:"sql"`
}

type schemaResponse struct {
	Tables []schemaTable `json:"tables"`
	Count  int           `json:"count"`
}

// withDatabase runs fn with the caller's namespace and the database
// domain, under a context bounded by the request timeout. The system
// namespace is refused (403): clients never act in it.
func (h *Handlers) withDatabase(r *http.Request, fn func(ctx context.Context, db database.Database, ns string) error) error {
	ns, err := api.Namespace(r.Context())
	if err != nil {
		return err
	}
	if ns == database.SystemNamespace {
		return sdk.Errorf(sdk.CodeForbidden, "namespace %q is reserved", ns)
	}
	return h.Do(r, func(ctx context.Context, db database.Database) error {
		return fn(ctx, db, ns)
	})
}

// statement validates sql and binds args into a Statement.
func statement(field, sql string, args []json.RawMessage) (database.Statement, error) {
	if strings.TrimSpace(sql) == "" {
		return database.Statement{}, api.Invalidf("%s is required", field)
	}
	if len(sql) > database.MaxSQLLen {
		return database.Statement{}, api.Invalidf("%s longer than %d bytes", field, database.MaxSQLLen)
	}
	argsField := "args"
	if i := strings.LastIndexByte(field, '.'); i >= 0 {
		argsField = field[:i+1] + "args"
	}
	vals, err := bindArgs(argsField, args)
	if err != nil {
		return database.Statement{}, err
	}
	return database.Statement{SQL: sql, Args: vals}, nil
}

// sqlStatement decodes the body of query and exec (a sqlRequest) into
// its statement.
func sqlStatement(r *http.Request) (database.Statement, error) {
	var req sqlRequest
	if err := api.DecodeJSON(r, &req); err != nil {
		return database.Statement{}, err
	}
	return statement("sql", req.SQL, req.Args)
}

// Query is POST /v1/rqlite/query: runs a statement that returns rows.
func (h *Handlers) Query(w http.ResponseWriter, r *http.Request) error {
	stmt, err := sqlStatement(r)
	if err != nil {
		return err
	}
	return h.query(w, r, stmt, false)
}

// Exec is POST /v1/rqlite/exec: runs a statement that changes data.
func (h *Handlers) Exec(w http.ResponseWriter, r *http.Request) error {
	stmt, err := sqlStatement(r)
	if err != nil {
		return err
	}
	return h.withDatabase(r, func(ctx context.Context, db database.Database, ns string) error {
		res, err := db.Exec(ctx, ns, stmt)
		if err != nil {
			return err
		}
		return api.WriteJSON(w, http.StatusOK, execResponse{
			RowsAffected: res.RowsAffected, LastInsertID: res.LastInsertID, ExecutionState: "ok",
		})
	})
}

// Schema is GET /v1/rqlite/schema: the namespace's tables, views, indexes and triggers.
func (h *Handlers) Schema(w http.ResponseWriter, r *http.Request) error {
	return h.withDatabase(r, func(ctx context.Context, db database.Database, ns string) error {
		tables, err := db.Schema(ctx, ns)
		if err != nil {
			return err
		}
		resp := schemaResponse{Tables: make([]schemaTable, len(tables)), Count: len(tables)}
		for i, t := range tables {
			resp.Tables[i] = schemaTable{Name: t.Name, Type: t.Type, SQL: t.SQL}
		}
		return api.WriteJSON(w, http.StatusOK, resp)
	})
}

// CreateTable is POST /v1/rqlite/create-table: runs one CREATE TABLE.
func (h *Handlers) CreateTable(w http.ResponseWriter, r *http.Request) error {
	var req createTableRequest
	if err := api.DecodeJSON(r, &req); err != nil {
		return err
	}
	if _, err := statement("schema", req.Schema, nil); err != nil {
		return err
	}
	return h.withDatabase(r, func(ctx context.Context, db database.Database, ns string) error {
		if err := db.CreateTable(ctx, ns, req.Schema); err != nil {
			return err
		}
		return api.WriteJSON(w, http.StatusCreated, api.OK)
	})
}

// DropTable is POST /v1/rqlite/drop-table: drops a table.
func (h *Handlers) DropTable(w http.ResponseWriter, r *http.Request) error {
	var req dropTableRequest
	if err := api.DecodeJSON(r, &req); err != nil {
		return err
	}
	table := strings.TrimSpace(req.Table)
	if err := database.CheckIdent("table", table); err != nil {
		return err
	}
	return h.withDatabase(r, func(ctx context.Context, db database.Database, ns string) error {
		if err := db.DropTable(ctx, ns, table); err != nil {
			return err
		}
		return api.WriteJSON(w, http.StatusOK, api.OK)
	})
}

// writeItems writes `{"items":[…],"count":n}` for rows.
func writeItems(w http.ResponseWriter, rows *database.Rows) error {
	bp := getBuf()
	defer putBuf(bp)
	b, err := appendItems(*bp, rows)
	*bp = b
	if err != nil {
		return err
	}
	return api.WriteJSONBytes(w, http.StatusOK, b)
}
