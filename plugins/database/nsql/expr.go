package nsql

import (
	rq "github.com/rqlite/sql"
)

// binaryOps spells the binary operators. Operators are written with the
// same tokens the client used, in the same order, and no parentheses are
// added: SQLite re-parses the tokens with its own precedence, exactly as it
// would have parsed the client's text.
var binaryOps = map[rq.Token]string{
	rq.PLUS: "+", rq.MINUS: "-", rq.STAR: "*", rq.SLASH: "/", rq.REM: "%",
	rq.CONCAT: "||", rq.LSHIFT: "<<", rq.RSHIFT: ">>", rq.BITAND: "&", rq.BITOR: "|",
	rq.LT: "<", rq.LE: "<=", rq.GT: ">", rq.GE: ">=", rq.EQ: "=", rq.NE: "!=",
	rq.JSON_EXTRACT_JSON: "->", rq.JSON_EXTRACT_SQL: "->>",
	rq.IS: "IS", rq.ISNOT: "IS NOT", rq.IN: "IN", rq.NOTIN: "NOT IN",
	rq.LIKE: "LIKE", rq.NOTLIKE: "NOT LIKE", rq.GLOB: "GLOB", rq.NOTGLOB: "NOT GLOB",
	rq.MATCH: "MATCH", rq.NOTMATCH: "NOT MATCH", rq.REGEXP: "REGEXP", rq.NOTREGEXP: "NOT REGEXP",
	rq.AND: "AND", rq.OR: "OR", rq.ESCAPE: "ESCAPE",
	rq.BETWEEN: "BETWEEN", rq.NOTBETWEEN: "NOT BETWEEN",
}

func (p *printer) exprs(list []rq.Expr) {
	p.list(len(list), func(i int) { p.expr(list[i]) })
}

func (p *printer) expr(e rq.Expr) {
	p.enter()
	defer p.leave()
	switch x := e.(type) {
	case *rq.Ident:
		p.identExpr(x)
	case *rq.QualifiedRef:
		p.qualifiedRef(x)
	case *rq.StringLit:
		p.t(quoteString(x.Value))
	case *rq.NumberLit:
		p.t(number(x.Value))
	case *rq.BlobLit:
		p.t(blob(x.Value))
	case *rq.NullLit:
		p.t("NULL")
	case *rq.BoolLit:
		if x.Value {
			p.t("TRUE")
		} else {
			p.t("FALSE")
		}
	case *rq.TimestampLit:
		p.t(timeKeyword(x.Value))
	case *rq.BindExpr:
		p.t(bind(x.Name))
	case *rq.UnaryExpr:
		p.unary(x)
	case *rq.BinaryExpr:
		p.binary(x)
	case *rq.ParenExpr:
		p.t("(")
		p.expr(x.X)
		p.t(")")
	case *rq.ExprList:
		p.t("(")
		p.exprs(x.Exprs)
		p.t(")")
	case rq.SelectExpr:
		p.selectStmt(x.SelectStatement, false)
	case *rq.Exists:
		if x.Not.IsValid() {
			p.t("NOT")
		}
		p.t("EXISTS")
		p.t("(")
		p.selectStmt(x.Select, false)
		p.t(")")
	case *rq.CaseExpr:
		p.caseExpr(x)
	case *rq.CastExpr:
		p.t("CAST")
		p.glue("(")
		p.expr(x.X)
		p.t("AS")
		p.typeName(x.Type)
		p.t(")")
	case *rq.CollateExpr:
		p.expr(x.X)
		p.collate(x.Collation.Name)
	case *rq.Null:
		p.expr(x.X)
		switch x.Op {
		case rq.ISNULL:
			p.kw("IS", "NULL")
		case rq.NOTNULL:
			p.kw("NOT", "NULL")
		default:
			unsupported("operator %s", x.Op)
		}
	case *rq.Call:
		p.call(x)
	case *rq.Raise:
		p.raise(x)
	default:
		unsupported("expression %T", e)
	}
}

// identExpr writes a bare identifier: a column, or a double-quoted string
// SQLite falls back to. The fallback applies only to double quotes, so an
// identifier the client did not double-quote is written in backticks: a
// misspelt column stays an error ("no such column") instead of becoming a
// string. Unquoted CURRENT_DATE/TIME/TIMESTAMP reach here as identifiers
// but are keywords, so they stay unquoted.
func (p *printer) identExpr(x *rq.Ident) {
	if !x.Quoted && isTimeKeyword(x.Name) {
		p.t(upperASCII(x.Name))
		return
	}
	checkIdent("identifier", x.Name)
	q, ok := quoted(x.Name, !(x.Quoted && p.srcRune(x.NamePos) == '"'))
	if !ok {
		unsupported("identifier %q holds both a double quote and a backtick", x.Name)
	}
	p.t(q)
}

// qualifiedRef writes table.column or table.*. The qualifier names a source
// in scope, never a table by itself; schema qualifiers are refused.
func (p *printer) qualifiedRef(x *rq.QualifiedRef) {
	noSchema(x.Schema)
	if x.Table == nil {
		unsupported("column reference without table")
	}
	checkIdent("qualifier", x.Table.Name)
	p.t(p.qualifier(x.Table.Name))
	p.glue(".")
	if x.Star.IsValid() {
		p.glue("*")
		return
	}
	if x.Column == nil {
		unsupported("column reference without column")
	}
	checkIdent("column", x.Column.Name)
	p.glue(quoteIdent(x.Column.Name))
}

func (p *printer) unary(x *rq.UnaryExpr) {
	switch x.Op {
	case rq.PLUS:
		p.t("+")
	case rq.MINUS:
		p.t("-")
	case rq.BITNOT:
		p.t("~")
	case rq.NOT:
		p.t("NOT")
	default:
		unsupported("operator %s", x.Op)
	}
	p.expr(x.X)
}

func (p *printer) binary(x *rq.BinaryExpr) {
	op, ok := binaryOps[x.Op]
	if !ok {
		unsupported("operator %s", x.Op)
	}
	p.expr(x.X)
	p.t(op)
	switch x.Op {
	case rq.IN, rq.NOTIN:
		p.inTarget(x.Y)
	case rq.BETWEEN, rq.NOTBETWEEN:
		r, ok := x.Y.(*rq.Range)
		if !ok {
			unsupported("BETWEEN without AND")
		}
		p.expr(r.X)
		p.t("AND")
		p.expr(r.Y)
	default:
		p.expr(x.Y)
	}
}

// inTarget writes the right side of IN: a list or subquery, or a table
// (x IN t), or a table-valued function (x IN json_each(…)).
func (p *printer) inTarget(y rq.Expr) {
	switch y := y.(type) {
	case *rq.Ident:
		p.object("table", y.Name)
	case *rq.QualifiedRef:
		name := "?"
		if y.Table != nil {
			name = y.Table.Name
		}
		forbid("schema-qualified names (%s.…) are not allowed", name)
	case *rq.Call:
		checkTableFunction(y.Name.Name)
		p.tableCall(y.Name.Name, y.Args)
	default:
		p.expr(y)
	}
}

func (p *printer) caseExpr(x *rq.CaseExpr) {
	p.t("CASE")
	if x.Operand != nil {
		p.expr(x.Operand)
	}
	if len(x.Blocks) == 0 {
		unsupported("CASE without WHEN")
	}
	for _, b := range x.Blocks {
		p.t("WHEN")
		p.expr(b.Condition)
		p.t("THEN")
		p.expr(b.Body)
	}
	if x.ElseExpr != nil {
		p.t("ELSE")
		p.expr(x.ElseExpr)
	}
	p.t("END")
}

func (p *printer) collate(name *rq.Ident) {
	if name == nil {
		unsupported("COLLATE without a name")
	}
	p.t("COLLATE")
	p.ident("collation", name.Name)
}

// call writes a function call. Function names are quoted like every other
// identifier; SQLite resolves "count"(*) as count(*).
func (p *printer) call(x *rq.Call) {
	if x.Name == nil {
		unsupported("call without a name")
	}
	checkFunction(x.Name.Name)
	p.t(quoteIdent(x.Name.Name))
	p.glue("(")
	switch {
	case x.Star.IsValid():
		p.glue("*")
	default:
		if x.Distinct.IsValid() {
			p.t("DISTINCT")
		}
		p.exprs(x.Args)
	}
	p.t(")")
	if x.Filter != nil {
		p.kw("FILTER", "(", "WHERE")
		p.expr(x.Filter.X)
		p.t(")")
	}
	if x.Over != nil {
		p.t("OVER")
		switch {
		case x.Over.Name != nil:
			p.ident("window name", x.Over.Name.Name)
		case x.Over.Definition != nil:
			p.windowDef(x.Over.Definition)
		default:
			unsupported("OVER without a window")
		}
	}
}

// tableCall writes an allowed table-valued function call.
func (p *printer) tableCall(name string, args []rq.Expr) {
	p.t(quoteIdent(name))
	p.glue("(")
	p.exprs(args)
	p.t(")")
}

func (p *printer) raise(x *rq.Raise) {
	p.t("RAISE")
	p.glue("(")
	switch {
	case x.Ignore.IsValid():
		p.t("IGNORE")
	case x.Rollback.IsValid(), x.Abort.IsValid(), x.Fail.IsValid():
		switch {
		case x.Rollback.IsValid():
			p.t("ROLLBACK")
		case x.Abort.IsValid():
			p.t("ABORT")
		default:
			p.t("FAIL")
		}
		if x.Error == nil {
			unsupported("RAISE without a message")
		}
		p.t(",")
		p.t(quoteString(x.Error.Value))
	default:
		unsupported("RAISE without an action")
	}
	p.t(")")
}
