package nsql

import (
	"strings"

	rq "github.com/rqlite/sql"
)

// maxDepth bounds the printer's recursion. SQLite itself refuses
// expressions nested deeper than 1000 levels.
const maxDepth = 1000

// printer writes a statement back as SQL, mapping every object name to its
// physical name on the way. It is the allow-list: it knows every node it
// accepts and refuses (by panicking with a refusal) any node or field it
// does not know, so nothing reaches the engine that was not checked.
type printer struct {
	ns      string
	src     string // the statement as the client wrote it
	runes   []rune // src as runes (parser positions count runes), lazily
	b       strings.Builder
	scopes  []frame
	depth   int
	trigger bool // printing the body of a CREATE TRIGGER
}

// frame is one scope of names that can qualify a column reference.
type frame []source

// source is a name visible in a scope. A qualifier naming it is written as
// physical when physical is set (a DML target without alias, where SQLite
// allows no alias), else as it was written.
type source struct {
	name     string
	physical string
}

// srcRune returns the character of the client's text at pos, or -1.
func (p *printer) srcRune(pos rq.Pos) rune {
	if p.runes == nil {
		p.runes = []rune(p.src)
	}
	if !pos.IsValid() || pos.Offset < 0 || pos.Offset >= len(p.runes) {
		return -1
	}
	return p.runes[pos.Offset]
}

func (p *printer) enter() {
	if p.depth++; p.depth > maxDepth {
		panic(refusal{errTooDeep()})
	}
}

func (p *printer) leave() { p.depth-- }

func (p *printer) push(f frame) { p.scopes = append(p.scopes, f) }
func (p *printer) pop()         { p.scopes = p.scopes[:len(p.scopes)-1] }

// qualifier returns how to write a column qualifier: the physical name of
// the DML target it names, or the name itself quoted.
func (p *printer) qualifier(name string) string {
	for i := len(p.scopes) - 1; i >= 0; i-- {
		for _, s := range p.scopes[i] {
			if equalFold(s.name, name) {
				if s.physical != "" {
					return quoteIdent(s.physical)
				}
				return quoteIdent(name)
			}
		}
	}
	return quoteIdent(name)
}

// t writes one token, separated from the previous one by a space unless
// the pair needs none. Tokens are always separated where merging could
// change them ("- -1" never becomes a "--" comment).
func (p *printer) t(tok string) {
	if p.b.Len() > 0 && tok != "" {
		s := p.b.String()
		last := s[len(s)-1]
		switch {
		case last == '(' || last == ' ' || last == '.':
		case tok[0] == ')' || tok[0] == ',' || tok[0] == '.':
		default:
			p.b.WriteByte(' ')
		}
	}
	p.b.WriteString(tok)
}

// glue writes tok directly after the previous token (a call's "(").
func (p *printer) glue(tok string) { p.b.WriteString(tok) }

func (p *printer) kw(words ...string) {
	for _, w := range words {
		p.t(w)
	}
}

// where writes WHERE e, when there is an e.
func (p *printer) where(e rq.Expr) {
	if e != nil {
		p.t("WHERE")
		p.expr(e)
	}
}

// ident writes an identifier that is not an object name.
func (p *printer) ident(what, name string) {
	checkIdent(what, name)
	p.t(quoteIdent(name))
}

// created writes the name of the object a CREATE makes, after IF NOT
// EXISTS when ifNotExists is valid.
func (p *printer) created(what string, ifNotExists rq.Pos, name string) {
	if ifNotExists.IsValid() {
		p.kw("IF", "NOT", "EXISTS")
	}
	p.object(what, name)
}

// object writes the physical name of one of the namespace's objects.
func (p *printer) object(what, name string) {
	checkObjectName(what, name)
	p.t(quoteIdent(Physical(p.ns, name)))
}

// list writes n items separated by commas.
func (p *printer) list(n int, item func(i int)) {
	for i := 0; i < n; i++ {
		if i > 0 {
			p.t(",")
		}
		item(i)
	}
}
