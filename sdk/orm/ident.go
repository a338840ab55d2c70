package orm

import "strings"

// isIdent reports whether s matches ^[A-Za-z_][A-Za-z0-9_]*$.
func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// isColumn reports whether s is a column reference: name or table.name.
func isColumn(s string) bool {
	table, col, dotted := strings.Cut(s, ".")
	if !dotted {
		return isIdent(s)
	}
	return isIdent(table) && isIdent(col)
}

// isSelectable reports whether s may stand in a select list: a column
// reference, *, or table.*.
func isSelectable(s string) bool {
	if s == "*" {
		return true
	}
	if table, ok := strings.CutSuffix(s, ".*"); ok {
		return isIdent(table)
	}
	return isColumn(s)
}

// splitAlias splits "x", "x alias" or "x AS alias" (any case, any
// spacing) into x and alias; ok is false for any other shape.
func splitAlias(s string) (name, alias string, ok bool) {
	f := strings.Fields(s)
	switch {
	case len(f) == 1:
		return f[0], "", true
	case len(f) == 2:
		return f[0], f[1], isIdent(f[1])
	case len(f) == 3 && strings.EqualFold(f[1], "AS"):
		return f[0], f[2], isIdent(f[2])
	}
	return "", "", false
}
