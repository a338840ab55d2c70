package database

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

// find, find-one and select: the request maps to a database.Select, which
// database.BuildSelect (sdk/database/query_build.go) makes into one
// SELECT, run as a Query.

type findOptions struct {
	Select  []string      `json:"select"`
	OrderBy []string      `json:"order_by"`
	GroupBy []string      `json:"group_by"`
	Limit   *json.Number  `json:"limit"`
	Offset  *json.Number  `json:"offset"`
	Joins   []joinRequest `json:"joins"`
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

// joinRequest is one join as the client sends it (see database.Join).
type joinRequest struct {
	Kind  string `json:"kind"`
	Table string `json:"table"`
	On    string `json:"on"`
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
	Joins   []joinRequest  `json:"joins"`
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

// findSpec turns a find request into a database.Select.
func findSpec(req *findRequest) (database.Select, error) {
	opts, prefix := &req.Options, "options."
	if opts.empty() {
		opts, prefix = &req.findOptions, ""
	}
	spec := database.Select{
		Prefix: prefix, Table: req.Table, Items: opts.Select, Joins: joins(opts.Joins),
		GroupBy: opts.GroupBy, OrderBy: opts.OrderBy,
	}
	var err error
	if spec.Limit, err = count(prefix+"limit", opts.Limit); err != nil {
		return spec, err
	}
	if spec.Offset, err = count(prefix+"offset", opts.Offset); err != nil {
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
		spec.Criteria = database.SortedCriteria(vals)
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

// selectSpecOf turns a select request into a database.Select.
func selectSpecOf(req *selectRequest) (database.Select, error) {
	spec := database.Select{
		Table: req.Table, Alias: req.Alias, Items: req.Select, Joins: joins(req.Joins),
		GroupBy: req.GroupBy, OrderBy: req.OrderBy,
	}
	var err error
	if spec.Limit, err = count("limit", req.Limit); err != nil {
		return spec, err
	}
	if spec.Offset, err = count("offset", req.Offset); err != nil {
		return spec, err
	}
	if len(req.Where) > 0 {
		spec.Where = make([]database.Where, len(req.Where))
		for i, wr := range req.Where {
			args, err := bindArgs(fieldAt("where", i)+".args", wr.Args)
			if err != nil {
				return spec, err
			}
			spec.Where[i] = database.Where{Conj: wr.Conj, Expr: wr.Expr, Args: args}
		}
	}
	return spec, nil
}

// joins maps the joins of a request.
func joins(in []joinRequest) []database.Join {
	if len(in) == 0 {
		return nil
	}
	out := make([]database.Join, len(in))
	for i, j := range in {
		out[i] = database.Join{Kind: j.Kind, Table: j.Table, On: j.On}
	}
	return out
}

// runSelect builds spec and runs it. With one it answers the first row as
// an object, or 404 "not found"; the limit becomes 1 (0 stays 0).
// BuildSelect also refuses a built statement over MaxSQLLen or MaxArgs.
func (h *Handlers) runSelect(w http.ResponseWriter, r *http.Request, spec database.Select, one bool) error {
	if one && (spec.Limit == nil || *spec.Limit > 1) {
		l := int64(1)
		spec.Limit = &l
	}
	stmt, err := database.BuildSelect(spec)
	if err != nil {
		return err
	}
	return h.query(w, r, stmt, one)
}

// query runs stmt and writes its rows as items or, with one, the first
// row as an object (404 "not found" without one).
func (h *Handlers) query(w http.ResponseWriter, r *http.Request, stmt database.Statement, one bool) error {
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

// fieldAt names element i of a list field, e.g. "where[0]".
func fieldAt(field string, i int) string { return fmt.Sprintf("%s[%d]", field, i) }

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
