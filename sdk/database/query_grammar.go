package database

import (
	"fmt"
	"strings"
)

// The grammar of the names BuildSelect accepts. Keywords and function
// names are case-insensitive; whitespace may separate any two tokens.
//
//	ident       = [A-Za-z_][A-Za-z0-9_]*           (at most MaxNameLen bytes)
//	column      = ident | ident "." ident           → "c" | "t"."c"
//	call        = func "(" "*" ")"                  (COUNT only)
//	            | func "(" "DISTINCT" column ")"    (aggregates only)
//	            | func "(" column { "," column } ")"
//	func        = COUNT | SUM | AVG | MIN | MAX | TOTAL | GROUP_CONCAT
//	            | LOWER | UPPER | LENGTH | ABS | TRIM | COALESCE | IFNULL
//	select item = "*" | ident "." "*" | ( column | call ) [ "AS" ident ]
//	order item  = ( column | call ) [ "ASC" | "DESC" ]
//	group item  = column
//	join table  = ident [ [ "AS" ] ident ]
//	table/alias = ident
//
// Everything else is refused with 400. The builders emit identifiers
// double-quoted and function names and keywords in upper case.

// funcs are the functions a select or order item may call; the value says
// whether it is an aggregate (may take DISTINCT).
var funcs = map[string]bool{
	"COUNT": true, "SUM": true, "AVG": true, "MIN": true, "MAX": true,
	"TOTAL": true, "GROUP_CONCAT": true,
	"LOWER": false, "UPPER": false, "LENGTH": false, "ABS": false,
	"TRIM": false, "COALESCE": false, "IFNULL": false,
}

// isIdent reports whether s matches ^[A-Za-z_][A-Za-z0-9_]*$.
func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// CheckIdent checks a table or alias name given as field (the name of the
// request field in the message): 1 to MaxNameLen bytes matching
// ^[A-Za-z_][A-Za-z0-9_]*$. Invalid otherwise.
func CheckIdent(field, s string) error {
	if s == "" {
		return invalidf("%s is required", field)
	}
	if len(s) > MaxNameLen {
		return invalidf("%s longer than %d bytes", field, MaxNameLen)
	}
	if !isIdent(s) {
		return invalidf("invalid %s %q: want a name matching ^[A-Za-z_][A-Za-z0-9_]*$", field, s)
	}
	return nil
}

// quoteIdent double-quotes a name that passed isIdent (so it holds no quote).
func quoteIdent(s string) string { return `"` + s + `"` }

type tokKind uint8

const (
	tokIdent tokKind = iota + 1
	tokStar
	tokDot
	tokComma
	tokLParen
	tokRParen
)

type token struct {
	kind tokKind
	text string
}

// itemParser parses one item of the grammar above.
type itemParser struct {
	toks []token
	pos  int
}

// newItemParser splits s into tokens; false when s holds a character
// outside the grammar.
func newItemParser(s string) (*itemParser, bool) {
	p := &itemParser{toks: make([]token, 0, 8)}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i + 1
			for j < len(s) && (s[j] == '_' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
				j++
			}
			p.toks = append(p.toks, token{tokIdent, s[i:j]})
			i = j
		default:
			k := punct(c)
			if k == 0 {
				return nil, false
			}
			p.toks = append(p.toks, token{k, s[i : i+1]})
			i++
		}
	}
	return p, true
}

// punct returns the token kind of a punctuation byte, 0 for any other.
func punct(c byte) tokKind {
	switch c {
	case '*':
		return tokStar
	case '.':
		return tokDot
	case ',':
		return tokComma
	case '(':
		return tokLParen
	case ')':
		return tokRParen
	}
	return 0
}

func (p *itemParser) peek() token {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return token{}
}

func (p *itemParser) accept(k tokKind) (token, bool) {
	t := p.peek()
	if t.kind != k {
		return token{}, false
	}
	p.pos++
	return t, true
}

// keyword accepts an identifier token equal to kw (case-insensitively).
func (p *itemParser) keyword(kw string) bool {
	t := p.peek()
	if t.kind == tokIdent && strings.EqualFold(t.text, kw) {
		p.pos++
		return true
	}
	return false
}

func (p *itemParser) done() bool { return p.pos == len(p.toks) }

// ident accepts one identifier of bounded length.
func (p *itemParser) ident() (string, bool) {
	t, ok := p.accept(tokIdent)
	if !ok || len(t.text) > MaxNameLen {
		return "", false
	}
	return t.text, true
}

// columnAfter parses the rest of a column whose first identifier is first.
func (p *itemParser) columnAfter(first string) (string, bool) {
	if _, ok := p.accept(tokDot); !ok {
		return quoteIdent(first), true
	}
	second, ok := p.ident()
	if !ok {
		return "", false
	}
	return quoteIdent(first) + "." + quoteIdent(second), true
}

func (p *itemParser) column() (string, bool) {
	first, ok := p.ident()
	if !ok {
		return "", false
	}
	return p.columnAfter(first)
}

// callAfter parses the rest of a call whose name, given, is followed by "(".
func (p *itemParser) callAfter(name string) (string, bool) {
	fn := strings.ToUpper(name)
	aggregate, known := funcs[fn]
	if !known {
		return "", false
	}
	p.pos++ // "("
	var b strings.Builder
	b.WriteString(fn)
	b.WriteByte('(')
	switch {
	case p.peek().kind == tokStar:
		if fn != "COUNT" {
			return "", false
		}
		p.pos++
		b.WriteByte('*')
	case p.keyword("DISTINCT"):
		col, ok := p.column()
		if !aggregate || !ok {
			return "", false
		}
		b.WriteString("DISTINCT ")
		b.WriteString(col)
	default:
		for i := 0; ; i++ {
			col, ok := p.column()
			if !ok {
				return "", false
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(col)
			if _, more := p.accept(tokComma); !more {
				break
			}
		}
	}
	if _, ok := p.accept(tokRParen); !ok {
		return "", false
	}
	b.WriteByte(')')
	return b.String(), true
}

// expr parses column | call.
func (p *itemParser) expr() (string, bool) {
	first, ok := p.ident()
	if !ok {
		return "", false
	}
	if p.peek().kind == tokLParen {
		return p.callAfter(first)
	}
	return p.columnAfter(first)
}

// selectItem parses a select item and returns its SQL.
func selectItem(s string) (string, bool) {
	p, ok := newItemParser(s)
	if !ok {
		return "", false
	}
	if _, ok := p.accept(tokStar); ok {
		return "*", p.done()
	}
	if len(p.toks) == 3 && p.toks[0].kind == tokIdent && p.toks[1].kind == tokDot && p.toks[2].kind == tokStar {
		first, ok := p.ident()
		return quoteIdent(first) + ".*", ok
	}
	out, ok := p.expr()
	if !ok {
		return "", false
	}
	if p.keyword("AS") {
		alias, ok := p.ident()
		if !ok {
			return "", false
		}
		out += " AS " + quoteIdent(alias)
	}
	return out, p.done()
}

// orderItem parses an order item and returns its SQL.
func orderItem(s string) (string, bool) {
	p, ok := newItemParser(s)
	if !ok {
		return "", false
	}
	out, ok := p.expr()
	if !ok {
		return "", false
	}
	switch {
	case p.keyword("ASC"):
		out += " ASC"
	case p.keyword("DESC"):
		out += " DESC"
	}
	return out, p.done()
}

// groupItem parses a group item and returns its SQL.
func groupItem(s string) (string, bool) {
	p, ok := newItemParser(s)
	if !ok {
		return "", false
	}
	out, ok := p.column()
	return out, ok && p.done()
}

// joinTable parses a join table and returns its SQL.
func joinTable(s string) (string, bool) {
	p, ok := newItemParser(s)
	if !ok {
		return "", false
	}
	name, ok := p.ident()
	if !ok {
		return "", false
	}
	out := quoteIdent(name)
	if p.done() {
		return out, true
	}
	p.keyword("AS")
	alias, ok := p.ident()
	if !ok {
		return "", false
	}
	return out + " AS " + quoteIdent(alias), p.done()
}

// grammarError is the 400 for an item outside the grammar.
func grammarError(field, item, want string) error {
	return invalidf("invalid %s %q: want %s", field, item, want)
}

// What each item kind accepts, for error messages.
const (
	wantSelect = "*, table.*, column, table.column or FUNC(column), optionally followed by AS alias"
	wantOrder  = "column, table.column or FUNC(column), optionally followed by ASC or DESC"
	wantGroup  = "column or table.column"
	wantJoin   = "table or table [AS] alias"
)

// fieldAt names element i of a list field, e.g. "options.order_by[0]".
func fieldAt(field string, i int) string { return fmt.Sprintf("%s[%d]", field, i) }
