package database

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk/database"
)

const big = int64(1<<53 + 1) // 9007199254740993: not representable as float64

func TestBindValue(t *testing.T) {
	cases := []struct {
		raw  string
		want database.Value
	}{
		{`null`, nil},
		{`true`, true},
		{`false`, false},
		{`"plain"`, "plain"},
		{`"esc\"aped\n\u00e9"`, "esc\"aped\né"},
		{`""`, ""},
		{`0`, int64(0)},
		{`-0`, int64(0)},
		{`42`, int64(42)},
		{`-9223372036854775808`, int64(math.MinInt64)},
		{`9223372036854775807`, int64(math.MaxInt64)},
		{`9007199254740993`, big},
		{`9223372036854775808`, float64(9223372036854775808)}, // whole but past int64
		{`1.5`, 1.5},
		{`2.0`, float64(2)},
		{`1e3`, float64(1000)},
		{`1E-2`, 0.01},
		{`-2.5e+2`, float64(-250)},
	}
	for _, c := range cases {
		got, err := bindValue(json.RawMessage(c.raw))
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %#v (%v), want %#v", c.raw, got, err, c.want)
		}
	}
	for raw, want := range map[string]error{`[1]`: errArgComposite, `{}`: errArgComposite, `1e400`: errArgRange, `-1e400`: errArgRange} {
		if _, err := bindValue(json.RawMessage(raw)); err != want {
			t.Errorf("%s: %v, want %v", raw, err, want)
		}
	}
}

// Through a real decode, a null element and surrounding whitespace bind
// as expected.
func TestBindArgsDecoded(t *testing.T) {
	var req sqlRequest
	if err := json.Unmarshal([]byte(`{"args":[ null , 1 ,"a"]}`), &req); err != nil {
		t.Fatal(err)
	}
	got, err := bindArgs("args", req.Args)
	if want := []database.Value{nil, int64(1), "a"}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("%#v (%v), want %#v", got, err, want)
	}
}

// stdString is what encoding/json writes for s, without HTML escaping.
func stdString(t *testing.T, s string) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{
		"", "plain", `quote " and \ backslash`, "tab\tnew\nline\rcr", "\x00\x01\x1f\x7f",
		"é ü 日本 🎉", "bad \xff utf8 \xc3", "line\u2028sep\u2029", "<b>&amp;</b>",
	} {
		got := string(appendJSONString(nil, s))
		if want := stdString(t, s); got != want {
			t.Errorf("%q: %s, want %s", s, got, want)
		}
	}
}

func TestAppendFloatMatchesEncodingJSON(t *testing.T) {
	for _, f := range []float64{0, 1, -1, 1.5, 0.1, 1e20, 1e21, 123456789e13, 1e-6, 1e-7, 1.2345e-9, -3.5e-300,
		math.MaxFloat64, math.SmallestNonzeroFloat64, 9007199254740993} {
		want, _ := json.Marshal(f)
		if got := string(appendFloat(nil, f)); got != string(want) {
			t.Errorf("%v: %s, want %s", f, got, want)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if got := string(appendFloat(nil, f)); got != "null" {
			t.Errorf("%v: %s, want null", f, got)
		}
	}
}

func TestAppendItems(t *testing.T) {
	rows := &database.Rows{
		Columns: []string{"id", "name", "id", "x\"y"},
		Rows: [][]database.Value{
			{int64(1), "a", int64(10), []byte("\x00")},
			{int64(math.MinInt64), nil, big, 2.5},
		},
	}
	got, err := appendItems(nil, rows)
	// A repeated column name: the later column wins, at its own position.
	want := `{"items":[{"name":"a","id":10,"x\"y":"AA=="},{"name":null,"id":9007199254740993,"x\"y":2.5}],"count":2}`
	if err != nil || string(got) != want {
		t.Errorf("%s (%v)\nwant %s", got, err, want)
	}
	if !json.Valid(got) {
		t.Error("not valid JSON")
	}
	if got, _ := appendItems(nil, nil); string(got) != `{"items":[],"count":0}` {
		t.Errorf("nil rows: %s", got)
	}
}

func TestWriteTxResultsCountMismatch(t *testing.T) {
	ops := []database.Op{{Kind: database.OpExec}, {Kind: database.OpQuery}}
	rec := httptest.NewRecorder()
	err := writeTxResults(rec, ops, []database.OpResult{{}}, true)
	if err == nil || !strings.Contains(err.Error(), "1 results for 2 ops") {
		t.Errorf("err %v", err)
	}
	if rec.Body.Len() != 0 {
		t.Errorf("wrote %s before failing", rec.Body)
	}
	// Missing payloads of the right kind encode as empty results.
	rec = httptest.NewRecorder()
	if err := writeTxResults(rec, ops, []database.OpResult{{}, {}}, true); err != nil {
		t.Fatal(err)
	}
	want := `{"status":"ok","results":[{"rows_affected":0,"last_insert_id":0},{"items":[],"count":0}]}`
	if rec.Body.String() != want {
		t.Errorf("%s, want %s", rec.Body, want)
	}
}
