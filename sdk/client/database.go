package client

import (
	"context"
	"net/http"
)

// Database is the /v1/rqlite part of the API: SQL with SQLite semantics in
// the caller's namespace.
//
// Values. Arguments are sent as JSON, so an int64 travels exactly and the
// gateway binds whole JSON numbers as integers. Result cells come back as
// nil, int64 (a number written without fraction or exponent), float64
// (any other number), string, or bool. A REAL column holding a whole value
// (2.0) is written by the gateway as 2 and so arrives as int64. BLOB cells
// arrive as standard base64 strings (JSON has no bytes); decode them with
// encoding/base64, or scan them into a []byte field with sdk/orm. A []byte
// argument is likewise sent as a base64 string and stored as TEXT.
//
// Errors (as *sdk.Error): invalid for malformed or refused SQL (the
// engine's message), not_found for FindOne, a Select with One, and
// DropTable of a missing table, conflict for constraint violations,
// unavailable when the gateway or its database plugin cannot be reached.
type Database struct{ c *Client }

// Database is the database part of the API.
func (c *Client) Database() *Database { return &Database{c: c} }

// QueryResult is the answer of a query: one map per row, column → cell.
type QueryResult struct {
	Items []map[string]any
	Count int
}

// ExecResult is the answer of a statement that changes data.
type ExecResult struct {
	RowsAffected int64
	LastInsertID int64
}

// statement is the {sql, args} body of query and exec.
type statement struct {
	SQL  string `json:"sql"`
	Args []any  `json:"args,omitempty"`
}

// Query runs a statement that returns rows, with positional (?) args.
func (d *Database) Query(ctx context.Context, sql string, args ...any) (*QueryResult, error) {
	return d.rows(ctx, "/v1/rqlite/query", statement{SQL: sql, Args: args})
}

// Exec runs a statement that changes data or schema, with positional (?)
// args.
func (d *Database) Exec(ctx context.Context, sql string, args ...any) (ExecResult, error) {
	var out ExecResult
	err := d.post(ctx, "/v1/rqlite/exec", statement{SQL: sql, Args: args}, func(v any) error {
		var err error
		out, err = execResult(v)
		return err
	})
	return out, err
}

// rows posts in to path and decodes an {items, count} answer.
func (d *Database) rows(ctx context.Context, path string, in any) (*QueryResult, error) {
	var out *QueryResult
	err := d.post(ctx, path, in, func(v any) error {
		var err error
		out, err = queryResult(v)
		return err
	})
	return out, err
}

// post sends in and hands the exactly decoded answer to decode.
func (d *Database) post(ctx context.Context, path string, in any, decode func(any) error) error {
	var raw exactJSON
	if err := d.c.do(ctx, http.MethodPost, path, in, &raw); err != nil {
		return err
	}
	if err := decode(raw.v); err != nil {
		return shapeError(http.MethodPost, path, err)
	}
	return nil
}
