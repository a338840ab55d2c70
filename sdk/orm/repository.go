package orm

import (
	"context"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/orama-network/orama/sdk"
)

// Repository reads and writes rows of one table as values of struct type
// T, by T's db tags (see the package doc). Writes need exactly one field
// tagged pk. A Repository is safe for concurrent use.
type Repository[T any] struct {
	db    *DB
	table string
	plan  *plan
	err   error // reported by every method: bad table name or T
	cols  string
}

// NewRepository returns the repository of table for T. A table name that
// is not an identifier, or a T the scanner refuses, is reported by every
// method as invalid.
func NewRepository[T any](db *DB, table string) *Repository[T] {
	r := &Repository[T]{db: db, table: table, plan: planOf(reflect.TypeFor[T]())}
	switch {
	case !isIdent(table):
		r.err = sdk.Errorf(sdk.CodeInvalid, "orm: table name %q is not an identifier", table)
	case r.plan.err != nil:
		r.err = r.plan.err
	case len(r.plan.fields) == 0:
		r.err = sdk.Errorf(sdk.CodeInvalid, "orm: %s maps no columns", r.plan.typ)
	}
	if r.err == nil {
		names := make([]string, len(r.plan.fields))
		for i, f := range r.plan.fields {
			if !isIdent(f.column) {
				r.err = sdk.Errorf(sdk.CodeInvalid, "orm: column %q of field %s is not an identifier", f.column, f.name)
				break
			}
			names[i] = f.column
		}
		r.cols = strings.Join(names, ", ")
	}
	return r
}

// Table returns the table name.
func (r *Repository[T]) Table() string { return r.table }

// Query starts a builder selecting T's columns from the table, for what
// Find cannot say: r.Query().Where("age > ?", 30).GetMany(ctx, &out).
func (r *Repository[T]) Query() *Builder {
	b := r.db.Table(r.table)
	if r.err != nil {
		b.fail("%s", sdk.AsError(r.err).Message)
		return b
	}
	b.cols = []string{r.cols}
	return b
}

// Find returns the rows whose columns equal criteria (column → value; nil
// matches NULL; nil or empty criteria match every row), ordered by the
// primary key when T has one.
func (r *Repository[T]) Find(ctx context.Context, criteria map[string]any) ([]T, error) {
	b, err := r.where(criteria)
	if err != nil {
		return nil, err
	}
	out := []T{}
	if err := b.GetMany(ctx, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// FindOne returns the first row Find would return. Errors: not_found.
func (r *Repository[T]) FindOne(ctx context.Context, criteria map[string]any) (T, error) {
	var out T
	b, err := r.where(criteria)
	if err != nil {
		return out, err
	}
	err = b.GetOne(ctx, &out)
	return out, err
}

// where builds the select of Find with criteria in column order.
func (r *Repository[T]) where(criteria map[string]any) (*Builder, error) {
	b := r.Query()
	for _, col := range slices.Sorted(maps.Keys(criteria)) {
		if !isIdent(col) {
			return nil, sdk.Errorf(sdk.CodeInvalid, "orm: criteria column %q is not an identifier", col)
		}
		if isNil(criteria[col]) {
			b.Where(col + " IS NULL")
		} else {
			b.Where(col+" = ?", criteria[col])
		}
	}
	if len(r.plan.pks) == 1 {
		b.OrderBy(r.plan.pks[0].column)
	}
	return b, b.err
}

// isNil reports whether v is nil or a nil pointer.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}
