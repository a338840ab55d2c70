package nsql

import (
	rq "github.com/rqlite/sql"
)

// pragma writes one of the read-only PRAGMAs that describe a table or an
// index of the namespace; every other PRAGMA is refused.
func (p *printer) pragma(s *rq.PragmaStatement) {
	noSchema(s.Schema)
	var name string
	switch x := s.Expr.(type) {
	case *rq.Ident:
		name = x.Name
	case *rq.Call:
		name = x.Name.Name
	case *rq.BinaryExpr:
		if id, ok := x.X.(*rq.Ident); ok {
			forbid("PRAGMA %s = … is not allowed: PRAGMAs that set a value are refused", lowerASCII(id.Name))
		}
	}
	what, ok := readPragmas[lowerASCII(name)]
	if !ok {
		if name == "" {
			forbid("PRAGMA is not allowed")
		}
		forbid("PRAGMA %s is not allowed (allowed: table_info, table_xinfo, index_list, index_info, index_xinfo, foreign_key_list)", lowerASCII(name))
	}
	call, ok := s.Expr.(*rq.Call)
	if !ok || len(call.Args) != 1 || call.Star.IsValid() || call.Distinct.IsValid() || call.Filter != nil || call.Over != nil {
		unsupported("PRAGMA %s takes one %s name in parentheses", lowerASCII(name), what)
	}
	var arg string
	switch a := call.Args[0].(type) {
	case *rq.Ident:
		arg = a.Name
	case *rq.StringLit:
		arg = a.Value
	default:
		unsupported("PRAGMA %s takes one %s name in parentheses", lowerASCII(name), what)
	}
	p.kw("PRAGMA", lowerASCII(name))
	p.glue("(")
	p.object(what, arg)
	p.t(")")
}
