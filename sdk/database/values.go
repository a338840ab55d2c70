package database

import (
	"encoding/json"
	"math"
	"reflect"
	"strconv"

	"github.com/orama-network/orama/sdk"
	databasev1 "github.com/orama-network/orama/sdk/gen/orama/database/v1"
)

// NormalizeValue returns v as one of the canonical Value types: nil, int64,
// float64, string, []byte or bool.
//
// It accepts nil, bool, every signed and unsigned integer type (a uint64
// above math.MaxInt64 is invalid), float32 and float64 (NaN and ±Inf are
// invalid: SQLite would store NULL and JSON cannot carry them), string,
// []byte (a nil []byte is an empty BLOB, not NULL) and json.Number: a
// number without fraction that fits int64 becomes int64, as does a whole
// number written with a fraction or exponent up to 2^53 in magnitude
// ("1.0", "1e3"); any other becomes float64. Named types whose underlying
// type is one of these (type ID int64) are accepted too. Anything else —
// maps, slices other than []byte, structs, pointers, times — is invalid.
func NormalizeValue(v any) (Value, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case int64:
		return x, nil
	case float64:
		return checkFloat(x)
	case string:
		return x, nil
	case []byte:
		return x, nil
	case bool:
		return x, nil
	case int:
		return int64(x), nil
	case int8:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case uint:
		return uintValue(uint64(x))
	case uint8:
		return int64(x), nil
	case uint16:
		return int64(x), nil
	case uint32:
		return int64(x), nil
	case uint64:
		return uintValue(x)
	case float32:
		return checkFloat(float64(x))
	case json.Number:
		return numberValue(x)
	case json.RawMessage:
		return nil, sdk.Errorf(sdk.CodeInvalid, "unsupported value type json.RawMessage: decode JSON arguments first")
	}
	return normalizeKind(v)
}

// NormalizeArgs returns args with every value normalized (a new slice;
// args is not changed). The error names the first bad argument.
func NormalizeArgs(args []Value) ([]Value, error) {
	if len(args) == 0 {
		return nil, nil
	}
	out := make([]Value, len(args))
	for i, a := range args {
		v, err := NormalizeValue(a)
		if err != nil {
			return nil, sdk.Errorf(sdk.CodeInvalid, "args[%d]: %s", i, sdk.AsError(err).Message)
		}
		out[i] = v
	}
	return out, nil
}

// valueToProto normalizes v and encodes it for the wire.
func valueToProto(v Value) (*databasev1.Value, error) {
	n, err := NormalizeValue(v)
	if err != nil {
		return nil, err
	}
	switch x := n.(type) {
	case nil:
		return &databasev1.Value{Kind: &databasev1.Value_Null{Null: &databasev1.Null{}}}, nil
	case int64:
		return &databasev1.Value{Kind: &databasev1.Value_Int{Int: x}}, nil
	case float64:
		return &databasev1.Value{Kind: &databasev1.Value_Real{Real: x}}, nil
	case string:
		return &databasev1.Value{Kind: &databasev1.Value_Text{Text: []byte(x)}}, nil
	case []byte:
		return &databasev1.Value{Kind: &databasev1.Value_Blob{Blob: x}}, nil
	default: // bool: NormalizeValue returns nothing else
		return &databasev1.Value{Kind: &databasev1.Value_Bool{Bool: x.(bool)}}, nil
	}
}

// valueFromProto decodes a wire value. A BLOB is never a nil slice, so an
// empty BLOB stays distinct from NULL.
func valueFromProto(pv *databasev1.Value) (Value, error) {
	switch k := pv.GetKind().(type) {
	case *databasev1.Value_Null:
		return nil, nil
	case *databasev1.Value_Int:
		return k.Int, nil
	case *databasev1.Value_Real:
		return k.Real, nil
	case *databasev1.Value_Text:
		return string(k.Text), nil
	case *databasev1.Value_Blob:
		if k.Blob == nil {
			return []byte{}, nil
		}
		return k.Blob, nil
	case *databasev1.Value_Bool:
		return k.Bool, nil
	}
	return nil, sdk.Errorf(sdk.CodeInvalid, "value of unknown kind")
}

// normalizeKind accepts named types by their underlying kind.
func normalizeKind(v any) (Value, error) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Bool:
		return rv.Bool(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return uintValue(rv.Uint())
	case reflect.Float32, reflect.Float64:
		return checkFloat(rv.Float())
	case reflect.String:
		return rv.String(), nil
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return rv.Bytes(), nil
		}
	}
	return nil, sdk.Errorf(sdk.CodeInvalid, "unsupported value type %T", v)
}

func uintValue(u uint64) (Value, error) {
	if u > math.MaxInt64 {
		return nil, sdk.Errorf(sdk.CodeInvalid, "integer %d does not fit a signed 64-bit integer", u)
	}
	return int64(u), nil
}

func checkFloat(f float64) (Value, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, sdk.Errorf(sdk.CodeInvalid, "%v is not a finite number", f)
	}
	return f, nil
}

// numberValue converts a JSON number, refusing text that is not one.
func numberValue(n json.Number) (Value, error) {
	s := string(n)
	if !isJSONNumber(s) {
		return nil, sdk.Errorf(sdk.CodeInvalid, "%q is not a JSON number", short(s))
	}
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, sdk.Errorf(sdk.CodeInvalid, "number %s is out of range", short(s))
	}
	if f == math.Trunc(f) && math.Abs(f) <= 1<<53 && !(f == 0 && math.Signbit(f)) {
		return int64(f), nil
	}
	return f, nil
}

// isJSONNumber reports whether s is a number in JSON's grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func isJSONNumber(s string) bool {
	i := 0
	digits := func() int {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - start
	}
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch n := digits(); {
	case n == 0:
		return false
	case n > 1 && s[i-n] == '0':
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

func short(s string) string {
	if len(s) <= 40 {
		return s
	}
	return s[:40] + "…"
}
