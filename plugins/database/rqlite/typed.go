package rqlite

import (
	"strconv"
	"strings"
	"sync"

	"github.com/orama-network/orama/plugins/database/driver"
	rq "github.com/rqlite/sql"
)

// A read-only SELECT is read through two statements in one transaction
// (see the package doc): shapeStmt gives its column names, typedStmt its
// rows as (typeof, value) pairs. typedStmt needs the column count, which
// shapes remembers per statement text.

// refresh goes first in a read transaction that reads column names. The
// read connection of rqlite may hold an old schema after another
// connection changed it; SQLite notices only when a statement runs, and
// rqlite takes the column names before that, so the first statement on
// such a connection would report the old columns. Running this one loads
// the current schema for the statements after it.
var refresh = driver.Stmt{SQL: "SELECT 1 FROM sqlite_master LIMIT 0", ReadOnly: true}

// maxTyped is the most columns read typed: the typed form has two per
// column, and SQLite allows 2000 in a result. Wider SELECTs are read
// plain.
const maxTyped = 1000

// shapeStmt returns "SELECT * FROM (<sql>) LIMIT 0".
func shapeStmt(s driver.Stmt) driver.Stmt {
	s.SQL = "SELECT * FROM (" + embed(s.SQL) + "\n) LIMIT 0"
	return s
}

// typedStmt returns the typed form of s for n columns, reading at most
// limit rows.
func typedStmt(s driver.Stmt, n, limit int) driver.Stmt {
	var b strings.Builder
	b.WriteString("WITH _orama_q(")
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		b.WriteString("c" + strconv.Itoa(i))
	}
	b.WriteString(") AS (" + embed(s.SQL) + "\n) SELECT ")
	for i := 1; i <= n; i++ {
		c := "c" + strconv.Itoa(i)
		if i > 1 {
			b.WriteByte(',')
		}
		b.WriteString("typeof(" + c + "),CASE WHEN typeof(" + c + ")='blob' THEN hex(" + c + ") ELSE " + c + " END")
	}
	b.WriteString(" FROM _orama_q LIMIT " + strconv.Itoa(limit))
	s.SQL = b.String()
	return s
}

// embed trims a statement for embedding: no trailing ';' or spaces (a
// trailing comment is ended by the newline the callers add).
func embed(sql string) string {
	return strings.TrimRight(sql, "; \t\r\n")
}

// shapes caches the column count of statement texts. It is bounded; when
// full it starts over.
type shapes struct {
	mu sync.Mutex
	m  map[string]int
}

const maxShapes = 4096

// get returns the column count of sql: remembered, or counted from the
// text (staticColumns).
func (s *shapes) get(sql string) (int, bool) {
	s.mu.Lock()
	n, ok := s.m[sql]
	s.mu.Unlock()
	if ok {
		return n, true
	}
	return staticColumns(sql)
}

func (s *shapes) put(sql string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil || len(s.m) >= maxShapes {
		s.m = make(map[string]int)
	}
	s.m[sql] = n
}

// staticColumns counts the result columns of a SELECT from its text when
// the text alone decides it: no "*" or "t.*" (their count depends on the
// schema). A statement the parser cannot read has no static count. The
// count is only a first guess: the shape statement run next to the typed
// one checks it, so a wrong guess costs a round trip, never a wrong
// result.
func staticColumns(sql string) (n int, ok bool) {
	defer func() {
		if recover() != nil { // the parser panics on some inputs
			n, ok = 0, false
		}
	}()
	stmt, err := rq.NewParser(strings.NewReader(sql)).ParseStatement()
	if err != nil {
		return 0, false
	}
	sel, isSelect := stmt.(*rq.SelectStatement)
	if !isSelect {
		return 0, false
	}
	if len(sel.ValueLists) > 0 {
		return len(sel.ValueLists[0].Exprs), true
	}
	for _, c := range sel.Columns {
		if c.Star.IsValid() {
			return 0, false
		}
		if q, isRef := c.Expr.(*rq.QualifiedRef); isRef && q.Star.IsValid() {
			return 0, false
		}
	}
	return len(sel.Columns), len(sel.Columns) > 0
}
