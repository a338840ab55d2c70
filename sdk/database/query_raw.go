package database

import "errors"

// Raw expressions: a join's On and a Where's Expr are SQL expressions
// written by the client and passed through. That is safe for tenancy
// because every implementation of Database confines each statement it runs
// to its namespace (see the package doc): whatever an expression names, it
// cannot reach another namespace's tables or the system's.
//
// What BuildSelect guarantees on top is that the statement keeps the shape
// it gave it. checkRawExpr accepts an expression only if it
//   - is not empty,
//   - has balanced parentheses and closed '…', "…", `…` and […] quotes
//     (so, wrapped in parentheses by the builder, it cannot close them),
//   - holds no ';' and no comment (-- or /*) outside quotes (so it cannot
//     end the statement or hide the rest of it),
//   - uses only anonymous ? placeholders (?NNN, :name, @name and $name
//     would bind by position or name across the whole built statement).
//
// It returns the number of ? placeholders, so the builder can check that
// the arguments line up.

var (
	errRawEmpty       = errors.New("is required")
	errRawParens      = errors.New("unbalanced parentheses")
	errRawQuote       = errors.New("unterminated quoted string or identifier")
	errRawSemicolon   = errors.New("must be a single expression: ';' is not allowed")
	errRawComment     = errors.New("comments are not allowed")
	errRawNamedParams = errors.New("only anonymous ? placeholders are allowed")
)

// checkRawExpr validates a raw expression and counts its placeholders.
func checkRawExpr(s string) (placeholders int, err error) {
	depth, blank := 0, true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			blank = false
		}
		switch c {
		case '\'', '"', '`', '[':
			end := closingQuote(c)
			j := i + 1
			for j < len(s) && s[j] != end {
				j++
			}
			if j == len(s) {
				return 0, errRawQuote
			}
			i = j // a doubled quote ('') is two adjacent literals: same scan
		case '(':
			depth++
		case ')':
			if depth--; depth < 0 {
				return 0, errRawParens
			}
		case ';':
			return 0, errRawSemicolon
		case '-':
			if i+1 < len(s) && s[i+1] == '-' {
				return 0, errRawComment
			}
		case '/':
			if i+1 < len(s) && s[i+1] == '*' {
				return 0, errRawComment
			}
		case '?':
			if i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
				return 0, errRawNamedParams
			}
			placeholders++
		case ':', '@', '$':
			// A parameter name starts here unless the byte continues an
			// identifier ($ is allowed inside SQLite identifiers).
			prevIdent := i > 0 && isWordByte(s[i-1])
			if !prevIdent && i+1 < len(s) && isWordByte(s[i+1]) {
				return 0, errRawNamedParams
			}
		}
	}
	if blank {
		return 0, errRawEmpty
	}
	if depth != 0 {
		return 0, errRawParens
	}
	return placeholders, nil
}

func closingQuote(open byte) byte {
	if open == '[' {
		return ']'
	}
	return open
}
