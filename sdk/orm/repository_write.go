package orm

import (
	"context"
	"reflect"
	"strings"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/client"
)

// Save writes *v: an INSERT when its primary key is zero (see Insert),
// else an UPDATE by primary key (see Update). Errors: not_found when an
// update matches no row; invalid when T has no pk field.
func (r *Repository[T]) Save(ctx context.Context, v *T) error {
	insert, err := r.isNew(v)
	if err != nil {
		return err
	}
	if insert {
		return r.Insert(ctx, v)
	}
	return r.Update(ctx, v)
}

// Insert writes *v as a new row. An auto pk that is zero is left out of
// the INSERT and set from last_insert_id; any other pk is written as it
// is (use Insert, not Save, for keys the application assigns).
func (r *Repository[T]) Insert(ctx context.Context, v *T) error {
	q, args, auto, err := r.insertStmt(v)
	if err != nil {
		return err
	}
	res, err := r.db.conn.Exec(ctx, q, args...)
	if err != nil {
		return err
	}
	return r.setAuto(v, auto, res.LastInsertID)
}

// Update writes every column of *v to the row with its primary key.
// Errors: not_found when no row has it.
func (r *Repository[T]) Update(ctx context.Context, v *T) error {
	return r.execByKey(ctx, v, r.updateStmt)
}

// Remove deletes the row with the primary key of *v. Errors: not_found
// when no row has it.
func (r *Repository[T]) Remove(ctx context.Context, v *T) error {
	return r.execByKey(ctx, v, r.deleteStmt)
}

// execByKey runs the statement stmt writes for *v, an UPDATE or DELETE by
// its primary key. Errors: not_found when it matches no row.
func (r *Repository[T]) execByKey(ctx context.Context, v *T, stmt func(*T) (string, []any, error)) error {
	q, args, err := stmt(v)
	if err != nil {
		return err
	}
	res, err := r.db.conn.Exec(ctx, q, args...)
	if err != nil {
		return err
	}
	if res.RowsAffected == 0 {
		return r.notFound(v)
	}
	return nil
}

// SaveTx adds the write of Save to tx. An auto pk is set when tx commits.
// Within a batch an UPDATE that matches no row is not an error (nothing
// can check rows affected between the ops); read RowsAffected from
// Commit's results at the returned index when it matters.
func (r *Repository[T]) SaveTx(tx *Tx, v *T) (int, error) {
	insert, err := r.isNew(v)
	if err != nil {
		return -1, err
	}
	if insert {
		return r.InsertTx(tx, v)
	}
	return r.addByKey(tx, v, r.updateStmt)
}

// InsertTx adds the INSERT of Insert to tx. An auto pk is set when tx
// commits.
func (r *Repository[T]) InsertTx(tx *Tx, v *T) (int, error) {
	q, args, auto, err := r.insertStmt(v)
	if err != nil {
		return -1, err
	}
	i, err := r.addTx(tx, q, args)
	if err == nil && auto != nil {
		tx.after(i, func(res client.TxResult) error { return r.setAuto(v, auto, res.LastInsertID) })
	}
	return i, err
}

// RemoveTx adds the DELETE of Remove to tx; like SaveTx, a DELETE that
// matches no row is not an error within the batch.
func (r *Repository[T]) RemoveTx(tx *Tx, v *T) (int, error) {
	return r.addByKey(tx, v, r.deleteStmt)
}

// addByKey adds to tx the statement stmt writes for *v, an UPDATE or
// DELETE by its primary key.
func (r *Repository[T]) addByKey(tx *Tx, v *T, stmt func(*T) (string, []any, error)) (int, error) {
	q, args, err := stmt(v)
	if err != nil {
		return -1, err
	}
	return r.addTx(tx, q, args)
}

func (r *Repository[T]) addTx(tx *Tx, q string, args []any) (int, error) {
	i := tx.add(client.OpExec, q, args)
	if i < 0 {
		return -1, tx.err
	}
	return i, nil
}

// pk returns T's one primary key field.
func (r *Repository[T]) pk() (*field, error) {
	if r.err != nil {
		return nil, r.err
	}
	if len(r.plan.pks) != 1 {
		return nil, sdk.Errorf(sdk.CodeInvalid, "orm: %s needs exactly one field tagged pk to be written by key, has %d", r.plan.typ, len(r.plan.pks))
	}
	return r.plan.pks[0], nil
}

// value returns the struct v points to.
func (r *Repository[T]) value(v *T) (reflect.Value, error) {
	if r.err != nil {
		return reflect.Value{}, r.err
	}
	if v == nil {
		return reflect.Value{}, sdk.Errorf(sdk.CodeInvalid, "orm: nil *%s", r.plan.typ)
	}
	return reflect.ValueOf(v).Elem(), nil
}

// keyed returns the struct v points to and T's primary key field.
func (r *Repository[T]) keyed(v *T) (reflect.Value, *field, error) {
	rv, err := r.value(v)
	if err != nil {
		return reflect.Value{}, nil, err
	}
	pk, err := r.pk()
	return rv, pk, err
}

// arg returns field f of the struct rv as a statement argument; an error
// is invalid and names the field.
func arg(rv reflect.Value, f *field) (any, error) {
	a, err := fieldArg(rv.FieldByIndex(f.index))
	if err != nil {
		return nil, sdk.Errorf(sdk.CodeInvalid, "orm: field %s: %v", f.name, err)
	}
	return a, nil
}

// isNew reports whether v's primary key is zero.
func (r *Repository[T]) isNew(v *T) (bool, error) {
	rv, pk, err := r.keyed(v)
	if err != nil {
		return false, err
	}
	return rv.FieldByIndex(pk.index).IsZero(), nil
}

// insertStmt writes the INSERT of v. auto is the pk field to set from
// last_insert_id, if any.
func (r *Repository[T]) insertStmt(v *T) (q string, args []any, auto *field, err error) {
	rv, err := r.value(v)
	if err != nil {
		return "", nil, nil, err
	}
	var cols []string
	for _, f := range r.plan.fields {
		if f.auto && rv.FieldByIndex(f.index).IsZero() {
			auto = f
			continue
		}
		a, err := arg(rv, f)
		if err != nil {
			return "", nil, nil, err
		}
		cols = append(cols, f.column)
		args = append(args, a)
	}
	if len(cols) == 0 {
		return "INSERT INTO " + r.table + " DEFAULT VALUES", nil, auto, nil
	}
	q = "INSERT INTO " + r.table + " (" + strings.Join(cols, ", ") + ") VALUES (" +
		strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	return q, args, auto, nil
}

// updateStmt writes the UPDATE of every non-pk column of v by its pk.
func (r *Repository[T]) updateStmt(v *T) (string, []any, error) {
	rv, pk, err := r.keyed(v)
	if err != nil {
		return "", nil, err
	}
	var sets []string
	var args []any
	for _, f := range r.plan.fields {
		if f == pk {
			continue
		}
		a, err := arg(rv, f)
		if err != nil {
			return "", nil, err
		}
		sets = append(sets, f.column+" = ?")
		args = append(args, a)
	}
	if len(sets) == 0 {
		sets = []string{pk.column + " = " + pk.column} // nothing to change; still matches by key
	}
	key, err := arg(rv, pk)
	if err != nil {
		return "", nil, err
	}
	q := "UPDATE " + r.table + " SET " + strings.Join(sets, ", ") + " WHERE " + pk.column + " = ?"
	return q, append(args, key), nil
}

// deleteStmt writes the DELETE of v by its pk.
func (r *Repository[T]) deleteStmt(v *T) (string, []any, error) {
	rv, pk, err := r.keyed(v)
	if err != nil {
		return "", nil, err
	}
	key, err := arg(rv, pk)
	if err != nil {
		return "", nil, err
	}
	return "DELETE FROM " + r.table + " WHERE " + pk.column + " = ?", []any{key}, nil
}

// setAuto stores id in v's auto pk field, if any.
func (r *Repository[T]) setAuto(v *T, auto *field, id int64) error {
	if auto == nil {
		return nil
	}
	if err := auto.set(reflect.ValueOf(v).Elem().FieldByIndex(auto.index), id); err != nil {
		return columnError(auto, err)
	}
	return nil
}

func (r *Repository[T]) notFound(v *T) error {
	pk := r.plan.pks[0]
	key := reflect.ValueOf(v).Elem().FieldByIndex(pk.index).Interface()
	return sdk.Errorf(sdk.CodeNotFound, "orm: no row of %s has %s = %v", r.table, pk.column, key)
}
