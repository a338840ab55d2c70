package orm

import (
	"strings"

	"github.com/orama-network/orama/sdk"
)

// Builder builds one SELECT. Its methods change it and return it, so calls
// chain; it is not safe for concurrent use. The first refused argument is
// kept and reported by Err, SQL, GetMany and GetOne.
type Builder struct {
	db      *DB
	table   string
	alias   string
	cols    []string
	joins   []string
	where   []cond
	groupBy []string
	orderBy []string
	limit   int // -1: none
	offset  int
	err     error
}

// cond is one WHERE condition; conj is "AND" or "OR".
type cond struct {
	conj string
	expr string
	args []any
}

func (b *Builder) fail(format string, args ...any) {
	if b.err == nil {
		b.err = sdk.Errorf(sdk.CodeInvalid, "orm: "+format, args...)
	}
}

// Err returns the first refused argument, or nil.
func (b *Builder) Err() error { return b.err }

// Alias names the table in the query ("FROM users AS u").
func (b *Builder) Alias(alias string) *Builder {
	if !isIdent(alias) {
		b.fail("alias %q is not an identifier", alias)
	}
	b.alias = alias
	return b
}

// Select adds columns to the select list (all columns when none is
// added). Each is name, table.name, *, or table.*, optionally followed by
// "AS alias".
func (b *Builder) Select(cols ...string) *Builder {
	for _, c := range cols {
		name, alias, ok := splitAlias(c)
		if !ok || !isSelectable(name) || (alias != "" && strings.Contains(name, "*")) {
			b.fail("select %q is not a column reference", c)
			continue
		}
		if alias != "" {
			name += " AS " + alias
		}
		b.cols = append(b.cols, name)
	}
	return b
}

// SelectExpr adds a raw SQL expression to the select list, such as
// "COUNT(*) AS n". It is not checked: never build it from untrusted text.
func (b *Builder) SelectExpr(expr string) *Builder {
	if strings.TrimSpace(expr) == "" {
		b.fail("empty select expression")
	}
	b.cols = append(b.cols, expr)
	return b
}

// Where adds a condition joined with AND: SQL with ? parameters bound to
// args. Conditions are written in the order added and joined with SQL's
// precedence (AND before OR); each is parenthesized on its own, so group
// inside one expression when you need "(a OR b) AND c".
func (b *Builder) Where(expr string, args ...any) *Builder { return b.addWhere("AND", expr, args) }

// AndWhere is Where.
func (b *Builder) AndWhere(expr string, args ...any) *Builder { return b.addWhere("AND", expr, args) }

// OrWhere adds a condition joined with OR.
func (b *Builder) OrWhere(expr string, args ...any) *Builder { return b.addWhere("OR", expr, args) }

func (b *Builder) addWhere(conj, expr string, args []any) *Builder {
	if strings.TrimSpace(expr) == "" {
		b.fail("empty where condition")
		return b
	}
	args, err := normalizeArgs(args)
	if err != nil {
		b.fail("where %q: %v", expr, err)
		return b
	}
	b.where = append(b.where, cond{conj: conj, expr: expr, args: args})
	return b
}

// InnerJoin joins table ("orders" or "orders o" or "orders AS o") on the
// SQL condition on.
func (b *Builder) InnerJoin(table, on string) *Builder { return b.join("INNER JOIN", table, on) }

// LeftJoin left-joins table on the SQL condition on; the joined columns of
// an unmatched row are NULL, so scan them into pointer or sql.Null fields.
func (b *Builder) LeftJoin(table, on string) *Builder { return b.join("LEFT JOIN", table, on) }

func (b *Builder) join(kind, table, on string) *Builder {
	name, alias, ok := splitAlias(table)
	if !ok || !isIdent(name) {
		b.fail("join table %q is not an identifier with an optional alias", table)
		return b
	}
	if strings.TrimSpace(on) == "" {
		b.fail("join of %s has no condition", name)
		return b
	}
	clause := kind + " " + name
	if alias != "" {
		clause += " AS " + alias
	}
	b.joins = append(b.joins, clause+" ON "+on)
	return b
}

// GroupBy adds columns (name or table.name) to GROUP BY.
func (b *Builder) GroupBy(cols ...string) *Builder {
	for _, c := range cols {
		if !isColumn(c) {
			b.fail("group by %q is not a column reference", c)
			continue
		}
		b.groupBy = append(b.groupBy, c)
	}
	return b
}

// OrderBy adds terms to ORDER BY: a column reference, optionally followed
// by ASC or DESC ("name", "u.created DESC").
func (b *Builder) OrderBy(terms ...string) *Builder {
	for _, t := range terms {
		f := strings.Fields(t)
		ok := len(f) >= 1 && len(f) <= 2 && isColumn(f[0])
		if ok && len(f) == 2 {
			dir := strings.ToUpper(f[1])
			ok = dir == "ASC" || dir == "DESC"
			f[1] = dir
		}
		if !ok {
			b.fail("order by %q is not a column reference with an optional ASC or DESC", t)
			continue
		}
		b.orderBy = append(b.orderBy, strings.Join(f, " "))
	}
	return b
}

// Limit caps the number of rows.
func (b *Builder) Limit(n int) *Builder {
	if n < 0 {
		b.fail("negative limit %d", n)
		return b
	}
	b.limit = n
	return b
}

// Offset skips the first n rows.
func (b *Builder) Offset(n int) *Builder {
	if n < 0 {
		b.fail("negative offset %d", n)
		return b
	}
	b.offset = n
	return b
}
