package nsql

import (
	rq "github.com/rqlite/sql"
)

// selectStmt writes a SELECT (or VALUES) with its WITH clause, compound
// members, ORDER BY and LIMIT. named says whether its column names can be
// seen (top level, FROM subqueries, CTEs, views, CREATE TABLE AS): there,
// unaliased expressions get their original text as alias (see span.go).
func (p *printer) selectStmt(s *rq.SelectStatement, named bool) {
	p.enter()
	defer p.leave()
	if s == nil {
		unsupported("missing SELECT")
	}
	if s.WithClause != nil {
		p.with(s.WithClause)
	}
	simple := s.Compound == nil
	p.selectCore(s, named, simple)
	for c := s; c.Compound != nil; c = c.Compound {
		switch {
		case c.Union.IsValid():
			p.t("UNION")
			if c.UnionAll.IsValid() {
				p.t("ALL")
			}
		case c.Intersect.IsValid():
			p.t("INTERSECT")
		case c.Except.IsValid():
			p.t("EXCEPT")
		default:
			unsupported("compound SELECT without operator")
		}
		if c.Compound.WithClause != nil {
			unsupported("WITH inside a compound SELECT")
		}
		p.selectCore(c.Compound, false, false)
	}
	if !simple {
		p.orderLimit(s)
	}
}

// selectCore writes one SELECT or VALUES of a compound. With tail it also
// writes ORDER BY and LIMIT, inside the scope of its FROM clause.
func (p *printer) selectCore(s *rq.SelectStatement, named, tail bool) {
	if len(s.ValueLists) > 0 {
		p.t("VALUES")
		p.list(len(s.ValueLists), func(i int) {
			p.t("(")
			p.exprs(s.ValueLists[i].Exprs)
			p.t(")")
		})
		if tail {
			p.orderLimit(s)
		}
		return
	}
	if !s.Select.IsValid() || len(s.Columns) == 0 {
		unsupported("SELECT without columns")
	}
	var f frame
	if s.Source != nil {
		p.sourceNames(s.Source, &f)
	}
	p.push(f)
	defer p.pop()

	p.t("SELECT")
	if s.Distinct.IsValid() {
		p.t("DISTINCT")
	} else if s.All.IsValid() {
		p.t("ALL")
	}
	p.resultColumns(s.Columns, named)
	if s.Source != nil {
		p.t("FROM")
		p.source(s.Source)
	}
	p.where(s.WhereExpr)
	if len(s.GroupByExprs) > 0 {
		p.kw("GROUP", "BY")
		p.exprs(s.GroupByExprs)
		if s.HavingExpr != nil {
			p.t("HAVING")
			p.expr(s.HavingExpr)
		}
	} else if s.HavingExpr != nil {
		unsupported("HAVING without GROUP BY")
	}
	if len(s.Windows) > 0 {
		p.t("WINDOW")
		p.list(len(s.Windows), func(i int) {
			w := s.Windows[i]
			if w.Name == nil || w.Definition == nil {
				unsupported("incomplete WINDOW")
			}
			p.ident("window name", w.Name.Name)
			p.t("AS")
			p.windowDef(w.Definition)
		})
	}
	if tail {
		p.orderLimit(s)
	}
}

func (p *printer) orderLimit(s *rq.SelectStatement) {
	if len(s.OrderingTerms) > 0 {
		p.kw("ORDER", "BY")
		p.orderingTerms(s.OrderingTerms)
	}
	p.limit(s.LimitExpr, s.OffsetExpr, s.OffsetComma.IsValid())
}

// limit writes LIMIT a OFFSET b, or LIMIT a, b as written (in the comma
// form the first number is the offset).
func (p *printer) limit(limit, offset rq.Expr, comma bool) {
	if limit == nil {
		if offset != nil {
			unsupported("OFFSET without LIMIT")
		}
		return
	}
	p.t("LIMIT")
	p.expr(limit)
	if offset != nil {
		if comma {
			p.t(",")
		} else {
			p.t("OFFSET")
		}
		p.expr(offset)
	}
}

func (p *printer) resultColumns(cols []*rq.ResultColumn, named bool) {
	p.list(len(cols), func(i int) {
		c := cols[i]
		if c.Star.IsValid() {
			p.t("*")
			return
		}
		if c.Expr == nil {
			unsupported("empty result column")
		}
		p.expr(c.Expr)
		if c.Alias != nil {
			p.t("AS")
			p.ident("column alias", c.Alias.Name)
			return
		}
		if named && needsName(c.Expr) {
			if name, ok := p.span(c.Expr); ok {
				if q, ok := quoted(name, false); ok {
					p.t("AS")
					p.t(q)
				}
			}
		}
	})
}

func (p *printer) with(w *rq.WithClause) {
	if len(w.CTEs) == 0 {
		unsupported("WITH without tables")
	}
	p.t("WITH")
	if w.Recursive.IsValid() {
		p.t("RECURSIVE")
	}
	p.list(len(w.CTEs), func(i int) {
		c := w.CTEs[i]
		if c.TableName == nil {
			unsupported("CTE without a name")
		}
		// A CTE name is mapped like a table name. Its references are
		// mapped the same way, so they still find the CTE, and SQLite's
		// own scoping (a CTE shadows a table of its name) is unchanged;
		// no scope has to be modelled to stay safe.
		p.object("CTE", c.TableName.Name)
		if len(c.Columns) > 0 {
			p.columnList(c.Columns)
		}
		p.t("AS")
		if c.Materialized.IsValid() {
			if c.Not.IsValid() {
				p.t("NOT")
			}
			p.t("MATERIALIZED")
		}
		p.t("(")
		p.selectStmt(c.Select, true)
		p.t(")")
	})
}

// columnList writes a parenthesised list of column names.
func (p *printer) columnList(ids []*rq.Ident) {
	p.t("(")
	p.identList("column", ids)
	p.t(")")
}

func (p *printer) identList(what string, ids []*rq.Ident) {
	p.list(len(ids), func(i int) {
		if ids[i] == nil {
			unsupported("missing %s", what)
		}
		p.ident(what, ids[i].Name)
	})
}
