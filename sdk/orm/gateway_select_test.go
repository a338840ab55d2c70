package orm_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/orama-network/orama/sdk"
)

// The find, find-one and select routes of the test gateway: each request
// becomes one SELECT, as the real gateway builds it.

// find serves find and find-one: {table, criteria, options}.
func (g *gateway) find(one bool) handlerFunc {
	return func(ctx context.Context, body map[string]any) (int, any, error) {
		opts, _ := body["options"].(map[string]any)
		if opts == nil {
			opts = map[string]any{}
		}
		sel := selectSpec{table: str(body["table"]), cols: strings.Join(strs(opts["select"]), ", "),
			joins: opts["joins"], groupBy: strs(opts["group_by"]), orderBy: strs(opts["order_by"]),
			limit: num(opts["limit"]), offset: num(opts["offset"])}
		criteria, _ := body["criteria"].(map[string]any)
		for _, k := range sortedKeys(criteria) {
			if !tableName.MatchString(k) {
				return 0, nil, sdk.Errorf(sdk.CodeInvalid, "invalid criteria column")
			}
			if criteria[k] == nil {
				sel.where = append(sel.where, k+" IS NULL")
			} else {
				sel.where = append(sel.where, k+" = ?")
				sel.args = append(sel.args, criteria[k])
			}
		}
		sel.conj = make([]string, len(sel.where))
		for i := range sel.conj {
			sel.conj[i] = "AND"
		}
		return g.runSelect(ctx, sel, one)
	}
}

// selectRows serves select: {table, alias, select, joins, where, group_by,
// order_by, limit, offset, one}.
func (g *gateway) selectRows(ctx context.Context, body map[string]any) (int, any, error) {
	sel := selectSpec{table: str(body["table"]), alias: str(body["alias"]), cols: strings.Join(strs(body["select"]), ", "),
		joins: body["joins"], groupBy: strs(body["group_by"]), orderBy: strs(body["order_by"]),
		limit: num(body["limit"]), offset: num(body["offset"])}
	where, _ := body["where"].([]any)
	for _, w := range where {
		m, _ := w.(map[string]any)
		conj := strings.ToUpper(str(m["conj"]))
		if conj != "OR" {
			conj = "AND"
		}
		sel.conj = append(sel.conj, conj)
		sel.where = append(sel.where, str(m["expr"]))
		args, _ := m["args"].([]any)
		sel.args = append(sel.args, args...)
	}
	one, _ := body["one"].(bool)
	return g.runSelect(ctx, sel, one)
}

type selectSpec struct {
	table, alias, cols string
	joins              any
	conj, where        []string
	args               []any
	groupBy, orderBy   []string
	limit, offset      int64
}

var tableName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func (g *gateway) runSelect(ctx context.Context, s selectSpec, one bool) (int, any, error) {
	if !tableName.MatchString(s.table) {
		return 0, nil, sdk.Errorf(sdk.CodeInvalid, "invalid table name")
	}
	var b strings.Builder
	cols := s.cols
	if cols == "" {
		cols = "*"
	}
	fmt.Fprintf(&b, "SELECT %s FROM %s", cols, s.table)
	if s.alias != "" {
		b.WriteString(" AS " + s.alias)
	}
	joins, _ := s.joins.([]any)
	for _, j := range joins {
		m, _ := j.(map[string]any)
		fmt.Fprintf(&b, " %s JOIN %s ON %s", strings.ToUpper(str(m["kind"])), str(m["table"]), str(m["on"]))
	}
	for i, w := range s.where {
		if i == 0 {
			b.WriteString(" WHERE ")
		} else {
			b.WriteString(" " + s.conj[i] + " ")
		}
		b.WriteString("(" + w + ")")
	}
	if len(s.groupBy) > 0 {
		b.WriteString(" GROUP BY " + strings.Join(s.groupBy, ", "))
	}
	if len(s.orderBy) > 0 {
		b.WriteString(" ORDER BY " + strings.Join(s.orderBy, ", "))
	}
	switch {
	case one:
		b.WriteString(" LIMIT 1")
	case s.limit > 0:
		fmt.Fprintf(&b, " LIMIT %d", s.limit)
	case s.offset > 0:
		b.WriteString(" LIMIT -1")
	}
	if s.offset > 0 {
		fmt.Fprintf(&b, " OFFSET %d", s.offset)
	}
	items, err := queryRows(ctx, g.sql, b.String(), s.args)
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

func num(v any) int64 { n, _ := v.(int64); return n }

func strs(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, e := range list {
		out = append(out, str(e))
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
