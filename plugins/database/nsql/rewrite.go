package nsql

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/orama-network/orama/sdk"
	rq "github.com/rqlite/sql"
)

// Statement is one statement rewritten for a namespace.
type Statement struct {
	SQL      string // rewritten SQL with physical, double-quoted names
	ReadOnly bool   // SELECT (incl. WITH … SELECT) and allowed read-only PRAGMAs
	Kind     string // "select","insert","update","delete","create_table","create_index","create_view","create_trigger","drop_table","drop_index","drop_view","drop_trigger","alter_table","pragma"
}

// Rewrite parses sql, which must be exactly one statement (a trailing ";",
// white space and comments are fine), checks it against the allow-list and
// returns it with every table, view, index, trigger and CTE name replaced by
// its physical name in ns.
//
// Errors (*sdk.Error): invalid for an invalid namespace, for SQL that is not
// valid SQLite (with SQLite's own message) and for valid SQLite the parser
// cannot handle ("statement not supported: …"); forbidden for statements
// and names that are not allowed.
func Rewrite(ns, sql string) (Statement, error) {
	if err := CheckNamespace(ns); err != nil {
		return Statement{}, err
	}
	if err := checkText(sql); err != nil {
		return Statement{}, err
	}
	if err := leadingRefusal(sql); err != nil {
		return Statement{}, err
	}
	stmt, err := parse(sql)
	if err != nil {
		return Statement{}, err
	}
	return render(ns, sql, stmt)
}

// parse parses exactly one statement.
func parse(text string) (rq.Statement, error) {
	p := rq.NewParser(strings.NewReader(text))
	stmt, err := parseNext(p)
	if errors.Is(err, io.EOF) {
		return nil, sdk.Errorf(sdk.CodeInvalid, "empty statement")
	}
	if err != nil {
		return nil, engineError(text, err)
	}
	if _, err := parseNext(p); !errors.Is(err, io.EOF) {
		return nil, errMultiple()
	}
	return stmt, nil
}

// parseNext parses the next statement. The parser panics on some inputs;
// that is treated as a parse error.
func parseNext(p *rq.Parser) (stmt rq.Statement, err error) {
	defer func() {
		if r := recover(); r != nil {
			stmt, err = nil, fmt.Errorf("parser failed: %v", r)
		}
	}()
	return p.ParseStatement()
}

func errPragma() *sdk.Error {
	return sdk.Errorf(sdk.CodeForbidden, "PRAGMA is not allowed, except table_info, table_xinfo, index_list, index_info, index_xinfo and foreign_key_list with one name in parentheses")
}

func errMultiple() *sdk.Error {
	return sdk.Errorf(sdk.CodeForbidden, "multiple statements are not allowed: send one statement per request")
}

// engineError explains text the parser refused: SQLite's own message when
// SQLite refuses it too, else "statement not supported".
func engineError(text string, parseErr error) error {
	if w := leadingWords(text, 1); len(w) == 1 && w[0] == "PRAGMA" {
		// Every allowed PRAGMA parses; the others never reach the
		// sandbox (some act while they are compiled).
		return errPragma()
	}
	msg, valid, ok := engineVerdict(text)
	switch {
	case !ok:
		return sdk.Errorf(sdk.CodeInvalid, "%s", parseErr.Error())
	case !valid:
		return sdk.Errorf(sdk.CodeInvalid, "%s", msg)
	case dollarName(text):
		return sdk.Errorf(sdk.CodeForbidden, "names must not contain '$'")
	default:
		return sdk.Errorf(sdk.CodeInvalid, "statement not supported: %s", parseErr.Error())
	}
}

// dollarName reports whether text, tokenized as SQLite does, holds an
// identifier with '$' (a parameter such as $name starts with it).
func dollarName(text string) bool {
	for _, t := range tokenize(text) {
		switch {
		case t.kind == tokWord && strings.Contains(t.text[1:], sep):
			return true
		case t.kind == tokQuoted && strings.Contains(t.text, sep):
			return true
		}
	}
	return false
}

func render(ns, text string, stmt rq.Statement) (st Statement, err error) {
	p := &printer{ns: ns, src: text}
	defer func() {
		if r := recover(); r != nil {
			if ref, ok := r.(refusal); ok {
				st, err = Statement{}, ref.err
				return
			}
			st, err = Statement{}, sdk.Errorf(sdk.CodeInvalid, "statement not supported (internal error: %v)", r)
		}
	}()
	switch s := stmt.(type) {
	case *rq.SelectStatement:
		p.selectStmt(s, true)
		st = Statement{Kind: "select", ReadOnly: true}
	case *rq.InsertStatement:
		p.insert(s)
		st.Kind = "insert"
	case *rq.UpdateStatement:
		p.update(s)
		st.Kind = "update"
	case *rq.DeleteStatement:
		p.delete(s)
		st.Kind = "delete"
	case *rq.CreateTableStatement:
		p.createTable(s)
		st.Kind = "create_table"
	case *rq.CreateIndexStatement:
		p.createIndex(s)
		st.Kind = "create_index"
	case *rq.CreateViewStatement:
		p.createView(s)
		st.Kind = "create_view"
	case *rq.CreateTriggerStatement:
		p.createTrigger(s)
		st.Kind = "create_trigger"
	case *rq.DropTableStatement:
		p.drop("table", s.IfExists.IsValid(), s.Schema, s.Name)
		st.Kind = "drop_table"
	case *rq.DropIndexStatement:
		p.drop("index", s.IfExists.IsValid(), s.Schema, s.Name)
		st.Kind = "drop_index"
	case *rq.DropViewStatement:
		p.drop("view", s.IfExists.IsValid(), nil, s.Name)
		st.Kind = "drop_view"
	case *rq.DropTriggerStatement:
		p.drop("trigger", s.IfExists.IsValid(), nil, s.Name)
		st.Kind = "drop_trigger"
	case *rq.AlterTableStatement:
		p.alterTable(s)
		st.Kind = "alter_table"
	case *rq.PragmaStatement:
		p.pragma(s)
		st = Statement{Kind: "pragma", ReadOnly: true}
	case *rq.ExplainStatement:
		forbid("EXPLAIN is not allowed")
	case *rq.BeginStatement, *rq.CommitStatement, *rq.RollbackStatement,
		*rq.SavepointStatement, *rq.ReleaseStatement:
		return Statement{}, errTransaction()
	case *rq.AnalyzeStatement:
		forbid("ANALYZE is not allowed")
	case *rq.ReindexStatement:
		forbid("REINDEX is not allowed")
	case *rq.CreateVirtualTableStatement:
		forbid("virtual tables are not allowed")
	default:
		forbid("%T is not allowed", stmt)
	}
	st.SQL = p.b.String()
	return st, nil
}
