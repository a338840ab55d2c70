package database

import (
	"encoding/base64"
	"fmt"
	"math"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/orama-network/orama/sdk/database"
)

// Rows → JSON.
//
// Result rows are encoded by hand so each row object lists its columns in
// the order of the result (encoding/json would sort map keys) and no value
// passes through an interface map. Cells map to JSON as:
//
//	nil      null
//	int64    a number, exactly (never through float64)
//	float64  a number as encoding/json writes it; NaN and ±Inf, which JSON
//	         cannot express, become null
//	string   a string
//	bool     true or false
//	[]byte   a string: the bytes in standard base64 (RFC 4648, padded)
//
// A JSON object holds a key once: when a result repeats a column name
// (SELECT a.id, b.id) the last column of that name wins.

// colKey is one column of a result as it is written: its index in a row
// and its key, quoted, with the colon.
type colKey struct {
	idx int
	key []byte
}

// columnKeys prepares the keys of cols once per result.
func columnKeys(cols []string) []colKey {
	keys := make([]colKey, 0, len(cols))
	for i, c := range cols {
		if lastIndex(cols, c) != i {
			continue // a later column of the same name wins
		}
		k := appendJSONString(make([]byte, 0, len(c)+3), c)
		keys = append(keys, colKey{idx: i, key: append(k, ':')})
	}
	return keys
}

func lastIndex(cols []string, c string) int {
	for j := len(cols) - 1; j >= 0; j-- {
		if cols[j] == c {
			return j
		}
	}
	return -1
}

// appendItems appends `{"items":[…],"count":n}` for rows (nil: no rows).
func appendItems(b []byte, rows *database.Rows) ([]byte, error) {
	b = append(b, `{"items":[`...)
	n := 0
	if rows != nil {
		keys := columnKeys(rows.Columns)
		for i, row := range rows.Rows {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendRow(b, keys, len(rows.Columns), row); err != nil {
				return b, err
			}
		}
		n = len(rows.Rows)
	}
	b = append(b, `],"count":`...)
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, '}'), nil
}

// appendRow appends one row as a JSON object.
func appendRow(b []byte, keys []colKey, ncols int, row []database.Value) ([]byte, error) {
	if len(row) != ncols {
		return b, fmt.Errorf("database plugin returned a row of %d cells for %d columns", len(row), ncols)
	}
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, k.key...)
		var err error
		if b, err = appendValue(b, row[k.idx]); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// appendValue appends one cell (see the table above). Any other type is a
// broken plugin: an internal error.
func appendValue(b []byte, v database.Value) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case float64:
		return appendFloat(b, v), nil
	case string:
		return appendJSONString(b, v), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case []byte:
		b = append(b, '"')
		b = base64.StdEncoding.AppendEncode(b, v)
		return append(b, '"'), nil
	}
	return b, fmt.Errorf("database plugin returned a cell of type %T", v)
}

// appendFloat writes f the way encoding/json does: shortest representation,
// exponent form only for very small or very large magnitudes.
func appendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// 1e-07 → 1e-7, as encoding/json writes it.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, invalid UTF-8 replaced by U+FFFD, and U+2028
// and U+2029 escaped (as encoding/json does, for JavaScript).
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// Response buffers are pooled; one that grew past maxPooledBuf is left to
// the garbage collector so a single huge result does not pin memory.
const maxPooledBuf = 64 << 10

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 4<<10); return &b }}

func getBuf() *[]byte { return bufPool.Get().(*[]byte) }

func putBuf(bp *[]byte) {
	if cap(*bp) > maxPooledBuf {
		return
	}
	*bp = (*bp)[:0]
	bufPool.Put(bp)
}
