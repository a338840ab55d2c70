package database

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

// find, find-one and select: the builders of sqlbuild.go make one SELECT,
// run as a Query.

type findOptions struct {
	Select  []string     `json:"select"`
	OrderBy []string     `json:"order_by"`
	GroupBy []string     `json:"group_by"`
	Limit   *json.Number `json:"limit"`
	Offset  *json.Number `json:"offset"`
	Joins   []joinSpec   `json:"joins"`
}

func (o *findOptions) empty() bool {
	return len(o.Select)+len(o.OrderBy)+len(o.GroupBy)+len(o.Joins) == 0 && o.Limit == nil && o.Offset == nil
}

type findRequest struct {
	Table    string                     `json:"table"`
	Criteria map[string]json.RawMessage `json:"criteria"`
	Options  findOptions                `json:"options"`
	// Older clients send the options at the top level; they are used when
	// "options" is absent or empty.
	findOptions
}

type whereRequest struct {
	Conj string            `json:"conj"`
	Expr string            `json:"expr"`
	Args []json.RawMessage `json:"args"`
}

type selectRequest struct {
	Table   string         `json:"table"`
	Alias   string         `json:"alias"`
	Select  []string       `json:"select"`
	Joins   []joinSpec     `json:"joins"`
	Where   []whereRequest `json:"where"`
	GroupBy []string       `json:"group_by"`
	OrderBy []string       `json:"order_by"`
	Limit   *json.Number   `json:"limit"`
	Offset  *json.Number   `json:"offset"`
	One     bool           `json:"one"`
}

// Find is POST /v1/rqlite/find: the rows matching criteria, as items.
func (h *Handlers) Find(w http.ResponseWriter, r *http.Request) error {
	return h.find(w, r, false)
}

// FindOne is POST /v1/rqlite/find-one: the first row matching criteria, or 404.
func (h *Handlers) FindOne(w http.ResponseWriter, r *http.Request) error {
	return h.find(w, r, true)
}

// find serves find and, with one, find-one.
func (h *Handlers) find(w http.ResponseWriter, r *http.Request, one bool) error {
	var req findRequest
	if err := api.DecodeJSON(r, &req); err != nil {
		return err
	}
	spec, err := findSpec(&req)
	if err != nil {
		return err
	}
	return h.runSelect(w, r, spec, one)
}

// findSpec turns a find request into a selectSpec.
func findSpec(req *findRequest) (selectSpec, error) {
	opts, prefix := &req.Options, "options."
	if opts.empty() {
		opts, prefix = &req.findOptions, ""
	}
	spec := selectSpec{
		prefix: prefix, table: req.Table, items: opts.Select, joins: opts.Joins,
		groupBy: opts.GroupBy, orderBy: opts.OrderBy,
	}
	var err error
	if spec.limit, err = count(prefix+"limit", opts.Limit); err != nil {
		return spec, err
	}
	if spec.offset, err = count(prefix+"offset", opts.Offset); err != nil {
		return spec, err
	}
	if len(req.Criteria) > 0 {
		vals := make(map[string]database.Value, len(req.Criteria))
		for k, raw := range req.Criteria {
			v, err := bindValue(raw)
			if err != nil {
				return spec, api.Invalidf("criteria %q: %v", k, err)
			}
			vals[k] = v
		}
		spec.criteria = sortedCriteria(vals)
	}
	return spec, nil
}

// Select is POST /v1/rqlite/select: a built SELECT, as items (or one row with "one").
func (h *Handlers) Select(w http.ResponseWriter, r *http.Request) error {
	var req selectRequest
	if err := api.DecodeJSON(r, &req); err != nil {
		return err
	}
	spec, err := selectSpecOf(&req)
	if err != nil {
		return err
	}
	return h.runSelect(w, r, spec, req.One)
}

// selectSpecOf turns a select request into a selectSpec.
func selectSpecOf(req *selectRequest) (selectSpec, error) {
	spec := selectSpec{
		table: req.Table, alias: req.Alias, items: req.Select, joins: req.Joins,
		groupBy: req.GroupBy, orderBy: req.OrderBy,
	}
	var err error
	if spec.limit, err = count("limit", req.Limit); err != nil {
		return spec, err
	}
	if spec.offset, err = count("offset", req.Offset); err != nil {
		return spec, err
	}
	if len(req.Where) > 0 {
		spec.where = make([]whereSpec, len(req.Where))
		for i, wr := range req.Where {
			args, err := bindArgs(fieldAt("where", i)+".args", wr.Args)
			if err != nil {
				return spec, err
			}
			spec.where[i] = whereSpec{conj: wr.Conj, expr: wr.Expr, args: args}
		}
	}
	return spec, nil
}

// runSelect builds spec and runs it. With one it answers the first row as
// an object, or 404 "not found"; the limit becomes 1 (0 stays 0).
func (h *Handlers) runSelect(w http.ResponseWriter, r *http.Request, spec selectSpec, one bool) error {
	if one && (spec.limit == nil || *spec.limit > 1) {
		l := int64(1)
		spec.limit = &l
	}
	stmt, err := buildSelect(spec)
	if err != nil {
		return err
	}
	if len(stmt.SQL) > database.MaxSQLLen {
		return api.Invalidf("the built statement is longer than %d bytes", database.MaxSQLLen)
	}
	if len(stmt.Args) > database.MaxArgs {
		return api.Invalidf("the built statement has more than %d arguments", database.MaxArgs)
	}
	return h.withDatabase(r, func(ctx context.Context, db database.Database, ns string) error {
		rows, err := db.Query(ctx, ns, stmt)
		if err != nil {
			return err
		}
		if !one {
			return writeItems(w, rows)
		}
		if rows == nil || len(rows.Rows) == 0 {
			return sdk.Errorf(sdk.CodeNotFound, "not found")
		}
		return writeRow(w, rows)
	})
}

// count parses an optional limit or offset: a whole JSON number. Its sign
// is the builder's to check.
func count(field string, n *json.Number) (*int64, error) {
	if n == nil {
		return nil, nil
	}
	v, err := strconv.ParseInt(n.String(), 10, 64)
	if err != nil {
		return nil, api.Invalidf("%s must be a non-negative integer, not %s", field, n.String())
	}
	return &v, nil
}

// writeRow writes the first row of rows as a JSON object.
func writeRow(w http.ResponseWriter, rows *database.Rows) error {
	bp := getBuf()
	defer putBuf(bp)
	b, err := appendRow(*bp, columnKeys(rows.Columns), len(rows.Columns), rows.Rows[0])
	*bp = b
	if err != nil {
		return err
	}
	return api.WriteJSONBytes(w, http.StatusOK, b)
}
