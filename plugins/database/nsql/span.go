package nsql

import (
	"reflect"
	"strings"
	"unicode"

	rq "github.com/rqlite/sql"
)

// Column names. SQLite names a result column without alias after the text
// the client wrote for it ("count(*)", "price * 2"), but the rewritten text
// differs ("count"(*)). So where names can be seen, an unaliased
// expression that is not a plain column gets its original text as alias:
// the names a client sees do not change.

// needsName reports whether SQLite would name a result column after its
// text rather than after a column.
func needsName(e rq.Expr) bool {
	for {
		pe, ok := e.(*rq.ParenExpr)
		if !ok {
			break
		}
		e = pe.X
	}
	switch x := e.(type) {
	case *rq.QualifiedRef:
		return false
	case *rq.Ident:
		// Unquoted CURRENT_TIMESTAMP & co are written in upper case.
		return !x.Quoted && isTimeKeyword(x.Name)
	}
	return true
}

// span returns the original text of e as SQLite delimits it: from its first
// token to the start of the token after it, less surrounding white space
// (comments before the next token stay, as in SQLite).
func (p *printer) span(e rq.Expr) (string, bool) {
	lo, hi := -1, -1
	positions(reflect.ValueOf(e), func(pos rq.Pos) {
		if !pos.IsValid() {
			return
		}
		if lo < 0 || pos.Offset < lo {
			lo = pos.Offset
		}
		if pos.Offset > hi {
			hi = pos.Offset
		}
	})
	if p.srcRune(rq.Pos{Offset: hi, Line: 1}) < 0 || lo < 0 {
		return "", false
	}
	s := rq.NewScanner(strings.NewReader(string(p.runes[hi:])))
	_, tok, _ := s.Scan() // the last token of e that the parser recorded
	if tok == rq.IS || tok == rq.NOT {
		s.Scan() // "IS NULL" and "NOT NULL" end with an unrecorded NULL
	}
	end := len(p.runes)
	for {
		pos, tok, _ := s.Scan()
		if tok == rq.COMMENT {
			continue
		}
		if tok != rq.EOF {
			end = hi + pos.Offset
		}
		break
	}
	if end <= lo {
		return "", false
	}
	text := strings.TrimFunc(string(p.runes[lo:end]), unicode.IsSpace)
	return text, text != ""
}

var posType = reflect.TypeOf(rq.Pos{})

// positions calls fn for every token position in the tree under v.
func positions(v reflect.Value, fn func(rq.Pos)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			positions(v.Elem(), fn)
		}
	case reflect.Struct:
		if v.Type() == posType {
			fn(v.Interface().(rq.Pos))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				positions(v.Field(i), fn)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			positions(v.Index(i), fn)
		}
	}
}
