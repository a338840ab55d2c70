package rqlite

import (
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/orama-network/orama/plugins/database/driver"
	rq "github.com/rqlite/sql"
)

// A read-only SELECT is read through one statement on the warm path (see
// the package doc): typedStmt gives its rows as (typeof, value) pairs,
// after a first row with the database's schema cookie. The column names
// come from shapes, learnt once per statement text with shapeStmt in a
// read transaction that also reads the cookie; a typed read whose cookie
// differs from the one learnt with the names, or that fails, learns them
// again.

// refresh goes first in a read transaction that reads column names. The
// read connection of rqlite may hold an old schema after another
// connection changed it; SQLite notices only when a statement runs, and
// rqlite takes the column names before that, so the first statement on
// such a connection would report the old columns. Running this one loads
// the current schema for the statements after it.
var refresh = driver.Stmt{SQL: "SELECT 1 FROM sqlite_master LIMIT 0", ReadOnly: true}

// cookieStmt reads the schema cookie, which SQLite changes with every
// change of the schema (of any table). It is read when the statement runs,
// so it is current even on a connection that prepared with an old schema.
var cookieStmt = driver.Stmt{SQL: "SELECT schema_version FROM pragma_schema_version", ReadOnly: true}

// headerTag marks the first row of a typed result, which carries the
// cookie; no typeof() is spelled like it.
const headerTag = "orama"

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
// limit rows after the cookie row:
//
//	WITH _orama_q(c1,…,cN) AS (<sql>)
//	SELECT 'orama',schema_version,NULL,… FROM pragma_schema_version
//	UNION ALL SELECT typeof(c1),CASE typeof(c1) WHEN 'blob' THEN hex(c1) ELSE c1 END,…
//	FROM _orama_q LIMIT <limit+1>
//
// No result column is a plain column reference, so no declared type makes
// rqlite convert a value. When <sql> no longer has n columns, SQLite
// refuses the statement ("table _orama_q has M values for N columns"),
// also on a connection that prepared it with an old schema.
func typedStmt(s driver.Stmt, n, limit int) driver.Stmt {
	var b strings.Builder
	b.Grow(len(s.SQL) + 120 + 70*n)
	b.WriteString("WITH _orama_q(")
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		b.WriteByte('c')
		b.WriteString(strconv.Itoa(i))
	}
	b.WriteString(") AS (")
	b.WriteString(embed(s.SQL))
	b.WriteString("\n) SELECT '" + headerTag + "',schema_version")
	for i := 3; i <= 2*n; i++ {
		b.WriteString(",NULL")
	}
	b.WriteString(" FROM pragma_schema_version UNION ALL SELECT ")
	for i := 1; i <= n; i++ {
		c := "c" + strconv.Itoa(i)
		if i > 1 {
			b.WriteByte(',')
		}
		b.WriteString("typeof(" + c + "),CASE typeof(" + c + ") WHEN 'blob' THEN hex(" + c + ") ELSE " + c + " END")
	}
	b.WriteString(" FROM _orama_q LIMIT ")
	b.WriteString(strconv.Itoa(limit + 1))
	s.SQL = b.String()
	return s
}

// embed trims a statement for embedding: no trailing ';' or spaces (a
// trailing comment is ended by the newline the callers add).
func embed(sql string) string {
	return strings.TrimRight(sql, "; \t\r\n")
}

// shape is what a statement text's result looks like: its column names,
// as of the schema cookie; and its typed form for a row limit, built once.
type shape struct {
	names  []string
	cookie int64
	typed  string // typedStmt for limit
	limit  int
}

// typedFor returns the typed form of s (whose shape sh is) for limit.
func (sh *shape) typedFor(s driver.Stmt, limit int) driver.Stmt {
	if sh.typed != "" && sh.limit == limit {
		s.SQL = sh.typed
		return s
	}
	return typedStmt(s, len(sh.names), limit)
}

// withTyped returns sh with its typed form of s for limit built.
func (sh shape) withTyped(s driver.Stmt, limit int) shape {
	if len(sh.names) <= maxTyped {
		sh.typed, sh.limit = typedStmt(s, len(sh.names), limit).SQL, limit
	}
	return sh
}

// same reports whether two shapes have the same column names.
func (s shape) same(o shape) bool {
	return slices.Equal(s.names, o.names)
}

// shapes caches the shapes of statement texts. It is bounded; when full
// it starts over.
type shapes struct {
	mu sync.Mutex
	m  map[string]shape
}

const maxShapes = 4096

func (s *shapes) get(sql string) (shape, bool) {
	s.mu.Lock()
	sh, ok := s.m[sql]
	s.mu.Unlock()
	return sh, ok
}

func (s *shapes) put(sql string, sh shape) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil || len(s.m) >= maxShapes {
		s.m = make(map[string]shape)
	}
	s.m[sql] = sh
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
