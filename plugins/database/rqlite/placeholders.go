package rqlite

import (
	"fmt"
	"strconv"
	"strings"
)

// placeholder is one parameter in an SQL text.
type placeholder struct {
	start, end int // byte offsets of the token
	index      int // 1-based parameter number
}

// placeholders finds the parameters of sql the way SQLite's tokenizer
// does: outside string literals, quoted identifiers and comments, "?"
// takes the number after the largest so far and "?NNN" the number NNN.
// Named parameters (:a, @a, $a) are refused: the driver only inlines into
// statements with positional parameters.
func placeholders(sql string) ([]placeholder, error) {
	var out []placeholder
	largest := 0
	for i := 0; i < len(sql); {
		c := sql[i]
		switch {
		case c == '\'' || c == '"' || c == '`':
			i = skipQuoted(sql, i, c)
		case c == '[':
			if j := strings.IndexByte(sql[i:], ']'); j >= 0 {
				i += j + 1
			} else {
				i = len(sql)
			}
		case c == '-' && strings.HasPrefix(sql[i:], "--"):
			if j := strings.IndexByte(sql[i:], '\n'); j >= 0 {
				i += j + 1
			} else {
				i = len(sql)
			}
		case c == '/' && strings.HasPrefix(sql[i:], "/*"):
			if j := strings.Index(sql[i+2:], "*/"); j >= 0 {
				i += j + 4
			} else {
				i = len(sql)
			}
		case c == '?':
			j := i + 1
			for j < len(sql) && sql[j] >= '0' && sql[j] <= '9' {
				j++
			}
			n := largest + 1
			if j > i+1 {
				v, err := strconv.Atoi(sql[i+1 : j])
				if err != nil || v < 1 {
					return nil, fmt.Errorf("bad parameter %q", sql[i:j])
				}
				n = v
			}
			largest = max(largest, n)
			out = append(out, placeholder{start: i, end: j, index: n})
			i = j
		case c == ':' || c == '@' || c == '$':
			if i+1 < len(sql) && isIdentByte(sql[i+1]) {
				return nil, fmt.Errorf("named parameters cannot be combined with such a text value")
			}
			i++
		case isIdentByte(c):
			for i < len(sql) && (isIdentByte(sql[i]) || sql[i] == '$') {
				i++
			}
		default:
			i++
		}
	}
	return out, nil
}

// skipQuoted returns the offset after the quoted token starting at i; a
// doubled quote is part of the token.
func skipQuoted(sql string, i int, q byte) int {
	for j := i + 1; j < len(sql); j++ {
		if sql[j] == q {
			if j+1 < len(sql) && sql[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(sql)
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// looksLikeBlob reports whether rqlite would bind the text s as a BLOB:
// after trimming spaces, x'…' (or X'…') around an even number of hex
// digits (rqlite's db.ParseHex).
func looksLikeBlob(s string) bool {
	t := strings.TrimSpace(s)
	if len(t) < 3 || t[0] != 'x' && t[0] != 'X' || t[1] != '\'' || t[len(t)-1] != '\'' {
		return false
	}
	h := t[2 : len(t)-1]
	if len(h)%2 != 0 {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// inlineTexts rewrites sql so that every text argument rqlite would bind
// as a BLOB is an SQL string literal instead. Every parameter becomes
// "?NNN" so the others keep their numbers; an inlined argument is sent as
// NULL (or dropped when no later parameter needs it).
func inlineTexts(sql string, args []any) (string, []any, error) {
	inline := map[int]bool{}
	for i, a := range args {
		if s, ok := a.(string); ok && looksLikeBlob(s) {
			inline[i+1] = true
		}
	}
	if len(inline) == 0 {
		return sql, args, nil
	}
	phs, err := placeholders(sql)
	if err != nil {
		return "", nil, err
	}
	var b strings.Builder
	last, used := 0, 0
	for _, p := range phs {
		b.WriteString(sql[last:p.start])
		if inline[p.index] && p.index <= len(args) {
			s := args[p.index-1].(string)
			b.WriteString("'" + strings.ReplaceAll(s, "'", "''") + "'")
		} else {
			b.WriteString("?" + strconv.Itoa(p.index))
			used = max(used, p.index)
		}
		last = p.end
	}
	b.WriteString(sql[last:])
	out := make([]any, min(used, len(args)))
	for i := range out {
		if !inline[i+1] {
			out[i] = args[i]
		}
	}
	return b.String(), out, nil
}
