package rqlite

import (
	"encoding/json"
	"errors"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/sdk"
)

func modes(ms ...mode) func(int) mode {
	return func(i int) mode {
		if i < len(ms) {
			return ms[i]
		}
		return modeSkip
	}
}

func TestDecodeResultsOfEveryMode(t *testing.T) {
	body := `{"results":[
		{"columns":["a","b"],"types":["integer","text"],"values":[[9007199254740993,"x"],[null,"y"]]},
		{"columns":["typeof(c1)","v"],"types":["text",""],"values":[["orama",7],["real",2],["blob","00ff"],["integer",-9223372036854775808],["text","t"],["null",null]]},
		{"columns":["x"],"types":[""]},
		{"last_insert_id":5,"rows_affected":2},
		{"columns":["big"],"types":["text"],"values":[["skipped"]]},
		{"error":"no such table: t"},
		{"columns":["schema_version"],"types":["integer"],"values":[[12]]}
	],"time":0.1}`
	c := collector()
	resp, err := decodeResponse(strings.NewReader(body), modes(modePlain, modeTyped, modeShape, modeExec, modeSkip, modePlain, modeCookie), c)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.results) != 7 {
		t.Fatalf("%d results", len(resp.results))
	}
	plain := resp.results[0]
	if !reflect.DeepEqual(plain.rows, [][]any{{int64(1<<53 + 1), "x"}, {nil, "y"}}) {
		t.Errorf("plain rows = %#v", plain.rows)
	}
	typed := resp.results[1].rows
	want := [][]any{{2.0}, {[]byte{0, 0xff}}, {int64(math.MinInt64)}, {"t"}, {nil}}
	if !reflect.DeepEqual(typed, want) {
		t.Errorf("typed rows = %#v, want %#v", typed, want)
	}
	if r := resp.results[2]; !reflect.DeepEqual(r.columns, []string{"x"}) || !r.query || r.rows != nil {
		t.Errorf("shape = %+v", r)
	}
	if r := resp.results[3]; r.lastInsertID != 5 || r.rowsAffected != 2 || r.query {
		t.Errorf("exec = %+v", r)
	}
	if r := resp.results[4]; r.rows != nil {
		t.Errorf("skipped rows were kept: %v", r.rows)
	}
	if r := resp.results[5]; r.err != "no such table: t" {
		t.Errorf("error = %q", r.err)
	}
	if r := resp.results[1]; r.cookie != 7 || !r.header {
		t.Errorf("typed cookie = %d, %v", r.cookie, r.header)
	}
	if r := resp.results[6]; r.cookie != 12 || r.rows != nil {
		t.Errorf("cookie = %d, rows %v", r.cookie, r.rows)
	}
	if c.Rows() != 7 { // the plain and typed rows; no cookie row
		t.Errorf("%d rows counted, want 7", c.Rows())
	}
}

func TestDecodeRequestError(t *testing.T) {
	resp, err := decodeResponse(strings.NewReader(`{"results":[],"error":"leader not found"}`), modes(), collector())
	if err != nil || resp.err != "leader not found" {
		t.Errorf("got %+v, %v", resp, err)
	}
}

// endless is a response whose rows never end: reading past the limit
// would never return.
type endless struct {
	head []byte
	read int
}

func (e *endless) Read(p []byte) (int, error) {
	if len(e.head) > 0 {
		n := copy(p, e.head)
		e.head = e.head[n:]
		return n, nil
	}
	row := `[1,"0123456789"],`
	n := 0
	for n+len(row) <= len(p) {
		n += copy(p[n:], row)
	}
	e.read += n
	if e.read > 64<<20 {
		return 0, errors.New("read far past the limit")
	}
	return n, nil
}

func TestDecodeStopsAtTheLimits(t *testing.T) {
	for name, lim := range map[string]driver.Limits{
		"rows":  {MaxRows: 1000, MaxBytes: 1 << 40},
		"bytes": {MaxRows: 1 << 30, MaxBytes: 10_000},
	} {
		t.Run(name, func(t *testing.T) {
			r := &endless{head: []byte(`{"results":[{"columns":["n","s"],"types":["integer","text"],"values":[`)}
			_, err := decodeResponse(r, modes(modePlain), driver.NewCollector(lim))
			var e *sdk.Error
			if !errors.As(err, &e) || e.Code != sdk.CodeTooLarge {
				t.Fatalf("got %v, want too_large", err)
			}
			if r.read > 1<<20 {
				t.Errorf("read %d bytes of an endless result before stopping", r.read)
			}
		})
	}
}

func TestDecodeRejectsMalformedResponses(t *testing.T) {
	for _, body := range []string{
		``, `[]`, `{"results":{}}`, `{"results":[{"values":[[1,2]]}]}`,
		`{"results":[{"columns":["a"],"types":["text","x"],"values":[["y"]]}]}`,
		`{"results":[{"columns":["t","v"],"values":[["orama",1],["integer","x"]]}]}`,
		`{"results":[{"columns":["t","v"],"values":[["integer",1]]}]}`, // no cookie row
		`{"results":[{"columns":["t","v"],"values":[]}]}`,
		`{"results":[{"columns":["t","v"],"values":[["orama","x"]]}]}`,
		`{"results":[{"columns":["a"],"types":["blob"],"values":[[[1,256]]]}]}`,
	} {
		m := modePlain
		if strings.Contains(body, `"t","v"`) {
			m = modeTyped
		}
		if _, err := decodeResponse(strings.NewReader(body), modes(m), collector()); err == nil {
			t.Errorf("decoded %q", body)
		}
	}
}

func TestCapReader(t *testing.T) {
	r := &capReader{r: strings.NewReader("12345"), n: 5}
	if b, err := io.ReadAll(r); err != nil || string(b) != "12345" {
		t.Errorf("exactly at the cap: %q, %v", b, err)
	}
	r = &capReader{r: strings.NewReader("123456"), n: 5}
	if _, err := io.ReadAll(r); !errors.Is(err, errTooLong) {
		t.Errorf("past the cap: %v", err)
	}
}

// BenchmarkDecodeTypedPointQuery decodes what rqlite answers to the typed
// form of a point query of three columns.
func BenchmarkDecodeTypedPointQuery(b *testing.B) {
	body := `{"results":[{"columns":["'orama'","schema_version","NULL","NULL","NULL","NULL"],"types":["text","integer","","","",""],"values":[["orama",3,null,null,null,null],["integer",42,"text","name-42","integer",294]]}]}`
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeResponse(strings.NewReader(body), modes(modeTyped), collector()); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDecodeLikeEncodingJSON decodes strings and numbers, read one byte
// at a time (every token spans reads) and at once, as encoding/json does.
func TestDecodeLikeEncodingJSON(t *testing.T) {
	lits := []string{
		`"plain"`, `""`, `"q\"b\\s\/"`, `"\b\f\n\r\t"`, `"\u0041\u00e9\u65e5"`, `"\ud83d\ude00"`,
		`"\ud800"`, `"\ud800\u0041"`, `"\udc00x"`, `"ünï 日本 😀"`, `"` + strings.Repeat("long", 5000) + `"`,
		`0`, `-0`, `9007199254740993`, `-9223372036854775808`, `2.5`, `1e300`, `-1.5E-7`, `true`, `false`, `null`,
	}
	body := `{"results":[{"columns":["a"],"types":[""],"values":[` + "[" + strings.Join(lits, "],[") + "]" + `]}]}`
	var results [][]any
	for _, one := range []bool{false, true} {
		for _, m := range []mode{modeSkip, modePlain} {
			var r io.Reader = strings.NewReader(body)
			if one {
				r = iotest.OneByteReader(r)
			}
			resp, err := decodeResponse(r, modes(m), collector())
			if err != nil || len(resp.results) != 1 {
				t.Fatalf("mode %d, one byte at a time %v: %v", m, one, err)
			}
			if m == modePlain {
				results = append(results, []any{resp.results[0].rows})
			}
		}
	}
	if !reflect.DeepEqual(results[0], results[1]) {
		t.Errorf("read at once and one byte at a time differ")
	}
	for _, lit := range lits {
		for _, one := range []bool{false, true} {
			var r io.Reader = strings.NewReader(lit)
			if one {
				r = iotest.OneByteReader(r)
			}
			d := &decoder{lx: newLexer(r), c: collector()}
			got, err := d.cell()
			if err != nil {
				t.Errorf("%.40s: %v", lit, err)
				continue
			}
			var want any
			dec := json.NewDecoder(strings.NewReader(lit))
			dec.UseNumber()
			if err := dec.Decode(&want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%.40s (one byte at a time: %v) = %#v, want %#v", lit, one, got, want)
			}
		}
	}
	for _, bad := range []string{`"abc`, `"\x"`, `"\u12"`, "\"a\x01\"", `01`, `1.`, `-`, `1e`, `tru`, `nul`, `{`} {
		d := &decoder{lx: newLexer(strings.NewReader(bad)), c: collector()}
		if v, err := d.cell(); err == nil {
			t.Errorf("%q read as %#v", bad, v)
		}
	}
}
