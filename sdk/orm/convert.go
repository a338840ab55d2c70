package orm

import (
	"database/sql"
	"database/sql/driver"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"reflect"
	"time"
)

// setFunc stores a decoded cell (nil, int64, float64, string or bool) in
// dst, an addressable value of the field's type.
type setFunc func(dst reflect.Value, v any) error

var (
	timeType    = reflect.TypeFor[time.Time]()
	scannerType = reflect.TypeFor[sql.Scanner]()
	valuerType  = reflect.TypeFor[driver.Valuer]()
)

var errNull = errors.New("NULL does not fit; use a pointer or sql.Null field")

// setterFor returns the converter of field type t.
func setterFor(t reflect.Type) (setFunc, error) {
	if reflect.PointerTo(t).Implements(scannerType) {
		return setScanner, nil
	}
	if t == timeType {
		return notNull(setTime), nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		return pointerSetter(t)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return notNull(setInt), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return notNull(setUint), nil
	case reflect.Float32, reflect.Float64:
		return notNull(setFloat), nil
	case reflect.String:
		return notNull(setString), nil
	case reflect.Bool:
		return notNull(setBool), nil
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return setBytes, nil
		}
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return setAny, nil
		}
	}
	return nil, fmt.Errorf("unsupported type %s", t)
}

func notNull(f setFunc) setFunc {
	return func(dst reflect.Value, v any) error {
		if v == nil {
			return errNull
		}
		return f(dst, v)
	}
}

// pointerSetter stores NULL as nil and anything else in a new element.
func pointerSetter(t reflect.Type) (setFunc, error) {
	elem, err := setterFor(t.Elem())
	if err != nil {
		return nil, err
	}
	return func(dst reflect.Value, v any) error {
		if v == nil {
			dst.SetZero()
			return nil
		}
		p := reflect.New(t.Elem())
		if err := elem(p.Elem(), v); err != nil {
			return err
		}
		dst.Set(p)
		return nil
	}, nil
}

func mismatch(v any, dst reflect.Value) error {
	return fmt.Errorf("cannot store %s in %s", describe(v), dst.Type())
}

// wholeFloat reports whether x is a whole number within int64.
func wholeFloat(x float64) bool {
	return x == math.Trunc(x) && x >= -(1<<63) && x < 1<<63
}

// wholeInt returns v, an int64 or a whole float64, as an int64 for dst.
func wholeInt(dst reflect.Value, v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case float64:
		if wholeFloat(x) {
			return int64(x), nil
		}
	}
	return 0, mismatch(v, dst)
}

func setInt(dst reflect.Value, v any) error {
	n, err := wholeInt(dst, v)
	if err != nil {
		return err
	}
	if dst.OverflowInt(n) {
		return fmt.Errorf("%d overflows %s", n, dst.Type())
	}
	dst.SetInt(n)
	return nil
}

func setUint(dst reflect.Value, v any) error {
	n, err := wholeInt(dst, v)
	if err != nil {
		return err
	}
	if n < 0 || dst.OverflowUint(uint64(n)) {
		return fmt.Errorf("%d overflows %s", n, dst.Type())
	}
	dst.SetUint(uint64(n))
	return nil
}

func setFloat(dst reflect.Value, v any) error {
	var f float64
	switch x := v.(type) {
	case int64:
		f = float64(x)
	case float64:
		f = x
	default:
		return mismatch(v, dst)
	}
	if dst.OverflowFloat(f) {
		return fmt.Errorf("%g overflows %s", f, dst.Type())
	}
	dst.SetFloat(f)
	return nil
}

func setString(dst reflect.Value, v any) error {
	s, ok := v.(string)
	if !ok {
		return mismatch(v, dst)
	}
	dst.SetString(s)
	return nil
}

// setBool takes a JSON boolean or SQLite's integer 0/1 (any non-zero
// integer is true).
func setBool(dst reflect.Value, v any) error {
	switch x := v.(type) {
	case bool:
		dst.SetBool(x)
	case int64:
		dst.SetBool(x != 0)
	default:
		return mismatch(v, dst)
	}
	return nil
}

// setBytes decodes base64 text (how BLOB cells and []byte arguments
// travel); NULL is nil.
func setBytes(dst reflect.Value, v any) error {
	if v == nil {
		dst.SetZero()
		return nil
	}
	s, ok := v.(string)
	if !ok {
		return mismatch(v, dst)
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return fmt.Errorf("text is not base64: %v", err)
	}
	dst.SetBytes(b)
	return nil
}

func setAny(dst reflect.Value, v any) error {
	if v == nil {
		dst.SetZero()
		return nil
	}
	dst.Set(reflect.ValueOf(v))
	return nil
}

func setTime(dst reflect.Value, v any) error {
	t, err := toTime(v)
	if err != nil {
		return err
	}
	*dst.Addr().Interface().(*time.Time) = t // no boxing of t
	return nil
}

// timeLayouts are the text forms a time is read from: RFC 3339 (what the
// orm writes) and SQLite's date and time functions' forms.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02"}

// toTime reads RFC 3339 or SQLite text, or Unix seconds.
func toTime(v any) (time.Time, error) {
	switch x := v.(type) {
	case string:
		for _, layout := range timeLayouts {
			if t, err := time.Parse(layout, x); err == nil {
				return t, nil
			}
		}
		return time.Time{}, fmt.Errorf("text %q is not an RFC 3339 or SQLite time", x)
	case int64:
		return time.Unix(x, 0).UTC(), nil
	case float64:
		sec, frac := math.Modf(x)
		return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("cannot store %s in time.Time", describe(v))
}

// setScanner hands the cell to the field's Scan method; text that Scan
// refuses is tried once more as a time (for sql.NullTime and the like).
func setScanner(dst reflect.Value, v any) error {
	s := dst.Addr().Interface().(sql.Scanner)
	err := s.Scan(v)
	if err == nil {
		return nil
	}
	if text, ok := v.(string); ok {
		if t, terr := toTime(text); terr == nil && s.Scan(t) == nil {
			return nil
		}
	}
	return err
}
