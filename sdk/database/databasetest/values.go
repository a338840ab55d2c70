package databasetest

import (
	"math"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk/database"
)

// valueCase is a parameter, what must come back and SQLite's typeof().
type valueCase struct {
	name   string
	in     database.Value
	want   database.Value
	typeof string
}

func valueCases() []valueCase {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	long := strings.Repeat("0123456789abcdef", 4096) // 64 KiB
	same := func(name string, v database.Value, typeof string) valueCase { return valueCase{name, v, v, typeof} }
	return []valueCase{
		same("int 2^53+1", int64(1<<53+1), "integer"),
		same("int -(2^53+1)", int64(-(1<<53 + 1)), "integer"),
		same("int MaxInt64", int64(math.MaxInt64), "integer"),
		same("int MinInt64", int64(math.MinInt64), "integer"),
		same("int 0", int64(0), "integer"),
		same("real 0.1", 0.1, "real"),
		same("real -0", math.Copysign(0, -1), "real"),
		same("real 2.0", 2.0, "real"),
		same("real -2.5e-300", -2.5e-300, "real"),
		same("real smallest", math.SmallestNonzeroFloat64, "real"),
		same("real max", math.MaxFloat64, "real"),
		same("real 2^53+2", float64(1<<53+2), "real"),
		same("text empty", "", "text"),
		same("text unicode", "héllo wörld ✓ 日本語 🎉👩‍👩‍👧 e\u0301 \u202eRTL\u202c \u2028 \ufeff", "text"),
		same("text odd", "quote ' dq \" bt ` bs \\ semi ; dash -- /* c */ %_ \t\r\n end", "text"),
		same("text sql", "'); DROP TABLE vals; --", "text"),
		same("text number", "12", "text"),
		same("text 64KiB", long, "text"),
		same("blob 256", all, "blob"),
		same("blob empty", []byte{}, "blob"),
		same("blob text-like", []byte("hello"), "blob"),
		same("blob 64KiB", []byte(long), "blob"),
		same("null", nil, "null"),
		// bool has no SQLite type: true and false are stored as the
		// INTEGERs 1 and 0 and come back as int64.
		{"bool true", true, int64(1), "integer"},
		{"bool false", false, int64(0), "integer"},
	}
}

// Every value goes in as a parameter, is stored in a column without
// affinity and comes back with its type and its exact value.
func testTypedRoundTrip(t *testing.T, db database.Database) {
	ns := namespace(t, "vals")
	mustExec(t, db, ns, "CREATE TABLE vals (id INTEGER PRIMARY KEY, v)")
	cases := valueCases()
	for i, c := range cases {
		res := mustExec(t, db, ns, "INSERT INTO vals (id, v) VALUES (?, ?)", int64(i+1), c.in)
		if res.RowsAffected != 1 || res.LastInsertID != int64(i+1) {
			t.Errorf("insert %s: %+v, want 1 row, id %d", c.name, res, i+1)
		}
	}
	rows := mustQuery(t, db, ns, "SELECT id, v, typeof(v) FROM vals ORDER BY id")
	if len(rows.Rows) != len(cases) {
		t.Fatalf("%d rows, want %d", len(rows.Rows), len(cases))
	}
	for i, c := range cases {
		row := rows.Rows[i]
		if len(row) != 3 || !SameValue(row[0], int64(i+1)) {
			t.Errorf("row %d = %s", i, describeRows([][]database.Value{row}))
			continue
		}
		if !SameValue(row[1], c.want) {
			t.Errorf("%s stored and read: %s, want %s", c.name, describe(row[1]), describe(c.want))
		}
		if !SameValue(row[2], c.typeof) {
			t.Errorf("%s: typeof %s, want %q", c.name, describe(row[2]), c.typeof)
		}
	}

	// The same values straight through an expression, not stored.
	for _, c := range cases {
		rows := mustQuery(t, db, ns, "SELECT ? AS v, typeof(?) AS t", c.in, c.in)
		wantRows(t, c.name+" as an expression", rows, []string{"v", "t"}, [][]database.Value{{c.want, c.typeof}})
	}
}

// Parameters bind with their type: an int64 beyond 2^53 is not a REAL
// that happens to be close, a BLOB is not TEXT.
func testParameterTypes(t *testing.T, db database.Database) {
	ns := namespace(t, "params")
	mustExec(t, db, ns, "CREATE TABLE p (id INTEGER PRIMARY KEY, v)")
	mustExec(t, db, ns, "INSERT INTO p (id, v) VALUES (1, 9007199254740993), (2, 9007199254740992), (3, x'68656c6c6f'), (4, 'hello')")
	lookups := []struct {
		name string
		arg  database.Value
		id   int64
	}{
		{"int 2^53+1", int64(1<<53 + 1), 1},
		{"int 2^53", int64(1 << 53), 2},
		{"blob hello", []byte("hello"), 3},
		{"text hello", "hello", 4},
	}
	for _, l := range lookups {
		rows := mustQuery(t, db, ns, "SELECT id FROM p WHERE v = ?", l.arg)
		wantRows(t, "lookup by "+l.name, rows, []string{"id"}, [][]database.Value{{l.id}})
	}

	// Integers in SQL text are read exactly too.
	rows := mustQuery(t, db, ns, "SELECT 9007199254740993, -9223372036854775808, 9223372036854775807")
	wantRows(t, "integer literals", rows, nil, [][]database.Value{{int64(1<<53 + 1), int64(math.MinInt64), int64(math.MaxInt64)}})
}

// Result cells have the Go type of the stored SQLite type, after the
// column's affinity converted it.
func testColumnTypes(t *testing.T, db database.Database) {
	ns := namespace(t, "types")
	mustExec(t, db, ns, "CREATE TABLE typed (i INTEGER, r REAL, t TEXT, b BLOB, n NUMERIC, x)")
	mustExec(t, db, ns, "INSERT INTO typed VALUES (42, 1.5, 'text', x'00ff', NULL, NULL)")
	// Affinity: '7' → INTEGER 7, 2 → REAL 2.0, 5 → TEXT '5', '3' → NUMERIC 3.
	mustExec(t, db, ns, "INSERT INTO typed VALUES (?, ?, ?, ?, ?, ?)", "7", int64(2), int64(5), []byte{1}, "3", nil)
	rows := mustQuery(t, db, ns, "SELECT i, r, t, b, n, x FROM typed ORDER BY rowid")
	wantRows(t, "typed columns", rows, []string{"i", "r", "t", "b", "n", "x"}, [][]database.Value{
		{int64(42), 1.5, "text", []byte{0, 255}, nil, nil},
		{int64(7), 2.0, "5", []byte{1}, int64(3), nil},
	})

	rows = mustQuery(t, db, ns, "SELECT 1, 1.5, 'x', x'00', NULL, 2.0, 10 / 4, 10 / 4.0, count(*) FROM typed")
	wantRows(t, "expression types", rows, nil, [][]database.Value{
		{int64(1), 1.5, "x", []byte{0}, nil, 2.0, int64(2), 2.5, int64(2)},
	})

	rows = mustQuery(t, db, ns, `SELECT i AS num, r AS "Second Col" FROM typed WHERE i = 42`)
	wantRows(t, "aliased columns", rows, []string{"num", "Second Col"}, [][]database.Value{{int64(42), 1.5}})
}
