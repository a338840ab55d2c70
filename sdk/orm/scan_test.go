package orm_test

import (
	"database/sql"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/orm"
)

type status string

// allTypes has a field of every supported type.
type allTypes struct {
	I    int     `db:"i"`
	I8   int8    `db:"i8"`
	I16  int16   `db:"i16"`
	I32  int32   `db:"i32"`
	I64  int64   `db:"i64"`
	U    uint    `db:"u"`
	U8   uint8   `db:"u8"`
	U16  uint16  `db:"u16"`
	U32  uint32  `db:"u32"`
	U64  uint64  `db:"u64"`
	F32  float32 `db:"f32"`
	F64  float64 `db:"f64"`
	S    string  `db:"s"`
	Kind status  `db:"kind"`
	B    bool    `db:"b"`
	BInt bool    `db:"b_int"`
	Raw  []byte  `db:"raw"`
	Any  any     `db:"any"`

	T     time.Time `db:"t"`
	TSql  time.Time `db:"t_sql"`
	TUnix time.Time `db:"t_unix"`
	TFrac time.Time `db:"t_frac"`

	PI   *int64     `db:"p_i"`
	PS   *string    `db:"p_s"`
	PT   *time.Time `db:"p_t"`
	PNil *int64     `db:"p_nil"`

	NS  sql.NullString  `db:"ns"`
	NI  sql.NullInt64   `db:"ni"`
	NF  sql.NullFloat64 `db:"nf"`
	NB  sql.NullBool    `db:"nb"`
	NT  sql.NullTime    `db:"nt"`
	NG  sql.Null[int32] `db:"ng"`
	NSn sql.NullString  `db:"ns_null"`
}

func TestScanEveryType(t *testing.T) {
	row := map[string]any{
		"i": int64(-1), "i8": int64(-128), "i16": int64(32767), "i32": int64(-2147483648), "i64": int64(math.MaxInt64),
		"u": int64(1), "u8": int64(255), "u16": int64(65535), "u32": int64(4294967295), "u64": int64(math.MaxInt64),
		"f32": 1.5, "f64": int64(3), "s": "text", "kind": "active", "b": true, "b_int": int64(1),
		"raw": "AAEC/w==", "any": "whatever",
		"t":      "2024-05-06T07:08:09.123456789+02:00",
		"t_sql":  "2024-05-06 07:08:09",
		"t_unix": int64(1700000000),
		"t_frac": 1700000000.5,
		"p_i":    int64(1<<53 + 1), "p_s": "x", "p_t": "2024-01-02T03:04:05Z", "p_nil": nil,
		"ns": "n", "ni": int64(7), "nf": 2.5, "nb": int64(0), "nt": "2024-01-02T03:04:05Z", "ng": int64(9), "ns_null": nil,
		"not_a_field": "ignored",
	}
	var got allTypes
	if err := orm.ScanRow(row, &got); err != nil {
		t.Fatal(err)
	}
	want := allTypes{
		I: -1, I8: -128, I16: 32767, I32: -2147483648, I64: math.MaxInt64,
		U: 1, U8: 255, U16: 65535, U32: 4294967295, U64: math.MaxInt64,
		F32: 1.5, F64: 3, S: "text", Kind: "active", B: true, BInt: true,
		Raw: []byte{0, 1, 2, 255}, Any: "whatever",
		T:     time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.FixedZone("", 2*3600)),
		TSql:  time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC),
		TUnix: time.Unix(1700000000, 0).UTC(),
		TFrac: time.Unix(1700000000, 5e8).UTC(),
		NS:    sql.NullString{String: "n", Valid: true}, NI: sql.NullInt64{Int64: 7, Valid: true},
		NF: sql.NullFloat64{Float64: 2.5, Valid: true}, NB: sql.NullBool{Bool: false, Valid: true},
		NT: sql.NullTime{Time: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), Valid: true},
		NG: sql.Null[int32]{V: 9, Valid: true},
	}
	if got.PI == nil || *got.PI != 1<<53+1 || got.PS == nil || *got.PS != "x" ||
		got.PT == nil || !got.PT.Equal(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)) || got.PNil != nil {
		t.Errorf("pointers: %v %v %v %v", got.PI, got.PS, got.PT, got.PNil)
	}
	got.PI, got.PS, got.PT = nil, nil, nil
	if !got.T.Equal(want.T) {
		t.Errorf("T = %v, want %v", got.T, want.T)
	}
	got.T = want.T
	if !reflect.DeepEqual(got, want) {
		t.Errorf("scanned\n %+v\nwant\n %+v", got, want)
	}
}

func TestScanNullIntoNullableFields(t *testing.T) {
	v := allTypes{Raw: []byte("old"), Any: 1, PI: new(int64)}
	row := map[string]any{"raw": nil, "any": nil, "p_i": nil, "ns": nil, "ni": nil, "nt": nil, "ng": nil}
	if err := orm.ScanRow(row, &v); err != nil {
		t.Fatal(err)
	}
	if v.Raw != nil || v.Any != nil || v.PI != nil || v.NS.Valid || v.NI.Valid || v.NT.Valid || v.NG.Valid {
		t.Errorf("after NULLs: %+v", v)
	}
}

func TestScanNullIntoPlainFieldIsInvalid(t *testing.T) {
	for _, col := range []string{"i", "u", "f64", "s", "b", "t"} {
		err := orm.ScanRow(map[string]any{col: nil}, new(allTypes))
		checkInvalid(t, err, `column "`+col+`"`, "NULL does not fit")
	}
}

func TestScanMismatchNamesColumnAndField(t *testing.T) {
	cases := []struct {
		col   string
		value any
		field string
		why   string
	}{
		{"i", "12", "allTypes.I", "cannot store string value in int"},
		{"i", 1.5, "allTypes.I", "cannot store float64 value in int"},
		{"i8", int64(128), "allTypes.I8", "128 overflows int8"},
		{"u8", int64(-1), "allTypes.U8", "-1 overflows uint8"},
		{"f32", 1e300, "allTypes.F32", "overflows float32"},
		{"s", int64(5), "allTypes.S", "cannot store int64 value in string"},
		{"b", "yes", "allTypes.B", "cannot store string value in bool"},
		{"raw", "not base64!", "allTypes.Raw", "not base64"},
		{"raw", int64(1), "allTypes.Raw", "cannot store int64 value in []uint8"},
		{"t", "yesterday", "allTypes.T", `"yesterday" is not an RFC 3339 or SQLite time`},
		{"t", true, "allTypes.T", "cannot store bool value in time.Time"},
		{"p_i", "x", "allTypes.PI", "cannot store string value in int64"},
		{"ni", 2.5, "allTypes.NI", "converting"},
	}
	for _, c := range cases {
		t.Run(c.col+"/"+c.why, func(t *testing.T) {
			err := orm.ScanRow(map[string]any{c.col: c.value}, new(allTypes))
			checkInvalid(t, err, `column "`+c.col+`" into field `+c.field, c.why)
		})
	}
}

func TestScanWholeFloatIntoInteger(t *testing.T) {
	// A REAL column holding 3.0 arrives as int64 3 from the gateway, but a
	// float64 that is whole also fits an integer field.
	var v allTypes
	if err := orm.ScanRow(map[string]any{"i": 3.0, "u": 4.0}, &v); err != nil {
		t.Fatal(err)
	}
	if v.I != 3 || v.U != 4 {
		t.Errorf("I=%d U=%d", v.I, v.U)
	}
}

func TestScanRowsDestinations(t *testing.T) {
	type row struct {
		ID   int64  `db:"id"`
		Name string `db:"name"`
	}
	rows := []map[string]any{{"id": int64(1), "name": "a"}, {"id": int64(2), "name": "b"}}

	var values []row
	if err := orm.ScanRows(rows, &values); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(values, []row{{1, "a"}, {2, "b"}}) {
		t.Errorf("[]row = %+v", values)
	}

	var ptrs []*row
	if err := orm.ScanRows(rows, &ptrs); err != nil {
		t.Fatal(err)
	}
	if len(ptrs) != 2 || *ptrs[0] != (row{1, "a"}) || *ptrs[1] != (row{2, "b"}) {
		t.Errorf("[]*row = %v", ptrs)
	}

	var maps []map[string]any
	if err := orm.ScanRows(rows, &maps); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(maps, rows) {
		t.Errorf("[]map = %v", maps)
	}

	values = []row{{9, "old"}}
	err := orm.ScanRows([]map[string]any{{"id": int64(1)}, {"id": "two"}}, &values)
	checkInvalid(t, err, `column "id" into field row.ID`, "(row 1)")
	if !reflect.DeepEqual(values, []row{{9, "old"}}) {
		t.Errorf("a failed scan changed the destination: %+v", values)
	}
}

func TestScanRefusesBadDestinations(t *testing.T) {
	var n int
	var ints []int
	var s struct{ A int }
	var nilSlice *[]struct{ A int }
	for _, dest := range []any{nil, n, &n, &ints, s, nilSlice} {
		if err := orm.ScanRows(nil, dest); !isCode(err, sdk.CodeInvalid) {
			t.Errorf("ScanRows into %T: %v, want invalid", dest, err)
		}
	}
	for _, dest := range []any{nil, &n, s, &ints} {
		if err := orm.ScanRow(map[string]any{}, dest); !isCode(err, sdk.CodeInvalid) {
			t.Errorf("ScanRow into %T: %v, want invalid", dest, err)
		}
	}
}

func TestScanLeavesMissingColumnsAlone(t *testing.T) {
	v := allTypes{S: "kept", I: 5}
	if err := orm.ScanRow(map[string]any{"i": int64(6)}, &v); err != nil {
		t.Fatal(err)
	}
	if v.S != "kept" || v.I != 6 {
		t.Errorf("%+v", v)
	}
}

func checkInvalid(t *testing.T, err error, parts ...string) {
	t.Helper()
	var e *sdk.Error
	if !errors.As(err, &e) || e.Code != sdk.CodeInvalid {
		t.Errorf("error %v, want an invalid *sdk.Error", err)
		return
	}
	for _, p := range parts {
		if !strings.Contains(e.Message, p) {
			t.Errorf("message %q does not contain %q", e.Message, p)
		}
	}
}

func isCode(err error, code sdk.Code) bool {
	var e *sdk.Error
	return errors.As(err, &e) && e.Code == code
}
