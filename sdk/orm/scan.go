package orm

import (
	"reflect"
	"strconv"

	"github.com/orama-network/orama/sdk"
)

var rowType = reflect.TypeFor[map[string]any]()

// ScanRows stores rows (as client.QueryResult.Items carries them) in dest:
// a pointer to a slice of structs, of pointers to structs, or of
// map[string]any. The slice is replaced; on error dest is unchanged.
func ScanRows(rows []map[string]any, dest any) error {
	if err := checkSliceDest(dest); err != nil {
		return err
	}
	sv := reflect.ValueOf(dest).Elem()
	elem := sv.Type().Elem()
	out := reflect.MakeSlice(sv.Type(), len(rows), len(rows))
	switch {
	case elem == rowType:
		for i, row := range rows {
			out.Index(i).Set(reflect.ValueOf(row))
		}
	case elem.Kind() == reflect.Pointer:
		p := planOf(elem.Elem())
		if p.err != nil {
			return p.err
		}
		for i, row := range rows {
			v := reflect.New(elem.Elem())
			if err := p.scan(row, v.Elem()); err != nil {
				return rowError(i, err)
			}
			out.Index(i).Set(v)
		}
	default:
		p := planOf(elem)
		if p.err != nil {
			return p.err
		}
		for i, row := range rows {
			if err := p.scan(row, out.Index(i)); err != nil {
				return rowError(i, err)
			}
		}
	}
	sv.Set(out)
	return nil
}

// ScanRow stores row in dest, a pointer to a struct or to a
// map[string]any. Fields whose column is not in row keep their values.
func ScanRow(row map[string]any, dest any) error {
	if err := checkRowDest(dest); err != nil {
		return err
	}
	v := reflect.ValueOf(dest).Elem()
	if v.Type() == rowType {
		v.Set(reflect.ValueOf(row))
		return nil
	}
	p := planOf(v.Type())
	if p.err != nil {
		return p.err
	}
	return p.scan(row, v)
}

// scan stores the cells of row in the struct v.
func (p *plan) scan(row map[string]any, v reflect.Value) error {
	for _, f := range p.fields {
		cell, ok := row[f.column]
		if !ok {
			continue
		}
		fv := v
		for _, i := range f.index {
			fv = fv.Field(i)
		}
		if err := f.set(fv, cell); err != nil {
			return columnError(f, err)
		}
	}
	return nil
}

func rowError(i int, err error) error {
	e := sdk.AsError(err)
	return &sdk.Error{Code: e.Code, Message: e.Message + " (row " + strconv.Itoa(i) + ")"}
}

func checkSliceDest(dest any) error {
	t := reflect.TypeOf(dest)
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Slice || reflect.ValueOf(dest).IsNil() {
		return sdk.Errorf(sdk.CodeInvalid, "orm: destination %T is not a non-nil pointer to a slice", dest)
	}
	e := t.Elem().Elem()
	if e == rowType || e.Kind() == reflect.Struct || (e.Kind() == reflect.Pointer && e.Elem().Kind() == reflect.Struct) {
		return nil
	}
	return sdk.Errorf(sdk.CodeInvalid, "orm: destination %T: want a slice of structs, struct pointers or map[string]any", dest)
}

func checkRowDest(dest any) error {
	t := reflect.TypeOf(dest)
	if t == nil || t.Kind() != reflect.Pointer || reflect.ValueOf(dest).IsNil() ||
		(t.Elem().Kind() != reflect.Struct && t.Elem() != rowType) {
		return sdk.Errorf(sdk.CodeInvalid, "orm: destination %T is not a non-nil pointer to a struct or map[string]any", dest)
	}
	return nil
}
