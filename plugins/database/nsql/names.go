package nsql

import (
	"strings"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

// sep separates the namespace from the name in a physical name.
const sep = "$"

// CheckNamespace returns an invalid *sdk.Error unless ns matches
// ^[A-Za-z0-9_-]{1,128}$. It also refuses namespaces that start with
// "sqlite_" (any case): SQLite reserves such object names, and its
// automatic index names ("sqlite_autoindex_<table>_N") would otherwise look
// like the physical names of such a namespace.
func CheckNamespace(ns string) error {
	if ns == "" || len(ns) > database.MaxNameLen {
		return sdk.Errorf(sdk.CodeInvalid, "invalid namespace %q: want 1 to %d of A-Z a-z 0-9 _ -", ns, database.MaxNameLen)
	}
	for i := 0; i < len(ns); i++ {
		if !isNamespaceByte(ns[i]) {
			return sdk.Errorf(sdk.CodeInvalid, "invalid namespace %q: want 1 to %d of A-Z a-z 0-9 _ -", ns, database.MaxNameLen)
		}
	}
	if hasPrefixFold(ns, "sqlite_") {
		return sdk.Errorf(sdk.CodeInvalid, "invalid namespace %q: names starting with sqlite_ are reserved by SQLite", ns)
	}
	return nil
}

func isNamespaceByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// Physical returns the name under which the engine stores name of ns:
// prefix(ns) + "$" + name.
func Physical(ns, name string) string { return prefix(ns) + sep + name }

// caseMark marks an upper-case letter in a physical prefix. SQLite compares
// names without regard to ASCII case, so "Acme$t" and "acme$t" would be one
// table; the prefix therefore spells namespaces in lower case with each
// upper-case letter preceded by caseMark ("Acme" → "^acme"), which keeps
// namespaces that differ only in case apart. caseMark is not a namespace
// byte, so the encoding is injective.
const caseMark = '^'

// prefix returns ns as it appears in physical names.
func prefix(ns string) string {
	upper := 0
	for i := 0; i < len(ns); i++ {
		if ns[i] >= 'A' && ns[i] <= 'Z' {
			upper++
		}
	}
	if upper == 0 {
		return ns
	}
	b := make([]byte, 0, len(ns)+upper)
	for i := 0; i < len(ns); i++ {
		c := ns[i]
		if c >= 'A' && c <= 'Z' {
			b = append(b, caseMark, c+'a'-'A')
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

// Logical returns the name that physical has in ns: physical without its
// "ns$" prefix, compared without regard to ASCII case as SQLite compares
// identifiers. It returns false when physical belongs to another namespace
// or to nobody (no prefix, an empty name, or a name that itself contains
// '$', which Rewrite never creates).
func Logical(ns, physical string) (string, bool) {
	if CheckNamespace(ns) != nil {
		return "", false
	}
	pre := prefix(ns)
	if len(physical) <= len(pre)+1 || physical[len(pre)] != sep[0] || !equalFold(physical[:len(pre)], pre) {
		return "", false
	}
	name := physical[len(pre)+1:]
	if strings.Contains(name, sep) {
		return "", false
	}
	return name, true
}

// quoted returns name as a quoted identifier that SQLite and the
// rqlite/sql scanner read alike. That scanner ends a "…" identifier at a
// backtick and a `…` one at a double quote, where SQLite reads both as
// plain characters; and the rqlite server re-parses statements with it
// (to replace random() and time functions) and sends its re-print to
// SQLite. So a name is written in double quotes, or in backticks when it
// holds a backtick (or when backtick is set and it holds no double quote);
// a name holding both cannot be written (ok is false).
func quoted(name string, backtick bool) (string, bool) {
	hasQuote, hasTick := strings.Contains(name, `"`), strings.Contains(name, "`")
	switch {
	case hasQuote && hasTick:
		return "", false
	case hasTick || backtick && !hasQuote:
		return "`" + strings.ReplaceAll(name, "`", "``") + "`", true
	default:
		return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`, true
	}
}

// quoteIdent returns name quoted (see quoted), refusing names that hold
// both a double quote and a backtick.
func quoteIdent(name string) string {
	q, ok := quoted(name, false)
	if !ok {
		unsupported("identifier %q holds both a double quote and a backtick", name)
	}
	return q
}

// quoteString returns s as a single-quoted SQL string literal.
func quoteString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// equalFold compares ASCII letters without regard to case and every other
// byte exactly, as SQLite's sqlite3StrICmp does. (strings.EqualFold would
// also fold non-ASCII letters, which SQLite does not.)
func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && equalFold(s[:len(prefix)], prefix)
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// lowerASCII folds the ASCII letters of s to lower case.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				b[j] = lower(b[j])
			}
			return string(b)
		}
	}
	return s
}
