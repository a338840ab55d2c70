package database

import "time"

// Cell readers for the values of Rows: a database returns int64, float64,
// string, []byte or nil in a cell. Each reads what its type can hold and
// gives the zero value otherwise (NULL included).

// CellString reads a TEXT (or BLOB) cell.
func CellString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return ""
}

// CellInt reads an INTEGER cell (a REAL one truncated).
func CellInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		return int64(x)
	}
	return 0
}

// CellBytes reads a BLOB (or TEXT) cell.
func CellBytes(v any) []byte {
	switch x := v.(type) {
	case []byte:
		return x
	case string:
		return []byte(x)
	}
	return nil
}

// CellTime reads Unix milliseconds; NULL or 0 is the zero time.
func CellTime(v any) time.Time {
	if n := CellInt(v); n != 0 {
		return time.UnixMilli(n)
	}
	return time.Time{}
}
