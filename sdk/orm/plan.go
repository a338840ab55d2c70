package orm

import (
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/orama-network/orama/sdk"
)

// plan says how rows map onto one struct type. Plans are immutable once
// built and shared by every goroutine.
type plan struct {
	typ    reflect.Type
	fields []*field          // declaration order
	byCol  map[string]*field // column → field
	pks    []*field          // fields tagged pk
	err    error             // why the type cannot be scanned (invalid)
}

// field is one mapped struct field.
type field struct {
	column string
	name   string // for messages: "User.Email"
	index  []int  // reflect index path from the top struct
	typ    reflect.Type
	depth  int // embedding depth; the shallowest field wins a column
	pk     bool
	auto   bool
	set    setFunc
}

// plans caches *plan by reflect.Type.
var plans sync.Map

// planOf returns the cached plan of struct type t, building it once.
func planOf(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	p, _ := plans.LoadOrStore(t, buildPlan(t))
	return p.(*plan)
}

func buildPlan(t reflect.Type) *plan {
	p := &plan{typ: t, byCol: map[string]*field{}}
	if t.Kind() != reflect.Struct {
		p.err = sdk.Errorf(sdk.CodeInvalid, "orm: %s is not a struct", t)
		return p
	}
	var all []*field
	if err := collect(t, nil, typeName(t), 0, &all); err != nil {
		p.err = err
		return p
	}
	for _, f := range all {
		old, taken := p.byCol[f.column]
		switch {
		case !taken || f.depth < old.depth:
			p.byCol[f.column] = f
		case f.depth == old.depth:
			p.err = sdk.Errorf(sdk.CodeInvalid, "orm: fields %s and %s both map to column %q", old.name, f.name, f.column)
			return p
		}
	}
	for _, f := range all {
		if p.byCol[f.column] != f {
			continue // shadowed by a shallower field
		}
		p.fields = append(p.fields, f)
		if f.pk {
			p.pks = append(p.pks, f)
		}
	}
	return p
}

// collect appends the mapped fields of struct type t (reached through
// index) to out, promoting the fields of embedded structs.
func collect(t reflect.Type, index []int, path string, depth int, out *[]*field) error {
	for i := range t.NumField() {
		sf := t.Field(i)
		tag, tagged := sf.Tag.Lookup("db")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		idx := append(append([]int(nil), index...), i)
		if sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct && !leaf(sf.Type) {
			if err := collect(sf.Type, idx, path+"."+sf.Name, depth+1, out); err != nil {
				return err
			}
			continue
		}
		if !sf.IsExported() || (sf.Anonymous && !tagged) {
			continue
		}
		f := &field{column: name, name: path + "." + sf.Name, index: idx, typ: sf.Type, depth: depth}
		if f.column == "" {
			f.column = strings.ToLower(sf.Name)
		}
		if err := f.options(opts); err != nil {
			return err
		}
		set, err := setterFor(sf.Type)
		if err != nil {
			return sdk.Errorf(sdk.CodeInvalid, "orm: field %s: %v (tag it `db:\"-\"` to skip it)", f.name, err)
		}
		f.set = set
		*out = append(*out, f)
	}
	return nil
}

// options reads the tag options after the column name.
func (f *field) options(opts string) error {
	if opts == "" {
		return nil
	}
	for o := range strings.SplitSeq(opts, ",") {
		switch strings.TrimSpace(o) {
		case "pk":
			f.pk = true
		case "auto":
			f.auto = true
		default:
			return sdk.Errorf(sdk.CodeInvalid, "orm: field %s: unknown db tag option %q", f.name, o)
		}
	}
	if f.auto && !f.pk {
		return sdk.Errorf(sdk.CodeInvalid, "orm: field %s: option auto needs pk", f.name)
	}
	if f.auto && !isInteger(f.typ) {
		return sdk.Errorf(sdk.CodeInvalid, "orm: field %s: an auto pk must be an integer, not %s", f.name, f.typ)
	}
	return nil
}

// leaf reports whether struct type t is a value of its own (time.Time, a
// sql.Scanner such as sql.NullString) rather than a group of columns.
func leaf(t reflect.Type) bool {
	return t == timeType || reflect.PointerTo(t).Implements(scannerType)
}

func isInteger(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

// columnError is the error of a value that does not fit its field.
func columnError(f *field, err error) error {
	return sdk.Errorf(sdk.CodeInvalid, "orm: column %q into field %s (%s): %v", f.column, f.name, f.typ, err)
}

// describe names the kind of a decoded value for messages.
func describe(v any) string {
	if v == nil {
		return "NULL"
	}
	return fmt.Sprintf("%T value", v)
}

func typeName(t reflect.Type) string {
	if t.Name() != "" {
		return t.Name()
	}
	return t.String()
}
