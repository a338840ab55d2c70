package nsql

import (
	rq "github.com/rqlite/sql"
)

func (p *printer) windowDef(d *rq.WindowDefinition) {
	p.t("(")
	if d.Base != nil {
		p.ident("window name", d.Base.Name)
	}
	if len(d.Partitions) > 0 {
		p.kw("PARTITION", "BY")
		p.exprs(d.Partitions)
	}
	if len(d.OrderingTerms) > 0 {
		p.kw("ORDER", "BY")
		p.orderingTerms(d.OrderingTerms)
	}
	if d.Frame != nil {
		p.frameSpec(d.Frame)
	}
	p.t(")")
}

func (p *printer) frameSpec(s *rq.FrameSpec) {
	switch {
	case s.Range.IsValid():
		p.t("RANGE")
	case s.Rows.IsValid():
		p.t("ROWS")
	case s.Groups.IsValid():
		p.t("GROUPS")
	default:
		unsupported("window frame without RANGE, ROWS or GROUPS")
	}
	if s.Between.IsValid() {
		p.t("BETWEEN")
	}
	switch {
	case s.UnboundedX.IsValid():
		p.kw("UNBOUNDED", "PRECEDING")
	case s.CurrentRowX.IsValid():
		p.kw("CURRENT", "ROW")
	case s.X != nil && s.PrecedingX.IsValid():
		p.expr(s.X)
		p.t("PRECEDING")
	case s.X != nil && s.FollowingX.IsValid():
		p.expr(s.X)
		p.t("FOLLOWING")
	default:
		unsupported("window frame start")
	}
	if s.Between.IsValid() {
		p.t("AND")
		switch {
		case s.UnboundedY.IsValid():
			p.kw("UNBOUNDED", "FOLLOWING")
		case s.CurrentRowY.IsValid():
			p.kw("CURRENT", "ROW")
		case s.Y != nil && s.PrecedingY.IsValid():
			p.expr(s.Y)
			p.t("PRECEDING")
		case s.Y != nil && s.FollowingY.IsValid():
			p.expr(s.Y)
			p.t("FOLLOWING")
		default:
			unsupported("window frame end")
		}
	}
	switch {
	case s.ExcludeNoOthers.IsValid():
		p.kw("EXCLUDE", "NO", "OTHERS")
	case s.ExcludeCurrentRow.IsValid():
		p.kw("EXCLUDE", "CURRENT", "ROW")
	case s.ExcludeGroup.IsValid():
		p.kw("EXCLUDE", "GROUP")
	case s.ExcludeTies.IsValid():
		p.kw("EXCLUDE", "TIES")
	}
}

func (p *printer) orderingTerms(terms []*rq.OrderingTerm) {
	p.list(len(terms), func(i int) {
		t := terms[i]
		p.expr(t.X)
		if t.Asc.IsValid() {
			p.t("ASC")
		} else if t.Desc.IsValid() {
			p.t("DESC")
		}
		if t.NullsFirst.IsValid() {
			p.kw("NULLS", "FIRST")
		} else if t.NullsLast.IsValid() {
			p.kw("NULLS", "LAST")
		}
	})
}
