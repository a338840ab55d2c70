package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/orama-network/orama/sdk"
)

// exactJSON decodes any JSON value without losing integer precision: a
// number written as an integer that fits int64 becomes int64, any other
// number float64. (encoding/json alone would turn 2^53+1 into a float64
// and lose its last bit.)
type exactJSON struct{ v any }

func (x *exactJSON) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("data after the JSON value")
	}
	x.v = exactNumbers(v)
	return nil
}

// exactNumbers replaces every json.Number in v (in place for maps and
// slices) and returns the result.
func exactNumbers(v any) any {
	switch t := v.(type) {
	case json.Number:
		return number(t)
	case map[string]any:
		for k, e := range t {
			t[k] = exactNumbers(e)
		}
	case []any:
		for i, e := range t {
			t[i] = exactNumbers(e)
		}
	}
	return v
}

// number converts a JSON number: int64 when it is written as an integer
// and fits, float64 otherwise.
func number(n json.Number) any {
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		return i
	}
	f, _ := strconv.ParseFloat(string(n), 64) // the decoder checked the syntax; ±Inf on overflow
	return f
}

// shapeError reports an answer that is valid JSON of the wrong shape.
func shapeError(method, path string, err error) error {
	return sdk.Errorf(sdk.CodeInternal, "%s %s: decode response: %v", method, path, err)
}

// object returns v as a JSON object.
func object(v any, what string) (map[string]any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s is %s, want an object", what, jsonKind(v))
	}
	return m, nil
}

// queryResult reads {items, count}. A missing count is len(items).
func queryResult(v any) (*QueryResult, error) {
	m, err := object(v, "answer")
	if err != nil {
		return nil, err
	}
	items, err := rowList(m["items"])
	if err != nil {
		return nil, err
	}
	out := &QueryResult{Items: items, Count: len(items)}
	if c, ok := m["count"]; ok && c != nil {
		n, ok := c.(int64)
		if !ok {
			return nil, fmt.Errorf("count is %s, want an integer", jsonKind(c))
		}
		out.Count = int(n)
	}
	return out, nil
}

// rowList reads an array of row objects; null is no rows.
func rowList(v any) ([]map[string]any, error) {
	if v == nil {
		return []map[string]any{}, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("items is %s, want an array", jsonKind(v))
	}
	rows := make([]map[string]any, len(list))
	for i, e := range list {
		row, err := object(e, fmt.Sprintf("items[%d]", i))
		if err != nil {
			return nil, err
		}
		rows[i] = row
	}
	return rows, nil
}

// execResult reads {rows_affected, last_insert_id}.
func execResult(v any) (ExecResult, error) {
	m, err := object(v, "answer")
	if err != nil {
		return ExecResult{}, err
	}
	var out ExecResult
	if out.RowsAffected, err = intField(m, "rows_affected"); err != nil {
		return ExecResult{}, err
	}
	if out.LastInsertID, err = intField(m, "last_insert_id"); err != nil {
		return ExecResult{}, err
	}
	return out, nil
}

// intField returns m[key] as int64; absent or null is 0.
func intField(m map[string]any, key string) (int64, error) {
	switch v := m[key].(type) {
	case nil:
		return 0, nil
	case int64:
		return v, nil
	default:
		return 0, fmt.Errorf("%s is %s, want an integer", key, jsonKind(v))
	}
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case int64, float64:
		return "a number"
	}
	return fmt.Sprintf("%T", v)
}
