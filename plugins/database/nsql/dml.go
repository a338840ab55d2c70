package nsql

import (
	rq "github.com/rqlite/sql"
)

// target returns the scope entry of the table an INSERT, UPDATE or DELETE
// writes, and the alias to write after it ("" for none). At the top level
// a target without alias gets its logical name as alias, as FROM items do.
// SQLite allows no alias inside a trigger body, so there qualifiers naming
// the target are written as the physical name instead.
func (p *printer) target(name, alias *rq.Ident) (source, string) {
	switch {
	case alias != nil:
		checkIdent("table alias", alias.Name)
		return source{name: alias.Name}, alias.Name
	case p.trigger:
		return source{name: name.Name, physical: Physical(p.ns, name.Name)}, ""
	default:
		return source{name: name.Name}, name.Name
	}
}

func (p *printer) insert(s *rq.InsertStatement) {
	if s.WithClause != nil {
		p.with(s.WithClause)
	}
	noSchema(s.Schema)
	if s.Table == nil {
		unsupported("INSERT without a table")
	}
	switch {
	case s.Replace.IsValid():
		p.t("REPLACE")
	default:
		p.t("INSERT")
		p.orResolution(s.InsertOrReplace, s.InsertOrRollback, s.InsertOrAbort, s.InsertOrFail, s.InsertOrIgnore)
	}
	p.t("INTO")
	p.object("table", s.Table.Name)
	tgt, alias := p.target(s.Table, s.Alias)
	if alias != "" {
		p.t("AS")
		p.t(quoteIdent(alias))
	}
	p.push(frame{tgt})
	defer p.pop()

	if len(s.Columns) > 0 {
		p.columnList(s.Columns)
	}
	switch {
	case s.DefaultValues.IsValid():
		p.kw("DEFAULT", "VALUES")
	case s.Select != nil:
		p.selectStmt(s.Select, false)
	case len(s.ValueLists) > 0:
		p.t("VALUES")
		p.list(len(s.ValueLists), func(i int) {
			p.t("(")
			p.exprs(s.ValueLists[i].Exprs)
			p.t(")")
		})
	default:
		unsupported("INSERT without values")
	}
	if s.UpsertClause != nil {
		p.upsert(s.UpsertClause)
	}
	p.returning(s.ReturningClause)
}

func (p *printer) upsert(u *rq.UpsertClause) {
	p.kw("ON", "CONFLICT")
	if len(u.Columns) > 0 {
		p.t("(")
		p.indexedColumns(u.Columns)
		p.t(")")
		p.where(u.WhereExpr)
	} else if u.WhereExpr != nil {
		unsupported("ON CONFLICT WHERE without columns")
	}
	p.t("DO")
	if u.DoNothing.IsValid() {
		p.t("NOTHING")
		return
	}
	if !u.DoUpdate.IsValid() || len(u.Assignments) == 0 {
		unsupported("ON CONFLICT without DO NOTHING or DO UPDATE SET")
	}
	p.kw("UPDATE", "SET")
	p.assignments(u.Assignments)
	p.where(u.UpdateWhereExpr)
}

func (p *printer) update(s *rq.UpdateStatement) {
	if s.WithClause != nil {
		p.with(s.WithClause)
	}
	if s.Table == nil || s.Table.Name == nil {
		unsupported("UPDATE without a table")
	}
	p.t("UPDATE")
	p.orResolution(s.UpdateOrReplace, s.UpdateOrRollback, s.UpdateOrAbort, s.UpdateOrFail, s.UpdateOrIgnore)
	f := p.dmlTarget(s.Table)
	if s.Source != nil {
		p.sourceNames(s.Source, &f)
	}
	p.push(f)
	defer p.pop()

	p.t("SET")
	p.assignments(s.Assignments)
	if s.Source != nil {
		p.t("FROM")
		p.source(s.Source)
	}
	p.where(s.WhereExpr)
	p.returning(s.ReturningClause)
}

func (p *printer) delete(s *rq.DeleteStatement) {
	if s.WithClause != nil {
		p.with(s.WithClause)
	}
	if s.Table == nil || s.Table.Name == nil {
		unsupported("DELETE without a table")
	}
	p.kw("DELETE", "FROM")
	p.push(p.dmlTarget(s.Table))
	defer p.pop()

	p.where(s.WhereExpr)
	if len(s.OrderingTerms) > 0 {
		p.kw("ORDER", "BY")
		p.orderingTerms(s.OrderingTerms)
	}
	p.limit(s.LimitExpr, s.OffsetExpr, s.OffsetComma.IsValid())
	p.returning(s.ReturningClause)
}

// dmlTarget writes the table of an UPDATE or DELETE and returns the scope
// it opens.
func (p *printer) dmlTarget(t *rq.QualifiedTableName) frame {
	tgt, alias := p.target(t.Name, t.Alias)
	p.tableRef(t, alias)
	return frame{tgt}
}

func (p *printer) assignments(as []*rq.Assignment) {
	p.list(len(as), func(i int) {
		a := as[i]
		switch len(a.Columns) {
		case 0:
			unsupported("assignment without column")
		case 1:
			p.ident("column", a.Columns[0].Name)
		default:
			p.columnList(a.Columns)
		}
		p.t("=")
		p.expr(a.Expr)
	})
}

func (p *printer) returning(r *rq.ReturningClause) {
	if r == nil {
		return
	}
	if len(r.Columns) == 0 {
		unsupported("RETURNING without columns")
	}
	p.t("RETURNING")
	p.resultColumns(r.Columns, true)
}

func (p *printer) indexedColumns(cols []*rq.IndexedColumn) {
	p.list(len(cols), func(i int) {
		c := cols[i]
		p.expr(c.X)
		if c.Asc.IsValid() {
			p.t("ASC")
		} else if c.Desc.IsValid() {
			p.t("DESC")
		}
	})
}

// orResolution writes the OR <conflict resolution> of INSERT or UPDATE,
// from the positions of its keywords (at most one is valid).
func (p *printer) orResolution(replace, rollback, abort, fail, ignore rq.Pos) {
	for _, r := range []struct {
		pos rq.Pos
		kw  string
	}{{replace, "REPLACE"}, {rollback, "ROLLBACK"}, {abort, "ABORT"}, {fail, "FAIL"}, {ignore, "IGNORE"}} {
		if r.pos.IsValid() {
			p.kw("OR", r.kw)
			return
		}
	}
}
