package orm_test

import (
	"context"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

// The find, find-one and select routes of the test gateway: each request
// becomes one SELECT built by database.BuildSelect, the builder the real
// gateway uses (the test gateway maps the request more loosely: it does
// not check argument types, and find reads only "options").

// find serves find and find-one: {table, criteria, options}.
func (g *gateway) find(one bool) handlerFunc {
	return func(ctx context.Context, body map[string]any) (int, any, error) {
		opts, _ := body["options"].(map[string]any)
		if opts == nil {
			opts = map[string]any{}
		}
		sel := database.Select{Prefix: "options.", Table: str(body["table"]), Items: strs(opts["select"]),
			Joins: joins(opts["joins"]), GroupBy: strs(opts["group_by"]), OrderBy: strs(opts["order_by"]),
			Limit: num(opts["limit"]), Offset: num(opts["offset"])}
		criteria, _ := body["criteria"].(map[string]any)
		if len(criteria) > 0 {
			vals := make(map[string]database.Value, len(criteria))
			for k, v := range criteria {
				vals[k] = v
			}
			sel.Criteria = database.SortedCriteria(vals)
		}
		return g.runSelect(ctx, sel, one)
	}
}

// selectRows serves select: {table, alias, select, joins, where, group_by,
// order_by, limit, offset, one}.
func (g *gateway) selectRows(ctx context.Context, body map[string]any) (int, any, error) {
	sel := database.Select{Table: str(body["table"]), Alias: str(body["alias"]), Items: strs(body["select"]),
		Joins: joins(body["joins"]), GroupBy: strs(body["group_by"]), OrderBy: strs(body["order_by"]),
		Limit: num(body["limit"]), Offset: num(body["offset"])}
	where, _ := body["where"].([]any)
	for _, w := range where {
		m, _ := w.(map[string]any)
		args, _ := m["args"].([]any)
		sel.Where = append(sel.Where, database.Where{Conj: str(m["conj"]), Expr: str(m["expr"]), Args: args})
	}
	one, _ := body["one"].(bool)
	return g.runSelect(ctx, sel, one)
}

func joins(v any) []database.Join {
	list, _ := v.([]any)
	var out []database.Join
	for _, j := range list {
		m, _ := j.(map[string]any)
		out = append(out, database.Join{Kind: str(m["kind"]), Table: str(m["table"]), On: str(m["on"])})
	}
	return out
}

func (g *gateway) runSelect(ctx context.Context, s database.Select, one bool) (int, any, error) {
	if one && (s.Limit == nil || *s.Limit > 1) {
		l := int64(1)
		s.Limit = &l
	}
	stmt, err := database.BuildSelect(s)
	if err != nil {
		return 0, nil, err
	}
	items, err := queryRows(ctx, g.sql, stmt.SQL, stmt.Args)
	if err != nil {
		return 0, nil, err
	}
	if one {
		if len(items) == 0 {
			return 0, nil, sdk.Errorf(sdk.CodeNotFound, "not found")
		}
		return 200, items[0], nil
	}
	return 200, map[string]any{"items": items, "count": len(items)}, nil
}

func str(v any) string { s, _ := v.(string); return s }

// num is an optional limit or offset.
func num(v any) *int64 {
	if n, ok := v.(int64); ok {
		return &n
	}
	return nil
}

func strs(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, e := range list {
		out = append(out, str(e))
	}
	return out
}
