package nsql

import (
	"strings"
)

// Display returns a stored CREATE statement (the sql column of
// sqlite_master) as ns would have written it: ns's physical names become
// logical ones, and the aliases Rewrite added ("ns$items" AS "items") are
// dropped again. It is best effort and never fails: text it cannot make
// sense of is returned as it is.
func Display(ns, physicalSQL string) string {
	toks := tokenize(physicalSQL)
	var b strings.Builder
	b.Grow(len(physicalSQL))
	for i := 0; i < len(toks); i++ {
		tk := toks[i]
		name, ok := tk.identName()
		if !ok {
			b.WriteString(tk.text)
			continue
		}
		logical, mine := Logical(ns, name)
		q, ok := quoted(logical, false)
		if !mine || !ok {
			b.WriteString(tk.text)
			continue
		}
		b.WriteString(q)
		if j, ok := aliasOf(toks, i, logical); ok {
			i = j
		}
	}
	return b.String()
}

// aliasOf reports whether toks[i] is followed by AS <logical> and returns
// the index of that alias.
func aliasOf(toks []token, i int, logical string) (int, bool) {
	j := skipSpace(toks, i+1)
	if j >= len(toks) || !equalFold(toks[j].text, "AS") {
		return 0, false
	}
	k := skipSpace(toks, j+1)
	if k >= len(toks) {
		return 0, false
	}
	if name, ok := toks[k].identName(); ok && name == logical {
		return k, true
	}
	return 0, false
}

func skipSpace(toks []token, i int) int {
	for i < len(toks) && toks[i].kind == tokSpace {
		i++
	}
	return i
}

// CleanMessage rewrites an engine error message for ns: its physical names
// are shown as logical ones ("no such table: a$items" becomes "no such
// table: items"), and names of other namespaces, which SQLite can mention
// when it checks the whole schema (ALTER TABLE re-reads every view), are
// hidden.
func CleanMessage(ns, msg string) string {
	if !strings.Contains(msg, sep) {
		return msg
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(msg); i++ {
		if msg[i] != sep[0] {
			continue
		}
		start := i
		for start > last && (isNamespaceByte(msg[start-1]) || msg[start-1] == caseMark) {
			start--
		}
		pre, own := msg[start:i], prefix(ns)
		switch {
		case pre == "" || start < last:
			continue
		case equalFold(pre, own):
			b.WriteString(msg[last:start])
		case hasPrefixFold(pre, "sqlite_autoindex_") && equalFold(pre[len("sqlite_autoindex_"):], own):
			b.WriteString(msg[last:start])
			b.WriteString(pre[:len("sqlite_autoindex_")])
		default:
			end := i + 1
			for end < len(msg) && !strings.ContainsRune(" \t\n\"'`[](),;:.", rune(msg[end])) {
				end++
			}
			b.WriteString(msg[last:start])
			b.WriteString("(another namespace's object)")
			last, i = end, end-1
			continue
		}
		last = i + 1
	}
	b.WriteString(msg[last:])
	return b.String()
}
