package rqlite

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/orama-network/orama/plugins/database/driver"
)

// typedRow converts a row of (typeof, value) pairs (see typed.go) into
// exact values: integers and reals from their JSON numbers, blobs from
// hex, text as is.
func typedRow(cells []any) ([]any, error) {
	if len(cells)%2 != 0 {
		return nil, fmt.Errorf("typed row with %d cells", len(cells))
	}
	row := make([]any, len(cells)/2)
	for i := range row {
		t, _ := cells[2*i].(string)
		v, err := typedValue(t, cells[2*i+1])
		if err != nil {
			return nil, fmt.Errorf("column %d: %w", i+1, err)
		}
		row[i] = v
	}
	return row, nil
}

func typedValue(typeOf string, raw any) (any, error) {
	switch typeOf {
	case "null":
		return nil, nil
	case "integer":
		if n, ok := raw.(json.Number); ok {
			return strconv.ParseInt(string(n), 10, 64)
		}
	case "real":
		if n, ok := raw.(json.Number); ok {
			return strconv.ParseFloat(string(n), 64)
		}
	case "text":
		switch x := raw.(type) {
		case string:
			return x, nil
		case []byte: // rqlite sent the text's bytes as a blob
			return string(x), nil
		}
	case "blob":
		if s, ok := raw.(string); ok {
			b, err := hex.DecodeString(s)
			if err != nil {
				return nil, err
			}
			return b, nil
		}
	}
	return nil, fmt.Errorf("unexpected %T for a value of type %q", raw, typeOf)
}

// plainRows converts raw cells by the columns' declared types.
func (r *result) plainRows() error {
	if len(r.rows) > 0 && len(r.types) != len(r.columns) {
		return fmt.Errorf("%d types for %d columns", len(r.types), len(r.columns))
	}
	for _, row := range r.rows {
		if len(row) != len(r.columns) {
			return fmt.Errorf("a row of %d cells for %d columns", len(row), len(r.columns))
		}
		for i, v := range row {
			row[i] = plainValue(v, r.types[i])
		}
	}
	return nil
}

// plainValue converts a cell of a plain (?blob_array) result: a number is
// REAL in a column of REAL affinity or when written with a fraction or
// exponent, else INTEGER (see the package doc for what this cannot tell);
// an array is a BLOB; true and false (BOOLEAN columns) are 1 and 0; the
// RFC 3339 text rqlite makes of a date column is written back as SQLite
// writes dates.
func plainValue(v any, declType string) any {
	switch x := v.(type) {
	case json.Number:
		s := string(x)
		if !realAffinity(declType) && !strings.ContainsAny(s, ".eE") {
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				return i
			}
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return s
		}
		return f
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	case string:
		if driver.IsDateType(declType) {
			if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
				return driver.TimeText(t, declType)
			}
		}
		return x
	}
	return v // nil, []byte
}

// realAffinity reports whether a declared type has REAL affinity (SQLite's
// rules: no INT, CHAR, CLOB, TEXT or BLOB, and REAL, FLOA or DOUB).
func realAffinity(declType string) bool {
	t := strings.ToUpper(declType)
	for _, s := range []string{"INT", "CHAR", "CLOB", "TEXT", "BLOB"} {
		if strings.Contains(t, s) {
			return false
		}
	}
	return strings.Contains(t, "REAL") || strings.Contains(t, "FLOA") || strings.Contains(t, "DOUB")
}

// number writes a parameter so rqlite binds it with its type: a whole
// REAL keeps a fraction ("2.0"), or rqlite would bind an INTEGER.
func number(f float64) (string, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "", fmt.Errorf("%v is not a finite number", f)
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s, nil
}
