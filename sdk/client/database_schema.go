package client

import (
	"context"
	"net/http"
)

// Table describes a table, view, index or trigger of the namespace.
type Table struct {
	Name string `json:"name"`
	Type string `json:"type"` // "table", "view", "index", "trigger"
	SQL  string `json:"sql"`
}

// Schema lists the namespace's tables, views, indexes and triggers.
func (d *Database) Schema(ctx context.Context) ([]Table, error) {
	var resp struct {
		Tables []Table `json:"tables"`
	}
	err := d.c.do(ctx, http.MethodGet, "/v1/rqlite/schema", nil, &resp)
	return resp.Tables, err
}

// CreateTable runs one CREATE TABLE statement.
func (d *Database) CreateTable(ctx context.Context, schema string) error {
	return d.c.do(ctx, http.MethodPost, "/v1/rqlite/create-table", map[string]string{"schema": schema}, nil)
}

// DropTable drops a table by name (^[A-Za-z_][A-Za-z0-9_]*$, checked by
// the gateway). Errors: not_found when there is no such table.
func (d *Database) DropTable(ctx context.Context, table string) error {
	return d.c.do(ctx, http.MethodPost, "/v1/rqlite/drop-table", map[string]string{"table": table}, nil)
}
