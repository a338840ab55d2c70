package orm

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"time"
)

// normalizeArgs converts arguments to what travels as JSON and reads back
// through the scanner: integers as int64, time.Time as RFC 3339 text in
// UTC, driver.Valuer through Value, pointers through their element (nil
// as NULL). []byte stays []byte (JSON writes it as base64).
func normalizeArgs(args []any) ([]any, error) {
	if len(args) == 0 {
		return nil, nil
	}
	out := make([]any, len(args))
	for i, a := range args {
		v, err := argOf(a)
		if err != nil {
			return nil, fmt.Errorf("argument %d: %v", i+1, err)
		}
		out[i] = v
	}
	return out, nil
}

// argOf converts one argument; see normalizeArgs.
func argOf(a any) (any, error) {
	switch x := a.(type) {
	case nil, int64, float64, string, bool, json.Number:
		return a, nil
	case []byte:
		if x == nil {
			return nil, nil
		}
		return x, nil
	case int:
		return int64(x), nil
	case time.Time:
		return formatTime(x), nil
	case driver.Valuer:
		if v := reflect.ValueOf(a); v.Kind() == reflect.Pointer && v.IsNil() {
			return nil, nil
		}
		dv, err := x.Value()
		if err != nil {
			return nil, err
		}
		if _, again := dv.(driver.Valuer); again {
			return nil, fmt.Errorf("%T.Value returned a driver.Valuer", a)
		}
		return argOf(dv)
	}
	return reflectArg(reflect.ValueOf(a))
}

// reflectArg converts named and pointer types by kind.
func reflectArg(v reflect.Value) (any, error) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil, nil
		}
		return argOf(v.Elem().Interface())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if v.Uint() > math.MaxInt64 {
			return nil, fmt.Errorf("%d does not fit the database's 64-bit signed integers", v.Uint())
		}
		return int64(v.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return v.Float(), nil
	case reflect.String:
		return v.String(), nil
	case reflect.Bool:
		return v.Bool(), nil
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			if v.IsNil() {
				return nil, nil
			}
			return v.Bytes(), nil
		}
	}
	return nil, fmt.Errorf("unsupported type %s", v.Type())
}

// fieldArg converts the value of a struct field for writing. A field
// whose pointer implements driver.Valuer is written through it.
func fieldArg(v reflect.Value) (any, error) {
	if v.CanAddr() && v.Kind() != reflect.Pointer && reflect.PointerTo(v.Type()).Implements(valuerType) {
		return argOf(v.Addr().Interface())
	}
	return argOf(v.Interface())
}

// formatTime writes t as RFC 3339 text in UTC.
func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
