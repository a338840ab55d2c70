package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/sdk/database"
	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// queryer is what *sql.Conn and *sql.Tx share.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// pool returns the pool for a statement: readers for read-only ones.
func (d *Driver) pool(readOnly bool) *sql.DB {
	if readOnly {
		return d.reader
	}
	return d.writer
}

// conn takes a connection of the pool for a statement and sets SQLite's
// length limit on it (sqlite3_limit is per connection and costs a store,
// so it is set on every use rather than tracked). When ctx ends while the
// call waits for a free connection, the error is a *driver.WaitError:
// the statement never ran.
func (d *Driver) conn(ctx context.Context, readOnly bool) (*sql.Conn, error) {
	c, err := d.pool(readOnly).Conn(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil, &driver.WaitError{Err: ctx.Err()}
		}
		return nil, err
	}
	if d.maxLength > 0 {
		if _, err := msqlite.Limit(c, sqlite3.SQLITE_LIMIT_LENGTH, d.maxLength); err != nil {
			_ = c.Close()
			return nil, err
		}
	}
	return c, nil
}

// Query runs stmt on a reader when it is read-only, else on the writer.
func (d *Driver) Query(ctx context.Context, stmt driver.Stmt, c *driver.Collector) (*database.Rows, error) {
	conn, err := d.conn(ctx, stmt.ReadOnly)
	if err != nil {
		return nil, stmtError(-1, err)
	}
	defer conn.Close()
	rows, err := query(ctx, conn, stmt, c)
	return rows, stmtError(-1, err)
}

// Exec runs stmt. A read-only statement runs on a reader and reports
// zeros: it changed nothing.
func (d *Driver) Exec(ctx context.Context, stmt driver.Stmt) (database.ExecResult, error) {
	conn, err := d.conn(ctx, stmt.ReadOnly)
	if err != nil {
		return database.ExecResult{}, stmtError(-1, err)
	}
	defer conn.Close()
	res, err := exec(ctx, conn, stmt)
	return res, stmtError(-1, err)
}

// Batch runs ops in one transaction: on a reader when every op is
// read-only (a consistent snapshot), else on the writer (BEGIN
// IMMEDIATE). The first failing op rolls everything back.
func (d *Driver) Batch(ctx context.Context, ops []driver.Op, c *driver.Collector) ([]database.OpResult, error) {
	readOnly := true
	for _, op := range ops {
		readOnly = readOnly && op.ReadOnly
	}
	conn, err := d.conn(ctx, readOnly)
	if err != nil {
		return nil, stmtError(-1, err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, stmtError(-1, err)
	}
	defer func() { _ = tx.Rollback() }() // a no-op after Commit
	out := make([]database.OpResult, len(ops))
	for i, op := range ops {
		if op.Query {
			out[i].Rows, err = query(ctx, tx, op.Stmt, c)
		} else {
			var res database.ExecResult
			res, err = exec(ctx, tx, op.Stmt)
			out[i].Exec = &res
		}
		if err != nil {
			return nil, stmtError(i, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, stmtError(-1, err)
	}
	return out, nil
}

// Master lists sqlite_master rows by name prefix.
func (d *Driver) Master(ctx context.Context, prefix string, c *driver.Collector) ([]driver.MasterRow, error) {
	stmt := driver.Stmt{SQL: driver.MasterSQL, Args: []any{driver.LikePrefix(prefix)}, ReadOnly: true}
	conn, err := d.conn(ctx, true)
	if err != nil {
		return nil, stmtError(-1, err)
	}
	defer conn.Close()
	rows, err := query(ctx, conn, stmt, c)
	if err != nil {
		return nil, stmtError(-1, err)
	}
	out := make([]driver.MasterRow, len(rows.Rows))
	for i, r := range rows.Rows {
		text := func(v any) string { s, _ := v.(string); return s }
		out[i] = driver.MasterRow{Type: text(r[0]), Name: text(r[1]), TblName: text(r[2]), SQL: text(r[3])}
	}
	return out, nil
}

func exec(ctx context.Context, q queryer, stmt driver.Stmt) (database.ExecResult, error) {
	res, err := q.ExecContext(ctx, stmt.SQL, stmt.Args...)
	if err != nil {
		return database.ExecResult{}, err
	}
	if stmt.ReadOnly {
		return database.ExecResult{}, nil
	}
	n, err := res.RowsAffected()
	if err != nil {
		return database.ExecResult{}, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return database.ExecResult{}, err
	}
	return database.ExecResult{RowsAffected: n, LastInsertID: id}, nil
}

// query reads the rows of stmt into c's bounds, one row at a time.
func query(ctx context.Context, q queryer, stmt driver.Stmt, c *driver.Collector) (*database.Rows, error) {
	rs, err := q.QueryContext(ctx, stmt.SQL, stmt.Args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	cols, err := rs.Columns()
	if err != nil {
		return nil, err
	}
	types, err := rs.ColumnTypes()
	if err != nil {
		return nil, err
	}
	if err := c.Columns(cols); err != nil {
		return nil, err
	}
	out := &database.Rows{Columns: cols, Rows: [][]database.Value{}}
	cells := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range cells {
		ptrs[i] = &cells[i]
	}
	for rs.Next() {
		if err := c.Row(); err != nil {
			return nil, err
		}
		if err := rs.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := make([]database.Value, len(cols))
		for i, v := range cells {
			row[i] = value(v, types[i].DatabaseTypeName())
			if err := c.Cell(row[i]); err != nil {
				return nil, err
			}
		}
		out.Rows = append(out.Rows, row)
	}
	if err := rs.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// value converts a scanned cell to a database.Value.
func value(v any, declType string) database.Value {
	switch x := v.(type) {
	case []byte:
		if x == nil {
			return []byte{}
		}
		return x
	case time.Time: // modernc parsed a DATE/DATETIME/TIMESTAMP text
		return driver.TimeText(x, declType)
	case bool: // not produced by modernc today; SQLite has no booleans
		if x {
			return int64(1)
		}
		return int64(0)
	}
	return v
}
