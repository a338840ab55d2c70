package nsql

import "strings"

// A small tokenizer with SQLite's quoting rules, for Display. It only needs
// to tell identifiers from strings, comments and everything else, and it
// never fails: anything unknown is one "other" token.

type tokenKind int

const (
	tokSpace  tokenKind = iota // white space or a comment
	tokWord                    // an unquoted word: keyword or identifier
	tokQuoted                  // "ident", `ident` or [ident]
	tokString                  // 'string'
	tokOther                   // operators, numbers' punctuation, …
)

type token struct {
	kind tokenKind
	text string
}

func tokenize(s string) []token {
	var toks []token
	for i := 0; i < len(s); {
		j, kind := scanToken(s, i)
		toks = append(toks, token{kind: kind, text: s[i:j]})
		i = j
	}
	return toks
}

// scanToken returns the end of the token starting at s[i], and its kind.
func scanToken(s string, i int) (int, tokenKind) {
	c := s[i]
	switch {
	case c == ' ' || c >= '\t' && c <= '\r':
		j := i + 1
		for j < len(s) && (s[j] == ' ' || s[j] >= '\t' && s[j] <= '\r') {
			j++
		}
		return j, tokSpace
	case strings.HasPrefix(s[i:], "--"):
		if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
			return i + j + 1, tokSpace
		}
		return len(s), tokSpace
	case strings.HasPrefix(s[i:], "/*"):
		if j := strings.Index(s[i+2:], "*/"); j >= 0 {
			return i + 2 + j + 2, tokSpace
		}
		return len(s), tokSpace
	case c == '"' || c == '`' || c == '\'':
		j := i + 1
		for j < len(s) {
			if s[j] == c {
				if j+1 < len(s) && s[j+1] == c {
					j += 2
					continue
				}
				j++
				if c == '\'' {
					return j, tokString
				}
				return j, tokQuoted
			}
			j++
		}
		return len(s), tokOther
	case c == '[':
		if j := strings.IndexByte(s[i:], ']'); j >= 0 {
			return i + j + 1, tokQuoted
		}
		return len(s), tokOther
	case isWordByte(c) || c == '$' || c >= 0x80:
		j := i + 1
		for j < len(s) && (isWordByte(s[j]) || s[j] == '$' || s[j] >= 0x80) {
			j++
		}
		return j, tokWord
	}
	return i + 1, tokOther
}

// identName returns the identifier a token names, unquoted.
func (t token) identName() (string, bool) {
	switch t.kind {
	case tokWord:
		return t.text, true
	case tokQuoted:
		q := t.text[0]
		inner := t.text[1 : len(t.text)-1]
		if q == '[' {
			return inner, true
		}
		return strings.ReplaceAll(inner, string(q)+string(q), string(q)), true
	}
	return "", false
}
