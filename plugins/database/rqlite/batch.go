package rqlite

import (
	"context"

	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

// Batch runs ops all or nothing (see "Transactions" in the package doc):
// a batch that only reads on the read path; one whose reads do not need
// rows through /db/execute?transaction; any other through a dry run and
// /db/request?transaction.
func (d *Driver) Batch(ctx context.Context, ops []driver.Op, c *driver.Collector) ([]database.OpResult, error) {
	readOnly, needRows := true, false
	for _, op := range ops {
		readOnly = readOnly && op.ReadOnly
		if op.Query && op.ReadOnly || !op.Query && !op.ReadOnly && hasReturning(op.SQL) {
			needRows = true
		}
	}
	switch {
	case readOnly:
		return d.readBatch(ctx, ops, c)
	case !needRows:
		return d.executeBatch(ctx, ops, c)
	}
	return d.requestBatch(ctx, ops, c)
}

// readBatch runs read-only ops in one read transaction; SELECTs are read
// typed, their column counts learnt first when unknown.
func (d *Driver) readBatch(ctx context.Context, ops []driver.Op, c *driver.Collector) ([]database.OpResult, error) {
	counts := make([]int, len(ops))
	var learn []item
	for i, op := range ops {
		if op.Query && op.Select {
			n, ok := d.shapes.get(op.SQL)
			counts[i] = n
			if !ok {
				learn = append(learn, item{shapeStmt(op.Stmt), modeShape, i})
			}
		}
	}
	for range 3 {
		if len(learn) > 0 {
			learn = append([]item{{refresh, modeSkip, -1}}, learn...)
			resp, err := d.send(ctx, "/db/query", d.readParams(ctx, true), false, learn, c)
			if err != nil {
				return nil, err
			}
			for j, it := range learn[1:] {
				res, err := onlyOp(resp, j+1, len(learn), it.op)
				if err != nil {
					return nil, err
				}
				counts[it.op] = len(res.columns)
				d.shapes.put(ops[it.op].SQL, counts[it.op])
			}
			learn = nil
		}
		items := []item{{refresh, modeSkip, -1}}
		for i, op := range ops {
			switch {
			case op.Query && op.Select && counts[i] <= maxTyped:
				items = append(items, item{shapeStmt(op.Stmt), modeShape, i},
					item{typedStmt(op.Stmt, counts[i], c.Limits().MaxRows+1), modeTyped, i})
			case op.Query:
				items = append(items, item{op.Stmt, modePlain, i})
			default:
				items = append(items, item{op.Stmt, modeSkip, i})
			}
		}
		resp, err := d.send(ctx, "/db/query", d.readParams(ctx, true), false, items, c)
		if err != nil {
			return nil, err
		}
		out, stale, err := collect(ops, items, resp, c, counts, make([][]string, len(ops)))
		if err != nil {
			return nil, err
		}
		if len(stale) == 0 {
			return out, nil
		}
		for _, i := range stale {
			learn = append(learn, item{shapeStmt(ops[i].Stmt), modeShape, i})
		}
	}
	return nil, sdk.Errorf(sdk.CodeUnavailable, "rqlite: the columns of the statements kept changing while they were read")
}

// executeBatch runs ops through /db/execute?transaction: rqlite stops at
// the first failing statement and rolls back.
func (d *Driver) executeBatch(ctx context.Context, ops []driver.Op, c *driver.Collector) ([]database.OpResult, error) {
	items := make([]item, len(ops))
	for i, op := range ops {
		m := modeExec
		if op.Query {
			m = modePlain // a write: rows with RETURNING, else none
		}
		items[i] = item{op.Stmt, m, i}
	}
	resp, err := d.send(ctx, "/db/execute", d.writeParams(true), true, items, c)
	if err != nil {
		return nil, err
	}
	out, _, err := collect(ops, items, resp, c, nil, nil)
	return out, err
}

// requestBatch runs a batch that writes and needs rows of its reads. The
// dry run (for two ops or more) checks that every statement compiles and
// learns the SELECTs' columns; it ends with a statement that fails, so
// rqlite rolls it back whatever happened, and it may be retried like a
// read. The real run ends with "SELECT 1", which shows whether rqlite went
// on after a failed statement.
func (d *Driver) requestBatch(ctx context.Context, ops []driver.Op, c *driver.Collector) ([]database.OpResult, error) {
	counts := make([]int, len(ops))
	names := make([][]string, len(ops))
	if len(ops) > 1 {
		var dry []item
		for i, op := range ops {
			switch {
			case op.Query && op.ReadOnly && op.Select:
				dry = append(dry, item{shapeStmt(op.Stmt), modeShape, i})
			default:
				dry = append(dry, item{op.Stmt, modeSkip, i})
			}
		}
		dry = append(dry, item{sentinel, modeSkip, -1})
		resp, err := d.send(ctx, "/db/request", d.writeParams(true), false, dry, c)
		if err != nil {
			return nil, err
		}
		for j, it := range dry {
			if j >= len(resp.results) {
				return nil, sdk.Errorf(sdk.CodeInternal, "rqlite: the dry run returned %d results for %d statements", len(resp.results), len(dry))
			}
			res := resp.results[j]
			switch {
			case it.op < 0 && res.err == "":
				return nil, sdk.Errorf(sdk.CodeInternal, "rqlite: the dry run of the transaction did not fail at its end as it must")
			case it.op < 0: // the sentinel failed: everything before it ran
			case res.err != "":
				return nil, driver.EngineError(it.op, res.err)
			case it.mode == modeShape:
				counts[it.op], names[it.op] = len(res.columns), res.columns
			}
		}
	}
	var items []item
	for i, op := range ops {
		switch {
		case op.Query && op.ReadOnly && op.Select && counts[i] <= maxTyped:
			items = append(items, item{typedStmt(op.Stmt, counts[i], c.Limits().MaxRows+1), modeTyped, i})
		case op.Query:
			items = append(items, item{op.Stmt, modePlain, i})
		case op.ReadOnly:
			items = append(items, item{op.Stmt, modeSkip, i})
		case hasReturning(op.SQL):
			items = append(items, item{op.Stmt, modeSkip, i}, item{counters, modePlain, i})
		default:
			items = append(items, item{op.Stmt, modeExec, i})
		}
	}
	items = append(items, item{trailer, modeSkip, -1})
	resp, err := d.send(ctx, "/db/request", d.writeParams(true), true, items, c)
	if err != nil {
		return nil, err
	}
	for j, res := range resp.results {
		if res.err != "" && j+1 < len(resp.results) && len(ops) > 1 {
			return nil, sdk.Errorf(sdk.CodeInternal,
				"rqlite committed the transaction without ops[%d], which failed: %s (the schema changed after the dry run)", items[j].op, res.err)
		}
	}
	out, _, err := collect(ops, items, resp, c, nil, names)
	return out, err
}

// The dry run's last statement compiles but fails when run (integer
// overflow, core SQLite), so rqlite rolls the dry run back; trailer marks
// the end of a real run.
var (
	sentinel = driver.Stmt{SQL: "SELECT abs(-9223372036854775807 - 1)", ReadOnly: true}
	trailer  = driver.Stmt{SQL: "SELECT 1", ReadOnly: true}
)

// collect turns the results of items into one OpResult per op. names
// holds the column names of typed ops learnt before (a shape item in
// items sets them); with counts (a read batch), collect also returns the
// ops whose column count was stale — their results are not used.
func collect(ops []driver.Op, items []item, resp *response, c *driver.Collector, counts []int, names [][]string) ([]database.OpResult, []int, error) {
	out := make([]database.OpResult, len(ops))
	var stale []int
	for j, it := range items {
		if j >= len(resp.results) {
			return nil, nil, sdk.Errorf(sdk.CodeInternal, "rqlite returned %d results for %d statements", len(resp.results), len(items))
		}
		res := resp.results[j]
		if it.op < 0 {
			continue
		}
		if res.err != "" {
			return nil, nil, driver.EngineError(it.op, res.err)
		}
		op := ops[it.op]
		switch it.mode {
		case modeShape:
			names[it.op] = res.columns
			if counts != nil && len(res.columns) != counts[it.op] {
				stale = append(stale, it.op)
			}
		case modeTyped:
			if err := c.Columns(names[it.op]); err != nil {
				return nil, nil, err
			}
			out[it.op].Rows = &database.Rows{Columns: names[it.op], Rows: nonNil(res.rows)}
		case modePlain:
			if !op.Query { // the counters after a write with RETURNING
				r, err := countersOf(res)
				if err != nil {
					return nil, nil, err
				}
				out[it.op].Exec = &r
				continue
			}
			rows, err := rowsOf(res, c)
			if err != nil {
				return nil, nil, err
			}
			out[it.op].Rows = rows
		case modeExec:
			out[it.op].Exec = &database.ExecResult{RowsAffected: res.rowsAffected, LastInsertID: res.lastInsertID}
		case modeSkip:
			if !op.Query && out[it.op].Exec == nil {
				out[it.op].Exec = &database.ExecResult{}
			}
		}
	}
	return out, stale, nil
}
