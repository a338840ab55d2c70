package orm

import (
	"context"
	"strconv"
	"strings"

	"github.com/orama-network/orama/sdk"
)

// SQL returns the statement and its arguments, or "" and nil when an
// argument was refused (see Err).
func (b *Builder) SQL() (string, []any) {
	if b.err != nil {
		return "", nil
	}
	return b.build(b.limit)
}

// build writes the SELECT with the given limit (-1: none).
func (b *Builder) build(limit int) (string, []any) {
	var sb strings.Builder
	var args []any
	sb.WriteString("SELECT ")
	if len(b.cols) == 0 {
		sb.WriteString("*")
	} else {
		sb.WriteString(strings.Join(b.cols, ", "))
	}
	sb.WriteString(" FROM ")
	sb.WriteString(b.table)
	if b.alias != "" {
		sb.WriteString(" AS ")
		sb.WriteString(b.alias)
	}
	for _, j := range b.joins {
		sb.WriteString(" ")
		sb.WriteString(j)
	}
	for i, c := range b.where {
		if i == 0 {
			sb.WriteString(" WHERE ")
		} else {
			sb.WriteString(" " + c.conj + " ")
		}
		sb.WriteString("(" + c.expr + ")")
		args = append(args, c.args...)
	}
	if len(b.groupBy) > 0 {
		sb.WriteString(" GROUP BY " + strings.Join(b.groupBy, ", "))
	}
	if len(b.orderBy) > 0 {
		sb.WriteString(" ORDER BY " + strings.Join(b.orderBy, ", "))
	}
	if limit >= 0 {
		sb.WriteString(" LIMIT " + strconv.Itoa(limit))
	} else if b.offset > 0 {
		sb.WriteString(" LIMIT -1") // SQLite needs a LIMIT before OFFSET
	}
	if b.offset > 0 {
		sb.WriteString(" OFFSET " + strconv.Itoa(b.offset))
	}
	return sb.String(), args
}

// GetMany runs the query and scans every row into dest, a pointer to a
// slice of structs, of struct pointers, or of map[string]any.
func (b *Builder) GetMany(ctx context.Context, dest any) error {
	if b.err != nil {
		return b.err
	}
	if err := checkSliceDest(dest); err != nil {
		return err
	}
	q, args := b.build(b.limit)
	res, err := b.db.conn.Query(ctx, q, args...)
	if err != nil {
		return err
	}
	return ScanRows(res.Items, dest)
}

// GetOne runs the query with LIMIT 1 and scans the row into dest, a
// pointer to a struct or to a map[string]any. Errors: not_found when no
// row matches.
func (b *Builder) GetOne(ctx context.Context, dest any) error {
	if b.err != nil {
		return b.err
	}
	if err := checkRowDest(dest); err != nil {
		return err
	}
	limit := 1
	if b.limit == 0 {
		limit = 0
	}
	q, args := b.build(limit)
	res, err := b.db.conn.Query(ctx, q, args...)
	if err != nil {
		return err
	}
	if len(res.Items) == 0 {
		return sdk.Errorf(sdk.CodeNotFound, "orm: no row of %s matches", b.table)
	}
	return ScanRow(res.Items[0], dest)
}
