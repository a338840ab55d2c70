package nsql

import (
	"strings"

	rq "github.com/rqlite/sql"
)

// The literal checks below are belts and braces: the scanner only produces
// these shapes, and checking them again means no literal text can ever
// carry a quote, space or comment into the output.

// number checks a numeric literal ("12", "1.5e-3", "0x1F", "-1").
func number(s string) string {
	if s == "" {
		unsupported("empty number")
	}
	digits := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits = true
		case c == '.' || c == '+' || c == '-' || c == 'x' || c == 'X' ||
			c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F':
		default:
			unsupported("number %q", s)
		}
	}
	if !digits {
		unsupported("number %q", s)
	}
	return s
}

// blob checks the hex digits of a blob literal and writes it as x'…'.
func blob(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			unsupported("blob literal %q", s)
		}
	}
	return "x'" + s + "'"
}

// bind checks a parameter: ?, ?NNN, :name, @name or $name.
func bind(s string) string {
	if s == "" {
		unsupported("empty parameter")
	}
	rest := s[1:]
	switch s[0] {
	case '?':
		for i := 0; i < len(rest); i++ {
			if rest[i] < '0' || rest[i] > '9' {
				unsupported("parameter %q", s)
			}
		}
	case ':', '@', '$':
		if rest == "" {
			unsupported("parameter %q", s)
		}
		for i := 0; i < len(rest); i++ {
			if !isWordByte(rest[i]) {
				unsupported("parameter %q", s)
			}
		}
	default:
		unsupported("parameter %q", s)
	}
	return s
}

func timeKeyword(s string) string {
	if !isTimeKeyword(s) {
		unsupported("literal %q", s)
	}
	return upperASCII(s)
}

// isTimeKeyword reports whether s is CURRENT_DATE, CURRENT_TIME or
// CURRENT_TIMESTAMP, in any case.
func isTimeKeyword(s string) bool {
	return equalFold(s, "CURRENT_DATE") || equalFold(s, "CURRENT_TIME") || equalFold(s, "CURRENT_TIMESTAMP")
}

// typeName writes a column or CAST type: words, optionally with one or two
// signed numbers in parentheses. Types are not identifiers: they are
// written unquoted so that INTEGER PRIMARY KEY keeps its meaning.
func (p *printer) typeName(t *rq.Type) {
	if t == nil || t.Name == nil {
		unsupported("missing type name")
	}
	words := strings.Fields(t.Name.Name)
	if len(words) == 0 {
		unsupported("missing type name")
	}
	for _, w := range words {
		for i := 0; i < len(w); i++ {
			if !isWordByte(w[i]) {
				unsupported("type name %q", t.Name.Name)
			}
		}
		p.t(w)
	}
	if t.Precision != nil {
		p.glue("(")
		p.glue(number(t.Precision.Value))
		if t.Scale != nil {
			p.glue(", " + number(t.Scale.Value))
		}
		p.glue(")")
	}
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
