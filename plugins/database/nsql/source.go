package nsql

import (
	rq "github.com/rqlite/sql"
)

// source writes a FROM clause item: a table, a table-valued function, a
// subquery, a parenthesized source, or a chain of joins.
func (p *printer) source(src rq.Source) {
	p.enter()
	defer p.leave()
	switch s := src.(type) {
	case *rq.JoinClause:
		p.join(s)
	case *rq.ParenSource:
		p.t("(")
		if sel, ok := s.X.(*rq.SelectStatement); ok {
			p.selectStmt(sel, true)
		} else {
			p.source(s.X)
		}
		p.t(")")
		if s.Alias != nil {
			p.t("AS")
			p.ident("table alias", s.Alias.Name)
		}
	case *rq.QualifiedTableName:
		if s.Name == nil {
			unsupported("table without a name")
		}
		alias := s.Name.Name
		if s.Alias != nil {
			alias = s.Alias.Name
		}
		p.tableRef(s, alias)
	case *rq.QualifiedTableFunctionName:
		if s.Name == nil {
			unsupported("table function without a name")
		}
		checkTableFunction(s.Name.Name)
		p.tableCall(s.Name.Name, s.Args)
		if s.Alias != nil {
			p.t("AS")
			p.ident("table alias", s.Alias.Name)
		}
	case *rq.SelectStatement:
		p.selectStmt(s, true)
	default:
		unsupported("FROM item %T", src)
	}
}

// tableRef writes a table of the namespace followed by alias ("" for none).
// FROM items without an alias of their own get their logical name as alias,
// so that qualified columns such as items.name still resolve.
func (p *printer) tableRef(s *rq.QualifiedTableName, alias string) {
	noSchema(s.Schema)
	if s.Name == nil {
		unsupported("table without a name")
	}
	p.object("table", s.Name.Name)
	if alias != "" {
		p.t("AS")
		p.ident("table alias", alias)
	}
	switch {
	case s.Index != nil:
		p.kw("INDEXED", "BY")
		p.object("index", s.Index.Name)
	case s.NotIndexed.IsValid():
		p.kw("NOT", "INDEXED")
	}
}

// sourceNames adds the names a FROM clause makes visible to f.
func (p *printer) sourceNames(src rq.Source, f *frame) {
	p.enter()
	defer p.leave()
	switch s := src.(type) {
	case *rq.JoinClause:
		p.sourceNames(s.X, f)
		p.sourceNames(s.Y, f)
	case *rq.ParenSource:
		if s.Alias != nil {
			*f = append(*f, source{name: s.Alias.Name})
		} else if _, sub := s.X.(*rq.SelectStatement); !sub {
			p.sourceNames(s.X, f)
		}
	case *rq.QualifiedTableName:
		if s.Alias != nil {
			*f = append(*f, source{name: s.Alias.Name})
		} else if s.Name != nil {
			*f = append(*f, source{name: s.Name.Name})
		}
	case *rq.QualifiedTableFunctionName:
		if s.Alias != nil {
			*f = append(*f, source{name: s.Alias.Name})
		} else if s.Name != nil {
			*f = append(*f, source{name: s.Name.Name})
		}
	}
}

// joinItem is one step of a join chain: operator, source, constraint.
type joinItem struct {
	op   *rq.JoinOperator
	src  rq.Source
	cons rq.JoinConstraint
}

// join writes a chain of joins in the order it was written. The parser
// nests "a J1 b ON c1 J2 c ON c2 …" as {a, J1, <b J2 c …>, c1}: the
// constraint of the root belongs to its first join, and the right side is
// a left-deep tree whose leftmost leaf is the root's partner.
func (p *printer) join(j *rq.JoinClause) {
	items := leftDeep(j.X)
	rest := leftDeep(j.Y)
	items = append(items, joinItem{op: j.Operator, src: rest[0].src, cons: j.Constraint})
	items = append(items, rest[1:]...)
	for i, it := range items {
		if _, nested := it.src.(*rq.JoinClause); nested {
			unsupported("nested join")
		}
		if i > 0 {
			p.joinOperator(it.op)
		}
		p.source(it.src)
		if i > 0 {
			p.joinConstraint(it.cons)
		} else if it.cons != nil {
			unsupported("join constraint without join")
		}
	}
}

// leftDeep flattens a left-deep join tree, without recursion.
func leftDeep(s rq.Source) []joinItem {
	var stack []joinItem
	for {
		j, ok := s.(*rq.JoinClause)
		if !ok {
			break
		}
		stack = append(stack, joinItem{op: j.Operator, src: j.Y, cons: j.Constraint})
		s = j.X
	}
	items := make([]joinItem, 0, len(stack)+1)
	items = append(items, joinItem{src: s})
	for i := len(stack) - 1; i >= 0; i-- {
		items = append(items, stack[i])
	}
	return items
}

func (p *printer) joinOperator(op *rq.JoinOperator) {
	if op == nil {
		unsupported("join without operator")
	}
	if op.Comma.IsValid() {
		p.t(",")
		return
	}
	if op.Natural.IsValid() {
		p.t("NATURAL")
	}
	switch {
	case op.Left.IsValid():
		p.t("LEFT")
		if op.Outer.IsValid() {
			p.t("OUTER")
		}
	case op.Inner.IsValid():
		p.t("INNER")
	case op.Cross.IsValid():
		p.t("CROSS")
	}
	p.t("JOIN")
}

func (p *printer) joinConstraint(c rq.JoinConstraint) {
	switch c := c.(type) {
	case nil:
	case *rq.OnConstraint:
		p.t("ON")
		p.expr(c.X)
	case *rq.UsingConstraint:
		p.t("USING")
		p.columnList(c.Columns)
	default:
		unsupported("join constraint %T", c)
	}
}
