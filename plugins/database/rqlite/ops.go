package rqlite

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

// item is one statement of a request and how its result is decoded.
type item struct {
	stmt driver.Stmt
	mode mode
	op   int // the op it belongs to; -1 for the driver's own statements
}

// Query runs a read-only statement on the read path (typed when it is a
// SELECT) and any other through /db/request.
func (d *Driver) Query(ctx context.Context, stmt driver.Stmt, c *driver.Collector) (*database.Rows, error) {
	if stmt.ReadOnly && stmt.Select {
		return d.typedQuery(ctx, stmt, c)
	}
	return d.plainQuery(ctx, stmt, c)
}

// plainQuery runs a statement as it is and decodes its rows by their
// declared types: read-only ones on the read path, others through
// /db/request.
func (d *Driver) plainQuery(ctx context.Context, stmt driver.Stmt, c *driver.Collector) (*database.Rows, error) {
	items := []item{{stmt, modePlain, -1}}
	var resp *response
	var err error
	if stmt.ReadOnly {
		resp, err = d.send(ctx, "/db/query", d.readParams(ctx, false), false, items, c)
	} else {
		resp, err = d.send(ctx, "/db/request", d.writeParams(false), true, items, c)
	}
	if err != nil {
		return nil, err
	}
	res, err := only(resp, 0, 1)
	if err != nil {
		return nil, err
	}
	return rowsOf(res, c)
}

// Exec runs a statement. A read-only one runs on the read path and
// reports zeros; a write with RETURNING is followed by a statement that
// reads its counters (rqlite returns its rows instead).
func (d *Driver) Exec(ctx context.Context, stmt driver.Stmt) (database.ExecResult, error) {
	c := driver.NewCollector(driver.Limits{MaxRows: 1 << 30, MaxBytes: 1 << 62})
	if stmt.ReadOnly {
		resp, err := d.send(ctx, "/db/query", d.readParams(ctx, false), false, []item{{stmt, modeSkip, -1}}, c)
		if err == nil {
			_, err = only(resp, 0, 1)
		}
		return database.ExecResult{}, err
	}
	if !hasReturning(stmt.SQL) {
		var resp *response
		var err error
		if coalescable(stmt.SQL) {
			resp, err = d.lanes.write.one(ctx, stmt, c)
		} else {
			resp, err = d.send(ctx, "/db/execute", d.writeParams(false), true, []item{{stmt, modeExec, -1}}, c)
		}
		if err != nil {
			return database.ExecResult{}, err
		}
		res, err := only(resp, 0, 1)
		if err != nil {
			return database.ExecResult{}, err
		}
		return database.ExecResult{RowsAffected: res.rowsAffected, LastInsertID: res.lastInsertID}, nil
	}
	items := []item{{stmt, modeSkip, -1}, {counters, modePlain, -1}}
	resp, err := d.send(ctx, "/db/request", d.writeParams(false), true, items, c)
	if err != nil {
		return database.ExecResult{}, err
	}
	if _, err := only(resp, 0, 2); err != nil {
		return database.ExecResult{}, err
	}
	res, err := only(resp, 1, 2)
	if err != nil {
		return database.ExecResult{}, err
	}
	return countersOf(res)
}

// Master lists sqlite_master rows by name prefix.
func (d *Driver) Master(ctx context.Context, prefix string, c *driver.Collector) ([]driver.MasterRow, error) {
	stmt := driver.Stmt{SQL: driver.MasterSQL, Args: []any{driver.LikePrefix(prefix)}, ReadOnly: true}
	resp, err := d.send(ctx, "/db/query", d.readParams(ctx, false), false, []item{{stmt, modePlain, -1}}, c)
	if err != nil {
		return nil, err
	}
	res, err := only(resp, 0, 1)
	if err != nil {
		return nil, err
	}
	out := make([]driver.MasterRow, len(res.rows))
	for i, r := range res.rows {
		if len(r) != 4 {
			return nil, sdk.Errorf(sdk.CodeInternal, "rqlite: sqlite_master row of %d cells", len(r))
		}
		text := func(v any) string { s, _ := v.(string); return s }
		out[i] = driver.MasterRow{Type: text(r[0]), Name: text(r[1]), TblName: text(r[2]), SQL: text(r[3])}
	}
	return out, nil
}

// counters reads what the statement before it changed.
var counters = driver.Stmt{SQL: "SELECT last_insert_rowid(), changes()", ReadOnly: true}

func countersOf(res *result) (database.ExecResult, error) {
	if len(res.rows) != 1 || len(res.rows[0]) != 2 {
		return database.ExecResult{}, sdk.Errorf(sdk.CodeInternal, "rqlite: unexpected counters %v", res.rows)
	}
	id, ok1 := res.rows[0][0].(int64)
	n, ok2 := res.rows[0][1].(int64)
	if !ok1 || !ok2 {
		return database.ExecResult{}, sdk.Errorf(sdk.CodeInternal, "rqlite: unexpected counters %v", res.rows[0])
	}
	return database.ExecResult{RowsAffected: n, LastInsertID: id}, nil
}

// hasReturning reports whether a statement may have a RETURNING clause
// (rqlite itself decides by the same test before parsing).
func hasReturning(sql string) bool {
	return strings.Contains(strings.ToLower(sql), "returning")
}

// send encodes items and does the call.
func (d *Driver) send(ctx context.Context, path, params string, write bool, items []item, c *driver.Collector) (*response, error) {
	var b body
	for _, it := range items {
		if err := b.add(it.stmt); err != nil {
			return nil, opError(it.op, err)
		}
	}
	modes := func(i int) mode {
		if i < len(items) {
			return items[i].mode
		}
		return modeSkip
	}
	return d.do(ctx, call{path: path, query: params, body: b.bytes(), write: write, modes: modes}, c)
}

// opError names the op of a refused argument (an *sdk.Error).
func opError(op int, err error) error {
	if op < 0 {
		return err
	}
	e := sdk.AsError(err)
	return &sdk.Error{Code: e.Code, Message: fmt.Sprintf("ops[%d]: %s", op, e.Message)}
}

// readParams are the query parameters of a read: the consistency level,
// blobs as byte arrays, the forwarding timeout and, when ctx has a
// deadline, SQLite's own timeout for the statement.
func (d *Driver) readParams(ctx context.Context, tx bool) string {
	p := "level=" + d.level + "&blob_array&timeout=" + d.timeout.String()
	if dl, ok := ctx.Deadline(); ok {
		if left := time.Until(dl); left > 0 {
			p += "&db_timeout=" + left.Round(time.Millisecond).String()
		}
	}
	if tx {
		p += "&transaction"
	}
	return p
}

// writeParams are the query parameters of a write. No db_timeout: every
// node applies the write on its own, and a timeout that fired on one node
// and not on another would make their databases differ.
func (d *Driver) writeParams(tx bool) string {
	p := "level=" + d.level + "&blob_array&timeout=" + d.timeout.String()
	if tx {
		p += "&transaction"
	}
	return p
}

// only returns result i of a response of want results, or the engine's
// error for it.
func only(resp *response, i, want int) (*result, error) {
	return onlyOp(resp, i, want, -1)
}

// onlyOp is only for a result that belongs to op of a batch.
func onlyOp(resp *response, i, want, op int) (*result, error) {
	if len(resp.results) <= i {
		return nil, sdk.Errorf(sdk.CodeInternal, "rqlite returned %d results for %d statements", len(resp.results), want)
	}
	if msg := resp.results[i].err; msg != "" {
		return nil, driver.EngineError(op, msg)
	}
	return resp.results[i], nil
}

// rowsOf returns a result's rows; a statement that returned no columns
// (a write without RETURNING) has none.
func rowsOf(res *result, c *driver.Collector) (*database.Rows, error) {
	cols := res.columns
	if cols == nil {
		cols = []string{}
	}
	if err := c.Columns(cols); err != nil {
		return nil, err
	}
	return &database.Rows{Columns: cols, Rows: nonNil(res.rows)}, nil
}

func nonNil(rows [][]any) [][]database.Value {
	if rows == nil {
		return [][]database.Value{}
	}
	return rows
}
