package client

import "context"

// Join is one join of Find and Select: Kind is "INNER" or "LEFT" (as the
// gateway accepts), On the join condition.
type Join struct {
	Kind  string `json:"kind"`
	Table string `json:"table"`
	On    string `json:"on"`
}

// FindOptions shape the rows of Find and FindOne. Zero fields are left
// out: all columns, no order, no limit.
type FindOptions struct {
	Select  []string `json:"select,omitempty"`
	OrderBy []string `json:"order_by,omitempty"`
	GroupBy []string `json:"group_by,omitempty"`
	Limit   int      `json:"limit,omitempty"`
	Offset  int      `json:"offset,omitempty"`
	Joins   []Join   `json:"joins,omitempty"`
}

// findRequest is the body of find and find-one.
type findRequest struct {
	Table    string         `json:"table"`
	Criteria map[string]any `json:"criteria"`
	Options  FindOptions    `json:"options"`
}

// Find returns the rows of table whose columns equal criteria (column →
// value, all must match; nil or empty matches every row).
func (d *Database) Find(ctx context.Context, table string, criteria map[string]any, opts FindOptions) (*QueryResult, error) {
	return d.rows(ctx, "/v1/rqlite/find", newFindRequest(table, criteria, opts))
}

// FindOne returns the first row Find would return. Errors: not_found when
// there is none.
func (d *Database) FindOne(ctx context.Context, table string, criteria map[string]any, opts FindOptions) (map[string]any, error) {
	var out map[string]any
	err := d.post(ctx, "/v1/rqlite/find-one", newFindRequest(table, criteria, opts), func(v any) error {
		var err error
		out, err = object(v, "answer")
		return err
	})
	return out, err
}

func newFindRequest(table string, criteria map[string]any, opts FindOptions) findRequest {
	if criteria == nil {
		criteria = map[string]any{}
	}
	return findRequest{Table: table, Criteria: criteria, Options: opts}
}

// Where is one condition of a Select. Conj ("AND" or "OR") joins it to the
// conditions before it and is ignored on the first; Expr is SQL with
// positional (?) parameters bound to Args.
type Where struct {
	Conj string `json:"conj,omitempty"`
	Expr string `json:"expr"`
	Args []any  `json:"args,omitempty"`
}

// SelectRequest is the body of select. With One the gateway answers one
// row (not_found if none).
type SelectRequest struct {
	Table   string   `json:"table"`
	Alias   string   `json:"alias,omitempty"`
	Select  []string `json:"select,omitempty"`
	Joins   []Join   `json:"joins,omitempty"`
	Where   []Where  `json:"where,omitempty"`
	GroupBy []string `json:"group_by,omitempty"`
	OrderBy []string `json:"order_by,omitempty"`
	Limit   int      `json:"limit,omitempty"`
	Offset  int      `json:"offset,omitempty"`
	One     bool     `json:"one,omitempty"`
}

// Select runs a structured select. When req.One is set the gateway's
// single-row answer is returned as a result with one item. Errors:
// not_found when req.One is set and no row matches.
func (d *Database) Select(ctx context.Context, req SelectRequest) (*QueryResult, error) {
	if !req.One {
		return d.rows(ctx, "/v1/rqlite/select", req)
	}
	var out *QueryResult
	err := d.post(ctx, "/v1/rqlite/select", req, func(v any) error {
		row, err := object(v, "answer")
		if err == nil {
			out = &QueryResult{Items: []map[string]any{row}, Count: 1}
		}
		return err
	})
	return out, err
}
