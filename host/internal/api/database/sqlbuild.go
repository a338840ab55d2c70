package database

import (
	"sort"
	"strings"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk/database"
)

// The builders turn a find or select request into ONE parameterized SELECT:
//
//	SELECT <items> FROM "t" [AS "a"]
//	  { JOIN | INNER JOIN | LEFT JOIN <join table> ON (<on>) }
//	  [WHERE <criteria, ANDed> | WHERE (<expr>) { AND|OR (<expr>) }]
//	  [GROUP BY <columns>] [ORDER BY <items>]
//	  [LIMIT ? [OFFSET ?] | LIMIT -1 OFFSET ?]
//
// Names follow the grammar in sqlbuild_grammar.go; raw expressions (join
// `on`, where `expr`) are checked by checkRawExpr and passed through. Values
// are never spliced into the SQL: criteria values, where args, limit and
// offset are parameters, appended in the order their ? appear.

// selectSpec is a SELECT as find and select describe it.
type selectSpec struct {
	prefix   string // JSON path of the list fields in errors: "options." for find
	table    string
	alias    string
	items    []string // select items; none means *
	joins    []joinSpec
	criteria []criterion // find: column = value, ANDed
	where    []whereSpec // select: raw expressions
	groupBy  []string
	orderBy  []string
	limit    *int64
	offset   *int64
}

// joinSpec is one join as the client sends it.
type joinSpec struct {
	Kind  string `json:"kind"`  // "INNER", "LEFT" or "JOIN" (default), case-insensitive
	Table string `json:"table"` // join table (see the grammar)
	On    string `json:"on"`    // raw SQL expression
}

// criterion is one find criterion: column = value (IS NULL for nil).
type criterion struct {
	column string
	value  database.Value
}

// whereSpec is one select condition with its bound args.
type whereSpec struct {
	conj string // "AND" (default) or "OR"; ignored on the first
	expr string
	args []database.Value
}

// sortedCriteria returns criteria ordered by column name, so the same
// request always builds the same statement.
func sortedCriteria(m map[string]database.Value) []criterion {
	out := make([]criterion, 0, len(m))
	for k, v := range m {
		out = append(out, criterion{column: k, value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].column < out[j].column })
	return out
}

// buildSelect builds the statement of q, or a 400 naming the bad field.
func buildSelect(q selectSpec) (database.Statement, error) {
	b := &stmtBuilder{prefix: q.prefix}
	b.sql.Grow(128)
	err := b.items(q.items)
	if err == nil {
		err = b.from(q.table, q.alias)
	}
	if err == nil {
		err = b.joins(q.joins)
	}
	if err == nil {
		err = b.whereClause(q.criteria, q.where)
	}
	if err == nil {
		err = b.groupBy(q.groupBy)
	}
	if err == nil {
		err = b.orderBy(q.orderBy)
	}
	if err == nil {
		err = b.limit(q.limit, q.offset)
	}
	if err != nil {
		return database.Statement{}, err
	}
	return database.Statement{SQL: b.sql.String(), Args: b.args}, nil
}

// stmtBuilder accumulates SQL text and its parameters.
type stmtBuilder struct {
	prefix string
	sql    strings.Builder
	args   []database.Value
}

func (b *stmtBuilder) items(items []string) error {
	b.sql.WriteString("SELECT ")
	if len(items) == 0 {
		b.sql.WriteByte('*')
		return nil
	}
	for i, it := range items {
		out, ok := selectItem(it)
		if !ok {
			return grammarError(fieldAt(b.prefix+"select", i), it, wantSelect)
		}
		if i > 0 {
			b.sql.WriteString(", ")
		}
		b.sql.WriteString(out)
	}
	return nil
}

func (b *stmtBuilder) from(table, alias string) error {
	if err := checkIdent("table", table); err != nil {
		return err
	}
	b.sql.WriteString(" FROM ")
	b.sql.WriteString(quoteIdent(table))
	if alias == "" {
		return nil
	}
	if err := checkIdent("alias", alias); err != nil {
		return err
	}
	b.sql.WriteString(" AS ")
	b.sql.WriteString(quoteIdent(alias))
	return nil
}

func (b *stmtBuilder) joins(joins []joinSpec) error {
	for i, j := range joins {
		field := fieldAt(b.prefix+"joins", i)
		kw, ok := joinKeyword(j.Kind)
		if !ok {
			return api.Invalidf("invalid %s.kind %q: want INNER, LEFT or JOIN", field, j.Kind)
		}
		table, ok := joinTable(j.Table)
		if !ok {
			return grammarError(field+".table", j.Table, wantJoin)
		}
		n, err := checkRawExpr(j.On)
		if err != nil {
			return api.Invalidf("%s.on: %v", field, err)
		}
		if n > 0 {
			return api.Invalidf("%s.on: placeholders are not allowed in a join (it has no args); put the condition in where", field)
		}
		b.sql.WriteByte(' ')
		b.sql.WriteString(kw)
		b.sql.WriteByte(' ')
		b.sql.WriteString(table)
		b.sql.WriteString(" ON (")
		b.sql.WriteString(j.On)
		b.sql.WriteByte(')')
	}
	return nil
}

// joinKeyword maps a join kind to its SQL.
func joinKeyword(kind string) (string, bool) {
	switch strings.ToUpper(strings.TrimSpace(kind)) {
	case "", "JOIN":
		return "JOIN", true
	case "INNER", "INNER JOIN":
		return "INNER JOIN", true
	case "LEFT", "LEFT JOIN":
		return "LEFT JOIN", true
	}
	return "", false
}

// whereClause writes criteria (ANDed) and raw conditions (joined by their
// conj under SQL precedence: AND binds tighter than OR, as the original
// builder's output did). With both, the raw conditions are parenthesised
// as one group.
func (b *stmtBuilder) whereClause(criteria []criterion, where []whereSpec) error {
	if len(criteria) == 0 && len(where) == 0 {
		return nil
	}
	b.sql.WriteString(" WHERE ")
	for i, c := range criteria {
		col, ok := groupItem(c.column) // a criterion names a column: same grammar
		if !ok {
			return grammarError("criteria key", c.column, wantGroup)
		}
		if i > 0 {
			b.sql.WriteString(" AND ")
		}
		b.sql.WriteString(col)
		if c.value == nil {
			b.sql.WriteString(" IS NULL")
			continue
		}
		b.sql.WriteString(" = ?")
		b.args = append(b.args, c.value)
	}
	if len(where) == 0 {
		return nil
	}
	group := len(criteria) > 0
	if group {
		b.sql.WriteString(" AND (")
	}
	placeholders, args := 0, 0
	for i, w := range where {
		field := fieldAt("where", i)
		conj := strings.ToUpper(strings.TrimSpace(w.conj))
		if conj != "" && conj != "AND" && conj != "OR" {
			return api.Invalidf("invalid %s.conj %q: want AND or OR", field, w.conj)
		}
		n, err := checkRawExpr(w.expr)
		if err != nil {
			return api.Invalidf("%s.expr: %v", field, err)
		}
		placeholders += n
		args += len(w.args)
		if i > 0 {
			if conj == "" {
				conj = "AND"
			}
			b.sql.WriteString(" " + conj + " ")
		}
		b.sql.WriteByte('(')
		b.sql.WriteString(w.expr)
		b.sql.WriteByte(')')
		b.args = append(b.args, w.args...)
	}
	if placeholders != args {
		return api.Invalidf("where: the expressions have %d ? placeholders but %d args were given", placeholders, args)
	}
	if group {
		b.sql.WriteByte(')')
	}
	return nil
}

func (b *stmtBuilder) groupBy(cols []string) error {
	if len(cols) == 0 {
		return nil
	}
	b.sql.WriteString(" GROUP BY ")
	for i, c := range cols {
		out, ok := groupItem(c)
		if !ok {
			return grammarError(fieldAt(b.prefix+"group_by", i), c, wantGroup)
		}
		if i > 0 {
			b.sql.WriteString(", ")
		}
		b.sql.WriteString(out)
	}
	return nil
}

func (b *stmtBuilder) orderBy(items []string) error {
	if len(items) == 0 {
		return nil
	}
	b.sql.WriteString(" ORDER BY ")
	for i, it := range items {
		out, ok := orderItem(it)
		if !ok {
			return grammarError(fieldAt(b.prefix+"order_by", i), it, wantOrder)
		}
		if i > 0 {
			b.sql.WriteString(", ")
		}
		b.sql.WriteString(out)
	}
	return nil
}

// limit writes LIMIT/OFFSET as parameters. SQLite needs a LIMIT before an
// OFFSET; -1 means no limit.
func (b *stmtBuilder) limit(limit, offset *int64) error {
	if limit != nil && *limit < 0 {
		return api.Invalidf("%slimit must not be negative", b.prefix)
	}
	if offset != nil && *offset < 0 {
		return api.Invalidf("%soffset must not be negative", b.prefix)
	}
	switch {
	case limit != nil:
		b.sql.WriteString(" LIMIT ?")
		b.args = append(b.args, *limit)
	case offset != nil:
		b.sql.WriteString(" LIMIT -1")
	}
	if offset != nil {
		b.sql.WriteString(" OFFSET ?")
		b.args = append(b.args, *offset)
	}
	return nil
}
