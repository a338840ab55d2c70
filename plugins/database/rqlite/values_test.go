package rqlite

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
)

func TestTypedValue(t *testing.T) {
	cases := []struct {
		typeOf string
		raw    any
		want   any
	}{
		{"integer", json.Number("9223372036854775807"), int64(math.MaxInt64)},
		{"integer", json.Number("-9007199254740993"), int64(-(1<<53 + 1))},
		{"real", json.Number("2"), 2.0},
		{"real", json.Number("9007199254740994"), float64(1<<53 + 2)},
		{"real", json.Number("1.7976931348623157e+308"), math.MaxFloat64},
		{"real", json.Number("5e-324"), math.SmallestNonzeroFloat64},
		{"text", "héllo", "héllo"},
		{"text", []byte("raw"), "raw"},
		{"blob", "", []byte{}},
		{"blob", "00FF10", []byte{0, 0xff, 0x10}},
		{"null", nil, nil},
	}
	for _, c := range cases {
		got, err := typedValue(c.typeOf, c.raw)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("typedValue(%s, %#v) = %#v, %v; want %#v", c.typeOf, c.raw, got, err, c.want)
		}
	}
	neg, err := typedValue("real", json.Number("-0"))
	if err != nil || math.Float64bits(neg.(float64)) != math.Float64bits(math.Copysign(0, -1)) {
		t.Errorf("-0 read as %v, %v", neg, err)
	}
	for _, bad := range []struct {
		t   string
		raw any
	}{{"integer", "1"}, {"integer", json.Number("1.5")}, {"real", "x"}, {"blob", "zz"}, {"text", json.Number("1")}, {"what", nil}} {
		if v, err := typedValue(bad.t, bad.raw); err == nil {
			t.Errorf("typedValue(%s, %#v) = %#v, want an error", bad.t, bad.raw, v)
		}
	}
}

func TestPlainValue(t *testing.T) {
	cases := []struct {
		raw  any
		decl string
		want any
	}{
		{json.Number("9007199254740993"), "integer", int64(1<<53 + 1)},
		{json.Number("3"), "", int64(3)},
		{json.Number("3"), "REAL", 3.0},
		{json.Number("3"), "double precision", 3.0},
		{json.Number("3"), "floating point", int64(3)}, // "INT" in FLOATING POINT: INTEGER affinity
		{json.Number("2.5"), "integer", 2.5},
		{json.Number("1e+21"), "", 1e21},
		{json.Number("100000000000000000000"), "", 1e20},
		{true, "boolean", int64(1)},
		{false, "boolean", int64(0)},
		{[]byte{1, 2}, "blob", []byte{1, 2}},
		{"2024-01-02T10:00:00Z", "datetime", "2024-01-02 10:00:00"},
		{"2024-01-02T00:00:00Z", "date", "2024-01-02"},
		{"2024-01-02T10:00:00.5+02:00", "timestamp", "2024-01-02 10:00:00.500+02:00"},
		{"not a date", "datetime", "not a date"},
		{"2024-01-02T10:00:00Z", "text", "2024-01-02T10:00:00Z"},
		{nil, "integer", nil},
	}
	for _, c := range cases {
		if got := plainValue(c.raw, c.decl); !reflect.DeepEqual(got, c.want) {
			t.Errorf("plainValue(%#v, %q) = %#v, want %#v", c.raw, c.decl, got, c.want)
		}
	}
}

func TestNumberKeepsReals(t *testing.T) {
	for f, want := range map[float64]string{
		2: "2.0", -2.5: "-2.5", float64(1<<53 + 2): "9.007199254740994e+15", 1e21: "1e+21",
		math.Copysign(0, -1): "-0.0", math.MaxFloat64: "1.7976931348623157e+308",
	} {
		got, err := number(f)
		if err != nil || got != want {
			t.Errorf("number(%v) = %q, %v; want %q", f, got, err, want)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, err := number(f); err == nil {
			t.Errorf("number(%v) accepted", f)
		}
	}
}

func TestBodyEncoding(t *testing.T) {
	var b body
	for _, s := range []struct {
		sql  string
		args []any
	}{
		{"SELECT 1", nil},
		{"INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", []any{nil, int64(-7), 2.0, "a\"b<", []byte{0, 255}, []byte{}}},
	} {
		if err := b.add(stmt(s.sql, s.args...)); err != nil {
			t.Fatal(err)
		}
	}
	want := `["SELECT 1",["INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)",null,-7,2.0,"a\"b<",[0,255],[]]]`
	if got := string(b.bytes()); got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
	if err := (&body{}).add(stmt("SELECT ?", "\xff")); err == nil {
		t.Error("invalid UTF-8 text accepted")
	}
	if err := (&body{}).add(stmt("SELECT ?", int32(1))); err == nil {
		t.Error("an unnormalized argument accepted")
	}
}

func TestStaticColumns(t *testing.T) {
	for sql, want := range map[string]int{
		`SELECT a, b AS "x", count(*) FROM "ns$t" WHERE c = ?`: 3,
		`SELECT 1`:              1,
		`VALUES (1, 2), (3, 4)`: 2,
		`WITH c AS (SELECT * FROM t) SELECT x FROM c`: 1,
		`SELECT a FROM t UNION SELECT b FROM u`:       1,
		`SELECT * FROM t`:                             -1,
		`SELECT t.*, 1 FROM t`:                        -1,
		`SELECT a, * FROM t`:                          -1,
		`INSERT INTO t VALUES (1)`:                    -1,
		`SELEC 1`:                                     -1,
	} {
		n, ok := staticColumns(sql)
		if want < 0 && ok || want >= 0 && (!ok || n != want) {
			t.Errorf("staticColumns(%q) = %d, %v; want %d", sql, n, ok, want)
		}
	}
}
