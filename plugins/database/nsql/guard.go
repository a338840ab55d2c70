package nsql

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
	rq "github.com/rqlite/sql"
)

func errTooDeep() *sdk.Error {
	return sdk.Errorf(sdk.CodeInvalid, "statement nests too deeply (at most %d levels)", maxDepth)
}

// checkText refuses text before it is parsed: too long, not UTF-8, holding
// NUL (the engine reads SQL as a C string), or nested so deeply that
// parsing it would itself cost too much.
func checkText(text string) error {
	switch {
	case strings.TrimSpace(text) == "":
		return sdk.Errorf(sdk.CodeInvalid, "empty statement")
	case len(text) > database.MaxSQLLen:
		return sdk.Errorf(sdk.CodeInvalid, "statement longer than %d bytes", database.MaxSQLLen)
	case !utf8.ValidString(text):
		return sdk.Errorf(sdk.CodeInvalid, "statement is not valid UTF-8")
	case strings.IndexByte(text, 0) >= 0:
		return sdk.Errorf(sdk.CodeInvalid, "statement contains a NUL byte")
	}
	err := prescan(text)
	if err == errGluedNumber {
		return engineError(text, err)
	}
	return err
}

// prescan looks at the tokens of text, with the parser's own scanner so
// that both agree on what is quoted, for what the parser would get wrong:
//
//   - Nesting. The parser recurses once per "(", CASE, BETWEEN, compound
//     operator, SELECT inside an expression and prefix operator; a million
//     of them would grow its stack to hundreds of megabytes. prescan
//     over-estimates the depth and refuses more than maxDepth (SQLite
//     itself refuses expressions deeper than 1000).
//   - RIGHT and FULL joins. The parser does not know these keywords and
//     reads "t RIGHT JOIN u" as "t AS right JOIN u": an inner join.
//   - A number glued to a word. SQLite reads 1_000 as 1000 (and refuses
//     1abc); the parser reads both as a number with an alias.
func prescan(text string) error {
	type opener int
	const (
		paren opener = iota
		caseKw
		open // closed only by the enclosing ")"
	)
	var stack []opener
	s := rq.NewScanner(strings.NewReader(text))
	run, deepest, numberEnd := 0, 0, -1
	prev, prevLit := rq.ILLEGAL, ""
	for {
		pos, tok, lit := s.Scan()
		if tok == rq.EOF {
			break
		}
		if tok == rq.COMMENT {
			continue
		}
		if pos.Offset == numberEnd && (tok == rq.IDENT || isKeyword(tok)) {
			return errGluedNumber
		}
		numberEnd = -1
		if tok == rq.INTEGER || tok == rq.FLOAT {
			numberEnd = pos.Offset + utf8.RuneCountInString(lit)
		}
		if (tok == rq.JOIN || tok == rq.OUTER) && prev == rq.IDENT && (equalFold(prevLit, "RIGHT") || equalFold(prevLit, "FULL")) {
			return errRightJoin()
		}
		switch tok {
		case rq.PLUS, rq.MINUS, rq.BITNOT, rq.NOT:
			run++
		default:
			run = 0
		}
		switch tok {
		case rq.LP:
			stack = append(stack, paren)
		case rq.RP:
			for len(stack) > 0 {
				top := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if top == paren {
					break
				}
			}
		case rq.CASE:
			stack = append(stack, caseKw)
		case rq.END:
			if len(stack) > 0 && stack[len(stack)-1] == caseKw {
				stack = stack[:len(stack)-1]
			}
		case rq.BETWEEN, rq.UNION, rq.INTERSECT, rq.EXCEPT:
			// The parser reads the range of a BETWEEN at the lowest
			// precedence, so everything after it nests inside.
			stack = append(stack, open)
		case rq.SELECT:
			if prev != rq.LP && prev != rq.ILLEGAL && prev != rq.SEMI {
				stack = append(stack, open)
			}
		case rq.SEMI:
			stack = stack[:0]
		}
		if d := len(stack) + run; d > deepest {
			deepest = d
		}
		if deepest > maxDepth {
			return errTooDeep()
		}
		prev, prevLit = tok, lit
	}
	return nil
}

// errGluedNumber is not shown as it is: SQLite is asked first (see
// checkText), since it refuses most such text itself.
var errGluedNumber = errors.New("a number directly followed by a name (such as 1_000)")

// isKeyword reports whether tok is a keyword (a word that is not an
// identifier).
func isKeyword(tok rq.Token) bool {
	return tok.String() != "" && rq.Lookup(tok.String()) == tok && tok != rq.IDENT
}

func errRightJoin() *sdk.Error {
	return sdk.Errorf(sdk.CodeInvalid, "statement not supported: RIGHT and FULL joins")
}

// leadingWords returns the first n words of text as SQLite tokenizes it,
// upper-cased, skipping white space and comments; a word is cut short at
// anything that is not a letter, digit, '_' or '$'.
func leadingWords(text string, n int) []string {
	var words []string
	i := 0
	for len(words) < n && i < len(text) {
		switch c := text[i]; {
		case c == ' ' || c >= '\t' && c <= '\r':
			i++
		case strings.HasPrefix(text[i:], "--"):
			j := strings.IndexByte(text[i:], '\n')
			if j < 0 {
				return words
			}
			i += j + 1
		case strings.HasPrefix(text[i:], "/*"):
			j := strings.Index(text[i+2:], "*/")
			if j < 0 {
				return words
			}
			i += j + 4
		case isWordByte(c) || c >= 0x80:
			j := i
			for j < len(text) && (isWordByte(text[j]) || text[j] == '$' || text[j] >= 0x80) {
				j++
			}
			words = append(words, upperASCII(text[i:j]))
			i = j
		default:
			return words
		}
	}
	return words
}

// leadingRefusal refuses statement kinds by their first words, before the
// parser or the sandbox see them (the parser knows neither ATTACH nor
// VACUUM, and the sandbox never prepares them).
func leadingRefusal(text string) error {
	w := leadingWords(text, 2)
	if len(w) == 0 {
		return nil
	}
	switch w[0] {
	case "ATTACH", "DETACH", "VACUUM", "ANALYZE", "REINDEX", "EXPLAIN":
		return sdk.Errorf(sdk.CodeForbidden, "%s is not allowed", w[0])
	case "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE":
		return errTransaction()
	case "CREATE":
		if len(w) > 1 {
			switch w[1] {
			case "TEMP", "TEMPORARY":
				return sdk.Errorf(sdk.CodeForbidden, "temporary tables, views and triggers are not allowed")
			case "VIRTUAL":
				return sdk.Errorf(sdk.CodeForbidden, "virtual tables are not allowed")
			}
		}
	}
	return nil
}

func errTransaction() *sdk.Error {
	return sdk.Errorf(sdk.CodeForbidden, "transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE) is not allowed: use the transaction API")
}
