package database

import (
	"sort"
	"strings"

	"github.com/orama-network/orama/sdk"
)

// BuildSelect turns a Select — what the gateway's find, find-one and
// select routes describe — into ONE parameterized SELECT:
//
//	SELECT <items> FROM "t" [AS "a"]
//	  { JOIN | INNER JOIN | LEFT JOIN <join table> ON (<on>) }
//	  [WHERE <criteria, ANDed> | WHERE (<expr>) { AND|OR (<expr>) }]
//	  [GROUP BY <columns>] [ORDER BY <items>]
//	  [LIMIT ? [OFFSET ?] | LIMIT -1 OFFSET ?]
//
// Names follow the grammar in query_grammar.go; raw expressions (join
// On, Where.Expr) are checked by checkRawExpr (query_raw.go) and passed
// through. Values are never spliced into the SQL: criteria values, where
// args, limit and offset are parameters, appended in the order their ?
// appear. The SQL is SQLite's (LIMIT -1 for an OFFSET alone), which every
// implementation of Database speaks.
//
// Errors are invalid *sdk.Error naming the field of the request as the
// gateway's API.md spells it ("table", "options.select[1]",
// "where[0].expr", …), so the gateway answers them as they are.

// Select is one SELECT as the find, find-one and select routes describe
// it. Criteria (find) and Where (select) may both be given: the Where
// conditions are then ANDed to the criteria as one group.
type Select struct {
	Prefix   string // prefix of the list fields' names in errors: "options." for find
	Table    string
	Alias    string
	Items    []string // select items; none means *
	Joins    []Join
	Criteria []Criterion // column = value, ANDed
	Where    []Where     // raw expressions
	GroupBy  []string
	OrderBy  []string
	Limit    *int64 // nil: no limit
	Offset   *int64 // nil: no offset
}

// Join is one join of a Select.
type Join struct {
	Kind  string // "INNER", "LEFT" or "JOIN" (default), case-insensitive
	Table string // join table (see the grammar)
	On    string // raw SQL expression, without placeholders
}

// Criterion is one equality criterion: Column = Value (IS NULL for nil).
type Criterion struct {
	Column string // column or table.column
	Value  Value
}

// Where is one raw condition with its bound args.
type Where struct {
	Conj string // "AND" (default) or "OR"; ignored on the first
	Expr string // raw SQL expression with anonymous ? placeholders
	Args []Value
}

// SortedCriteria returns criteria ordered by column name, so the same
// request always builds the same statement.
func SortedCriteria(m map[string]Value) []Criterion {
	out := make([]Criterion, 0, len(m))
	for k, v := range m {
		out = append(out, Criterion{Column: k, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Column < out[j].Column })
	return out
}

// BuildSelect builds the statement of q, or an invalid *sdk.Error naming
// the bad field. A built statement longer than MaxSQLLen or with more than
// MaxArgs arguments is invalid too.
func BuildSelect(q Select) (Statement, error) {
	b := &stmtBuilder{prefix: q.Prefix}
	b.sql.Grow(128)
	err := b.items(q.Items)
	if err == nil {
		err = b.from(q.Table, q.Alias)
	}
	if err == nil {
		err = b.joins(q.Joins)
	}
	if err == nil {
		err = b.whereClause(q.Criteria, q.Where)
	}
	if err == nil {
		err = b.groupBy(q.GroupBy)
	}
	if err == nil {
		err = b.orderBy(q.OrderBy)
	}
	if err == nil {
		err = b.limit(q.Limit, q.Offset)
	}
	if err != nil {
		return Statement{}, err
	}
	if b.sql.Len() > MaxSQLLen {
		return Statement{}, invalidf("the built statement is longer than %d bytes", MaxSQLLen)
	}
	if len(b.args) > MaxArgs {
		return Statement{}, invalidf("the built statement has more than %d arguments", MaxArgs)
	}
	return Statement{SQL: b.sql.String(), Args: b.args}, nil
}

// invalidf is an invalid (400) *sdk.Error.
func invalidf(format string, args ...any) error {
	return sdk.Errorf(sdk.CodeInvalid, format, args...)
}

// stmtBuilder accumulates SQL text and its parameters.
type stmtBuilder struct {
	prefix string
	sql    strings.Builder
	args   []Value
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
	if err := CheckIdent("table", table); err != nil {
		return err
	}
	b.sql.WriteString(" FROM ")
	b.sql.WriteString(quoteIdent(table))
	if alias == "" {
		return nil
	}
	if err := CheckIdent("alias", alias); err != nil {
		return err
	}
	b.sql.WriteString(" AS ")
	b.sql.WriteString(quoteIdent(alias))
	return nil
}

func (b *stmtBuilder) joins(joins []Join) error {
	for i, j := range joins {
		field := fieldAt(b.prefix+"joins", i)
		kw, ok := joinKeyword(j.Kind)
		if !ok {
			return invalidf("invalid %s.kind %q: want INNER, LEFT or JOIN", field, j.Kind)
		}
		table, ok := joinTable(j.Table)
		if !ok {
			return grammarError(field+".table", j.Table, wantJoin)
		}
		n, err := checkRawExpr(j.On)
		if err != nil {
			return invalidf("%s.on: %v", field, err)
		}
		if n > 0 {
			return invalidf("%s.on: placeholders are not allowed in a join (it has no args); put the condition in where", field)
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
func (b *stmtBuilder) whereClause(criteria []Criterion, where []Where) error {
	if len(criteria) == 0 && len(where) == 0 {
		return nil
	}
	b.sql.WriteString(" WHERE ")
	for i, c := range criteria {
		col, ok := groupItem(c.Column) // a criterion names a column: same grammar
		if !ok {
			return grammarError("criteria key", c.Column, wantGroup)
		}
		if i > 0 {
			b.sql.WriteString(" AND ")
		}
		b.sql.WriteString(col)
		if c.Value == nil {
			b.sql.WriteString(" IS NULL")
			continue
		}
		b.sql.WriteString(" = ?")
		b.args = append(b.args, c.Value)
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
		conj := strings.ToUpper(strings.TrimSpace(w.Conj))
		if conj != "" && conj != "AND" && conj != "OR" {
			return invalidf("invalid %s.conj %q: want AND or OR", field, w.Conj)
		}
		n, err := checkRawExpr(w.Expr)
		if err != nil {
			return invalidf("%s.expr: %v", field, err)
		}
		placeholders += n
		args += len(w.Args)
		if i > 0 {
			if conj == "" {
				conj = "AND"
			}
			b.sql.WriteString(" " + conj + " ")
		}
		b.sql.WriteByte('(')
		b.sql.WriteString(w.Expr)
		b.sql.WriteByte(')')
		b.args = append(b.args, w.Args...)
	}
	if placeholders != args {
		return invalidf("where: the expressions have %d ? placeholders but %d args were given", placeholders, args)
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
		return invalidf("%slimit must not be negative", b.prefix)
	}
	if offset != nil && *offset < 0 {
		return invalidf("%soffset must not be negative", b.prefix)
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
