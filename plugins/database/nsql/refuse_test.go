package nsql

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
)

// What a client is told, for each way a statement can be refused.
var refusals = []struct {
	sql  string
	code sdk.Code
	msg  string // the whole message, or its start when it ends in "…"
}{
	// Not SQL: SQLite's own message.
	{`SELEC 1`, sdk.CodeInvalid, `near "SELEC": syntax error`},
	{`SELECT 1 +`, sdk.CodeInvalid, `incomplete input`},
	{`SELECT 'abc`, sdk.CodeInvalid, `unrecognized token: "'abc"`},
	{`SELECT * FROM t WHERE`, sdk.CodeInvalid, `incomplete input`},
	{`SELECT x, y FROM t ORDER BY 1 UNION SELECT 1, 2`, sdk.CodeInvalid, `ORDER BY clause should come after UNION not before`},
	// SQLite reports some errors only after the (denying) authorizer ran:
	// then the parser's message is given.
	{`CREATE TABLE t (x) WITHOUT ROWIDS`, sdk.CodeInvalid, `statement not supported: 1:28: expected ROWID, found ROWIDS`},
	{`INSERT INTO t VALUES (1`, sdk.CodeInvalid, `incomplete input`},
	// Valid SQLite the parser cannot read.
	{`CREATE TABLE t (id INTEGER PRIMARY KEY DESC)`, sdk.CodeInvalid, `statement not supported: expected a comma before "DESC" in the column list`},
	{`CREATE TABLE t (x REFERENCES u (id) MATCH FULL)`, sdk.CodeInvalid, `statement not supported: expected a comma before "MATCH" in the column list`},
	{`CREATE TABLE t (a INT FOREIGN KEY (a) REFERENCES u (id))`, sdk.CodeInvalid, `statement not supported: expected a comma before "FOREIGN" in the column list`},
	{`SELECT 1_000`, sdk.CodeInvalid, `statement not supported: a number directly followed by a name (such as 1_000)`},
	{`SELECT * FROM t WHERE x = 1AND y = 2`, sdk.CodeInvalid, `unrecognized token: "1AND"`},
	{`SELECT * FROM t RIGHT JOIN u ON 1`, sdk.CodeInvalid, `statement not supported: RIGHT and FULL joins`},
	{`SELECT * FROM (t) full join u ON 1`, sdk.CodeInvalid, `statement not supported: RIGHT and FULL joins`},
	{`SELECT * FROM t FULL OUTER JOIN u ON 1`, sdk.CodeInvalid, `statement not supported: RIGHT and FULL joins`},
	{`SELECT x IS DISTINCT FROM y FROM t`, sdk.CodeInvalid, `statement not supported: …`},
	{`CREATE TABLE t (x REFERENCES u)`, sdk.CodeInvalid, `statement not supported: …`},
	{`SELECT * FROM 'a$items'`, sdk.CodeInvalid, `statement not supported: …`},
	{`SELECT * FROM a$items`, sdk.CodeForbidden, `names must not contain '$'`},
	{`SELECT * FROM [a$items]`, sdk.CodeForbidden, `names must not contain '$'`},
	// Forbidden statements.
	{`ATTACH 'x.db' AS x`, sdk.CodeForbidden, `ATTACH is not allowed`},
	{`-- hi` + "\n" + `detach x`, sdk.CodeForbidden, `DETACH is not allowed`},
	{`VACUUM INTO '/tmp/x'`, sdk.CodeForbidden, `VACUUM is not allowed`},
	{`EXPLAIN SELECT 1`, sdk.CodeForbidden, `EXPLAIN is not allowed`},
	{`ANALYZE`, sdk.CodeForbidden, `ANALYZE is not allowed`},
	{`REINDEX t`, sdk.CodeForbidden, `REINDEX is not allowed`},
	{`BEGIN`, sdk.CodeForbidden, `transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE) is not allowed: use the transaction API`},
	{`  rollback to savepoint x`, sdk.CodeForbidden, `transaction control …`},
	{`CREATE VIRTUAL TABLE v USING fts5(x)`, sdk.CodeForbidden, `virtual tables are not allowed`},
	{`CREATE TEMP TABLE t (x)`, sdk.CodeForbidden, `temporary tables, views and triggers are not allowed`},
	{`CREATE TEMP TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END`, sdk.CodeForbidden, `temporary …`},
	{`PRAGMA journal_mode=wal`, sdk.CodeForbidden, `PRAGMA journal_mode = … is not allowed: PRAGMAs that set a value are refused`},
	{`PRAGMA journal_mode=delete`, sdk.CodeForbidden, `PRAGMA is not allowed, except …`},
	{`PRAGMA [writable_schema]=1`, sdk.CodeForbidden, `PRAGMA is not allowed, except …`},
	{`PRAGMA journal_mode`, sdk.CodeForbidden, `PRAGMA journal_mode is not allowed (allowed: …`},
	{`PRAGMA main.table_info(t)`, sdk.CodeForbidden, `schema-qualified names (main.…) are not allowed`},
	{`PRAGMA table_info`, sdk.CodeInvalid, `statement not supported: PRAGMA table_info takes one table name in parentheses`},
	{`PRAGMA index_info(1)`, sdk.CodeInvalid, `statement not supported: PRAGMA index_info takes one index name in parentheses`},
	{`SELECT 1; SELECT 2`, sdk.CodeForbidden, `multiple statements are not allowed: send one statement per request`},
	{`SELECT 1; garbage`, sdk.CodeForbidden, `multiple statements …`},
	// Forbidden names and functions.
	{`SELECT * FROM sqlite_master`, sdk.CodeForbidden, `access to sqlite_master is not allowed`},
	{`SELECT * FROM "SQLITE_SCHEMA"`, sdk.CodeForbidden, `access to sqlite_schema is not allowed`},
	{`CREATE TABLE sqlite_mine (x)`, sdk.CodeForbidden, `table name "sqlite_mine" is reserved: names starting with sqlite_ belong to SQLite`},
	{`SELECT * FROM main.t`, sdk.CodeForbidden, `schema-qualified names (main.…) are not allowed`},
	{`SELECT * FROM "a$t"`, sdk.CodeForbidden, `table name "a$t" must not contain '$'`},
	{`CREATE TABLE t ("a$b" INT)`, sdk.CodeForbidden, `column "a$b" must not contain '$'`},
	{`ALTER TABLE t RENAME TO "a$x"`, sdk.CodeForbidden, `table name "a$x" must not contain '$'`},
	{`SELECT load_extension('x')`, sdk.CodeForbidden, `load_extension is not allowed`},
	{`SELECT last_insert_rowid()`, sdk.CodeForbidden, `last_insert_rowid is not allowed: it can show another namespace's row id on a shared connection; use last_insert_id of the exec result, or INSERT … RETURNING id`},
	{`UPDATE t SET x = changes()`, sdk.CodeForbidden, `changes is not allowed: it can count another namespace's changes on a shared connection; …`},
	{`SELECT * FROM pragma_table_info('t')`, sdk.CodeForbidden, `PRAGMA functions (pragma_table_info) are not allowed`},
	{`SELECT * FROM generate_series(1, 3)`, sdk.CodeForbidden, `table-valued function generate_series is not allowed (allowed: json_each, json_tree)`},
	// Input checks.
	{``, sdk.CodeInvalid, `empty statement`},
	{"  -- only a comment\n", sdk.CodeInvalid, `empty statement`},
	{"SELECT 1\x00", sdk.CodeInvalid, `statement contains a NUL byte`},
	{"SELECT '\xff'", sdk.CodeInvalid, `statement is not valid UTF-8`},
	{`SELECT ` + strings.Repeat("(", 1001) + `1` + strings.Repeat(")", 1001), sdk.CodeInvalid, `statement nests too deeply (at most 1000 levels)`},
	{`SELECT ` + strings.Repeat("- ", 1001) + `1`, sdk.CodeInvalid, `statement nests too deeply …`},
	{`SELECT ` + strings.Repeat("CASE WHEN ", 1001) + `1`, sdk.CodeInvalid, `statement nests too deeply …`},
	{`SELECT 1 ` + strings.Repeat("BETWEEN 1 ", 1001) + `AND 2`, sdk.CodeInvalid, `statement nests too deeply …`},
	{strings.Repeat(`SELECT 1 UNION `, 1001) + `SELECT 1`, sdk.CodeInvalid, `statement nests too deeply …`},
	{`SELECT ` + strings.Repeat("SELECT ", 1001) + `1`, sdk.CodeInvalid, `statement nests too deeply …`},
	{`SELECT '` + strings.Repeat("x", 1<<20) + `'`, sdk.CodeInvalid, `statement longer than 1048576 bytes`},
}

func TestRefusals(t *testing.T) {
	for _, c := range refusals {
		_, err := Rewrite("b", c.sql)
		var e *sdk.Error
		if !errors.As(err, &e) {
			t.Errorf("%.60q: error %v, want *sdk.Error", c.sql, err)
			continue
		}
		prefix, partial := strings.CutSuffix(c.msg, "…")
		if e.Code != c.code || (partial && !strings.HasPrefix(e.Message, prefix)) || (!partial && e.Message != c.msg) {
			t.Errorf("%.60q:\n got  %s: %s\n want %s: %s", c.sql, e.Code, e.Message, c.code, c.msg)
		}
	}
}

// Deep but legitimate statements are not refused by the nesting guard.
func TestNestingAllowsWideStatements(t *testing.T) {
	rows := strings.Repeat("(-1, 'x', (2)), ", 20000) + "(0, 'y', 3)"
	if _, err := Rewrite("b", "INSERT INTO t VALUES "+rows); err != nil {
		t.Errorf("bulk insert: %v", err)
	}
	deep := `SELECT ` + strings.Repeat("(", 900) + `1` + strings.Repeat(")", 900)
	if _, err := Rewrite("b", deep); err != nil {
		t.Errorf("900 parentheses: %v", err)
	}
	chain := strings.Repeat(`SELECT 1 UNION ALL `, 400) + `SELECT 1`
	if _, err := Rewrite("b", chain); err != nil {
		t.Errorf("400-member compound: %v", err)
	}
}

// The sandbox only prepares, under an authorizer that denies all: a PRAGMA
// that SQLite applies while compiling it (process-wide) must not take
// effect. The test first shows that preparing it elsewhere does.
func TestSandboxHasNoEffect(t *testing.T) {
	db := openTestDB(t)
	limit := func() int64 {
		r, _, err := db.query(`PRAGMA soft_heap_limit`)
		if err != nil {
			t.Fatal(err)
		}
		return r.rows[0][0].(int64)
	}
	orig := limit()
	t.Cleanup(func() { db.query(`PRAGMA soft_heap_limit=` + strconv.FormatInt(orig, 10)) })

	if _, err := db.prepare(`PRAGMA soft_heap_limit=123456789`); err != nil {
		t.Fatal(err)
	}
	if limit() != 123456789 {
		t.Fatal("preparing PRAGMA soft_heap_limit did not apply it; the test proves nothing")
	}
	db.query(`PRAGMA soft_heap_limit=` + strconv.FormatInt(orig, 10))

	// A PRAGMA the parser cannot read is refused before the sandbox …
	if _, err := Rewrite("b", `PRAGMA [soft_heap_limit]=987654321`); err == nil || err.Error() != errPragma().Error() {
		t.Fatalf("Rewrite = %v, want %v", err, errPragma())
	}
	// … and the sandbox's authorizer would stop it anyway.
	msg, valid, ok := engineVerdict(`PRAGMA soft_heap_limit=987654321`)
	if !ok || !valid || msg != "not authorized" {
		t.Errorf("sandbox: %q, %v, %v; want not authorized", msg, valid, ok)
	}
	if got := limit(); got != orig {
		t.Errorf("the sandbox applied a PRAGMA: soft_heap_limit = %d, want %d", got, orig)
	}
}
