package hostfuncs

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"math"
	"strconv"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

// DBQuery runs sql in the function's namespace with the JSON array
// argsJSON as parameters and returns the rows as a JSON array of
// objects (columns in result order; BLOBs as base64 strings, as the
// gateway's /v1/rqlite/query writes them).
func (h *Host) DBQuery(ctx context.Context, sql string, argsJSON []byte) ([]byte, error) {
	if h.b.DB == nil {
		return nil, h.logged("db_query", unavailable("database"))
	}
	args, err := Args(argsJSON)
	if err != nil {
		return nil, h.logged("db_query", err)
	}
	rows, err := h.b.DB.Query(ctx, h.inv.Namespace, database.Statement{SQL: sql, Args: args})
	if err != nil {
		return nil, h.logged("db_query", err)
	}
	return RowsJSON(rows), nil
}

// DBExecute runs sql in the function's namespace and returns the rows it
// affected.
func (h *Host) DBExecute(ctx context.Context, sql string, argsJSON []byte) (int64, error) {
	if h.b.DB == nil {
		return 0, h.logged("db_execute", unavailable("database"))
	}
	args, err := Args(argsJSON)
	if err != nil {
		return 0, h.logged("db_execute", err)
	}
	res, err := h.b.DB.Exec(ctx, h.inv.Namespace, database.Statement{SQL: sql, Args: args})
	if err != nil {
		return 0, h.logged("db_execute", err)
	}
	return res.RowsAffected, nil
}

// Args decodes argsJSON (a JSON array; empty or null: none) into SQL
// parameters as the gateway's database routes bind them: a whole number
// that fits int64 as int64, other numbers as float64, strings, booleans
// and null as themselves; arrays and objects are invalid.
func Args(argsJSON []byte) ([]database.Value, error) {
	argsJSON = bytes.TrimSpace(argsJSON)
	if len(argsJSON) == 0 || string(argsJSON) == "null" {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(argsJSON))
	dec.UseNumber()
	var raw []any
	if err := dec.Decode(&raw); err != nil {
		return nil, sdk.Errorf(sdk.CodeInvalid, "args must be a JSON array: %v", err)
	}
	if dec.More() {
		return nil, sdk.Errorf(sdk.CodeInvalid, "args must be one JSON array")
	}
	if len(raw) > database.MaxArgs {
		return nil, sdk.Errorf(sdk.CodeInvalid, "at most %d arguments per statement", database.MaxArgs)
	}
	return database.NormalizeArgs(raw)
}

// RowsJSON encodes rows as a JSON array of objects, each listing its
// columns in result order (a repeated column name: the last wins, as in
// a JSON object).
func RowsJSON(rows *database.Rows) []byte {
	b := []byte{'['}
	if rows == nil {
		return append(b, ']')
	}
	keys := make([][]byte, len(rows.Columns))
	for i, c := range rows.Columns {
		last := true
		for _, later := range rows.Columns[i+1:] {
			if later == c {
				last = false
			}
		}
		if last {
			k, _ := json.Marshal(c)
			keys[i] = append(k, ':')
		}
	}
	for r, row := range rows.Rows {
		if r > 0 {
			b = append(b, ',')
		}
		b = append(b, '{')
		first := true
		for i, k := range keys {
			if k == nil || i >= len(row) {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = append(b, k...)
			b = appendCell(b, row[i])
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

func appendCell(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return append(b, "null"...)
		}
		j, _ := json.Marshal(x)
		return append(b, j...)
	case bool:
		return strconv.AppendBool(b, x)
	case []byte:
		b = append(b, '"')
		b = base64.StdEncoding.AppendEncode(b, x)
		return append(b, '"')
	case string:
		j, _ := json.Marshal(x)
		return append(b, j...)
	}
	j, err := json.Marshal(v)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, j...)
}
