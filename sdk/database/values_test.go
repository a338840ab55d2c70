package database_test

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

func TestNormalizeValue(t *testing.T) {
	type name string
	type bytesOf []byte
	type flag bool
	cases := []struct {
		in, want database.Value
	}{
		{nil, nil},
		{true, true},
		{false, false},
		{int(-3), int64(-3)},
		{int8(math.MinInt8), int64(math.MinInt8)},
		{int16(math.MaxInt16), int64(math.MaxInt16)},
		{int32(math.MinInt32), int64(math.MinInt32)},
		{int64(math.MinInt64), int64(math.MinInt64)},
		{uint(7), int64(7)},
		{uint8(255), int64(255)},
		{uint16(math.MaxUint16), int64(math.MaxUint16)},
		{uint32(math.MaxUint32), int64(math.MaxUint32)},
		{uint64(math.MaxInt64), int64(math.MaxInt64)},
		{float32(0.5), 0.5},
		{0.1, 0.1},
		{math.Copysign(0, -1), math.Copysign(0, -1)},
		{"text", "text"},
		{"", ""},
		{[]byte{0, 255}, []byte{0, 255}},
		{[]byte{}, []byte{}},
		{json.Number("0"), int64(0)},
		{json.Number("-12"), int64(-12)},
		{json.Number("9007199254740993"), int64(9007199254740993)},
		{json.Number("9223372036854775807"), int64(math.MaxInt64)},
		{json.Number("-9223372036854775808"), int64(math.MinInt64)},
		{json.Number("9223372036854775808"), 9223372036854775808.0}, // beyond int64: as SQLite reads such a literal
		{json.Number("1.0"), int64(1)},
		{json.Number("1e3"), int64(1000)},
		{json.Number("-2E+2"), int64(-200)},
		{json.Number("1.5"), 1.5},
		{json.Number("1e-2"), 0.01},
		{json.Number("-0"), int64(0)},
		{json.Number("-0.0"), math.Copysign(0, -1)},
		{json.Number("1e300"), 1e300},
		{name("n"), "n"},
		{bytesOf{1}, []byte{1}},
		{flag(true), true},
	}
	for _, c := range cases {
		got, err := database.NormalizeValue(c.in)
		if err != nil {
			t.Errorf("NormalizeValue(%#v): %v", c.in, err)
			continue
		}
		if !sameValue(got, c.want) {
			t.Errorf("NormalizeValue(%#v) = %#v (%T), want %#v (%T)", c.in, got, got, c.want, c.want)
		}
	}
	// A nil []byte stays a BLOB (of no bytes), not NULL.
	if got, err := database.NormalizeValue([]byte(nil)); err != nil || got == nil {
		t.Errorf("NormalizeValue([]byte(nil)) = %#v, %v; want a []byte", got, err)
	}
}

func TestNormalizeValueRefuses(t *testing.T) {
	bad := []database.Value{
		map[string]any{}, []int{1}, []string{"a"}, []any{int64(1)}, struct{}{}, new(int64), (*string)(nil),
		time.Now(), json.RawMessage(`{"a":1}`), uint64(math.MaxInt64) + 1, uint(math.MaxUint),
		math.NaN(), math.Inf(1), float32(math.Inf(-1)), make(chan int), func() {},
		json.Number(""), json.Number("abc"), json.Number("1e400"), json.Number("0x10"), json.Number("NaN"),
		json.Number("Infinity"), json.Number(" 1"), json.Number("1 "), json.Number("01"), json.Number("1."),
		json.Number(".5"), json.Number("+1"), json.Number("1e"), json.Number("1_000"), json.Number("--1"),
	}
	for _, v := range bad {
		got, err := database.NormalizeValue(v)
		if err == nil {
			t.Errorf("NormalizeValue(%#v) = %#v, want invalid", v, got)
			continue
		}
		if e := sdkError(t, err); e.Code != sdk.CodeInvalid || e.Message == "" {
			t.Errorf("NormalizeValue(%#v): %+v, want invalid with a message", v, e)
		}
	}
}

func TestNormalizeArgs(t *testing.T) {
	in := []database.Value{int32(1), "x", nil}
	got, err := database.NormalizeArgs(in)
	if err != nil {
		t.Fatal(err)
	}
	wantSameValues(t, "NormalizeArgs", got, []database.Value{int64(1), "x", nil})
	if _, ok := in[0].(int32); !ok {
		t.Error("NormalizeArgs changed its input")
	}
	_, err = database.NormalizeArgs([]database.Value{int64(1), "x", map[string]int{}})
	if e := sdkError(t, err); e.Code != sdk.CodeInvalid || e.Message != "args[2]: unsupported value type map[string]int" {
		t.Errorf("NormalizeArgs with a map: %+v", e)
	}
	if got, err := database.NormalizeArgs(nil); got != nil || err != nil {
		t.Errorf("NormalizeArgs(nil) = %#v, %v", got, err)
	}
}
