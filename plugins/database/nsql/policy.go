package nsql

import (
	"strings"

	"github.com/orama-network/orama/sdk"
	rq "github.com/rqlite/sql"
)

// refusal carries an *sdk.Error out of the printer; Rewrite recovers it.
type refusal struct{ err *sdk.Error }

func forbid(format string, args ...any) {
	panic(refusal{sdk.Errorf(sdk.CodeForbidden, format, args...)})
}

// noSchema forbids the schema of a schema-qualified name (schema.name).
func noSchema(schema *rq.Ident) {
	if schema != nil {
		forbid("schema-qualified names (%s.…) are not allowed", schema.Name)
	}
}

func unsupported(format string, args ...any) {
	panic(refusal{sdk.Errorf(sdk.CodeInvalid, "statement not supported: "+format, args...)})
}

// systemTables are SQLite's own tables, named in their refusal message.
var systemTables = map[string]bool{
	"sqlite_master": true, "sqlite_schema": true,
	"sqlite_temp_master": true, "sqlite_temp_schema": true,
	"sqlite_sequence": true, "sqlite_stat1": true, "sqlite_stat4": true,
	"sqlite_dbpage": true, "sqlite_stmt": true,
}

// checkObjectName refuses a name that cannot be a namespace's table, view,
// index, trigger or CTE: one holding '$' (it could spell another
// namespace's physical name) or starting with sqlite_ (SQLite's own).
func checkObjectName(what, name string) {
	if name == "" {
		unsupported("empty %s name", what)
	}
	if strings.Contains(name, sep) {
		forbid("%s name %q must not contain '$'", what, name)
	}
	if hasPrefixFold(name, "sqlite_") {
		if systemTables[lowerASCII(name)] {
			forbid("access to %s is not allowed", lowerASCII(name))
		}
		forbid("%s name %q is reserved: names starting with sqlite_ belong to SQLite", what, name)
	}
}

// checkIdent refuses any other identifier (column, alias, constraint,
// window, collation) holding '$', so that no quoting style can smuggle a
// physical name anywhere in a statement.
func checkIdent(what, name string) {
	if strings.Contains(name, sep) {
		forbid("%s %q must not contain '$'", what, name)
	}
}

// deniedFunctions reach outside the database or into SQLite's internals.
// Most are not compiled into modernc.org/sqlite; they are refused anyway so
// that a build with extensions cannot open a hole.
var deniedFunctions = map[string]string{
	"load_extension": "load_extension is not allowed",
	"readfile":       "readfile is not allowed",
	"writefile":      "writefile is not allowed",
	"edit":           "edit is not allowed",
	"fts3_tokenizer": "fts3_tokenizer is not allowed",
	"lsdir":          "lsdir is not allowed",
	"fsdir":          "fsdir is not allowed",
	"total_changes":  "total_changes is not allowed: it counts other namespaces' changes on a shared connection",
	// SQLite keeps both per connection, and connections are shared by
	// every namespace: before a namespace's own write they show the last
	// write of whichever namespace used the connection before.
	"last_insert_rowid": "last_insert_rowid is not allowed: it can show another namespace's row id on a shared connection; " +
		"use last_insert_id of the exec result, or INSERT … RETURNING id",
	"changes": "changes is not allowed: it can count another namespace's changes on a shared connection; " +
		"use rows_affected of the exec result, or … RETURNING",
}

// allowedSQLiteFunctions are the harmless functions whose name starts with
// sqlite_; every other sqlite_* function is internal to SQLite.
var allowedSQLiteFunctions = map[string]bool{
	"sqlite_version": true, "sqlite_source_id": true,
	"sqlite_compileoption_get": true, "sqlite_compileoption_used": true,
	"sqlite_offset": true,
}

// checkFunction refuses a scalar, aggregate or window function by name.
func checkFunction(name string) {
	checkIdent("function name", name)
	n := lowerASCII(name)
	if msg, ok := deniedFunctions[n]; ok {
		forbid("%s", msg)
	}
	if strings.HasPrefix(n, "pragma_") {
		forbid("PRAGMA functions (%s) are not allowed", n)
	}
	if strings.HasPrefix(n, "sqlite_") && !allowedSQLiteFunctions[n] {
		forbid("function %s is not allowed", n)
	}
}

// tableFunctions are the table-valued functions a FROM clause (or the right
// side of IN) may call. Everything else is refused: pragma_* would read
// the schema, and eponymous virtual tables such as dbstat or sqlite_dbpage
// see every namespace's pages.
var tableFunctions = map[string]bool{"json_each": true, "json_tree": true}

func checkTableFunction(name string) {
	checkIdent("function name", name)
	n := lowerASCII(name)
	if strings.HasPrefix(n, "pragma_") {
		forbid("PRAGMA functions (%s) are not allowed", n)
	}
	if !tableFunctions[n] {
		forbid("table-valued function %s is not allowed (allowed: json_each, json_tree)", n)
	}
}

// readPragmas are the PRAGMAs a namespace may run, each with one argument:
// the name of one of its tables or indexes.
var readPragmas = map[string]string{
	"table_info":       "table",
	"table_xinfo":      "table",
	"index_list":       "table",
	"foreign_key_list": "table",
	"index_info":       "index",
	"index_xinfo":      "index",
}
