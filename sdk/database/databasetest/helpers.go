package databasetest

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// namespace returns a namespace no other subtest uses: the test's name
// (letters and digits, the rest as '_'), tag, the run id and a counter.
// It contains no '-', so a physical name built from it ("ns$items") is a
// valid bare SQL identifier, which the escape tests rely on.
func namespace(t *testing.T, tag string) string {
	var b strings.Builder
	for _, r := range t.Name() {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	name := b.String()
	if len(name) > 48 {
		name = name[len(name)-48:] // the end names the subtest
	}
	return fmt.Sprintf("%s_%s_%s_%d", strings.Trim(name, "_"), tag, plugintest.RunID(), plugintest.Seq())
}

// physical is the engine's name of a namespace's table (the naming scheme
// the drivers share). The suite uses it only in escape attempts.
func physical(namespace, table string) string { return namespace + "$" + table }

func stmt(sql string, args ...database.Value) database.Statement {
	return database.Statement{SQL: sql, Args: args}
}

func execOp(sql string, args ...database.Value) database.Op {
	return database.Op{Kind: database.OpExec, Statement: stmt(sql, args...)}
}

func queryOp(sql string, args ...database.Value) database.Op {
	return database.Op{Kind: database.OpQuery, Statement: stmt(sql, args...)}
}

// mustExec runs an Exec that has to succeed.
func mustExec(t *testing.T, db database.Database, ns, sql string, args ...database.Value) database.ExecResult {
	t.Helper()
	res, err := db.Exec(t.Context(), ns, stmt(sql, args...))
	if err != nil {
		t.Fatalf("Exec(%s): %v", short(sql), err)
	}
	return res
}

// mustQuery runs a Query that has to succeed.
func mustQuery(t *testing.T, db database.Database, ns, sql string, args ...database.Value) *database.Rows {
	t.Helper()
	rows, err := db.Query(t.Context(), ns, stmt(sql, args...))
	if err != nil {
		t.Fatalf("Query(%s): %v", short(sql), err)
	}
	if rows == nil {
		t.Fatalf("Query(%s) returned nil rows and no error", short(sql))
	}
	return rows
}

// wantMessage fails unless e's message contains word (case-insensitive).
func wantMessage(t *testing.T, e *sdk.Error, what, word string) {
	t.Helper()
	if e != nil && !strings.Contains(strings.ToLower(e.Message), strings.ToLower(word)) {
		t.Errorf("%s: message %q does not mention %q", what, e.Message, word)
	}
}

// refused is what an implementation may answer to a statement it does
// not allow: invalid or forbidden.
var refused = []sdk.Code{sdk.CodeInvalid, sdk.CodeForbidden}

// SameValue reports whether got is want with the same dynamic type; floats
// compare by bits (-0 is not 0) and a BLOB is never a nil []byte. Tests of
// code that carries database.Values use it too.
func SameValue(got, want database.Value) bool {
	if reflect.TypeOf(got) != reflect.TypeOf(want) {
		return false
	}
	switch w := want.(type) {
	case float64:
		return math.Float64bits(got.(float64)) == math.Float64bits(w)
	case []byte:
		g := got.([]byte)
		return g != nil && string(g) == string(w)
	}
	return got == want
}

// describe shows a value with its type, abbreviated.
func describe(v database.Value) string {
	switch x := v.(type) {
	case nil:
		return "nil"
	case string:
		return fmt.Sprintf("string(%q)", short(x))
	case []byte:
		if len(x) > 16 {
			return fmt.Sprintf("[]byte(%d bytes: % x…)", len(x), x[:16])
		}
		return fmt.Sprintf("[]byte(% x)", x)
	case float64:
		return fmt.Sprintf("float64(%v, bits %#x)", x, math.Float64bits(x))
	}
	return fmt.Sprintf("%T(%v)", v, v)
}

// wantRows fails unless rows has the columns (when cols is not nil) and
// exactly the rows, cell by cell with their types.
func wantRows(t *testing.T, what string, rows *database.Rows, cols []string, want [][]database.Value) {
	t.Helper()
	if rows == nil {
		t.Errorf("%s: nil rows", what)
		return
	}
	if rows.Columns == nil {
		t.Errorf("%s: Columns is nil", what)
	}
	if cols != nil && !reflect.DeepEqual(rows.Columns, cols) {
		t.Errorf("%s: columns %q, want %q", what, rows.Columns, cols)
	}
	if len(rows.Rows) != len(want) {
		t.Errorf("%s: %d rows, want %d: %s", what, len(rows.Rows), len(want), describeRows(rows.Rows))
		return
	}
	for i, row := range rows.Rows {
		if len(row) != len(want[i]) || len(row) != len(rows.Columns) {
			t.Errorf("%s: row %d has %d cells for %d columns, want %d", what, i, len(row), len(rows.Columns), len(want[i]))
			continue
		}
		for j := range row {
			if !SameValue(row[j], want[i][j]) {
				t.Errorf("%s: row %d, column %q = %s, want %s", what, i, rows.Columns[j], describe(row[j]), describe(want[i][j]))
			}
		}
	}
}

func describeRows(rows [][]database.Value) string {
	var parts []string
	for i, row := range rows {
		if i == 5 {
			parts = append(parts, "…")
			break
		}
		cells := make([]string, len(row))
		for j, c := range row {
			cells[j] = describe(c)
		}
		parts = append(parts, "["+strings.Join(cells, ", ")+"]")
	}
	return strings.Join(parts, " ")
}

// count returns SELECT count(*) of a table, failing the test on error.
func count(t *testing.T, db database.Database, ns, table string) int64 {
	t.Helper()
	rows := mustQuery(t, db, ns, "SELECT count(*) FROM "+table)
	if len(rows.Rows) != 1 || len(rows.Rows[0]) != 1 {
		t.Fatalf("count of %s: %s", table, describeRows(rows.Rows))
	}
	n, ok := rows.Rows[0][0].(int64)
	if !ok {
		t.Fatalf("count of %s = %s, want an int64", table, describe(rows.Rows[0][0]))
	}
	return n
}

// short abbreviates long SQL and names in failure messages.
func short(s string) string {
	if len(s) <= 80 {
		return s
	}
	return fmt.Sprintf("%s…(%d bytes)", s[:70], len(s))
}
