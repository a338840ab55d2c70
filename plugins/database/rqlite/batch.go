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
// typed, their shapes learnt first when unknown and again when a typed
// read failed or its cookie shows a change of the schema.
func (d *Driver) readBatch(ctx context.Context, ops []driver.Op, c *driver.Collector) ([]database.OpResult, error) {
	known := make([]shape, len(ops))
	var learn []int
	for i, op := range ops {
		if op.Query && op.Select {
			sh, ok := d.shapes.get(op.SQL)
			known[i] = sh
			if !ok {
				learn = append(learn, i)
			}
		}
	}
	var failed map[int]error // typed reads that failed, by op
	limit := c.Limits().MaxRows + 1
	for range 3 {
		if len(learn) > 0 {
			fresh, err := d.learnMany(ctx, ops, learn, limit, c)
			if err != nil {
				return nil, err
			}
			for k, i := range learn {
				if err, ok := failed[i]; ok && fresh[k].same(known[i]) {
					return nil, err // the shape did not change: the error is the statement's
				}
				known[i] = fresh[k]
			}
			learn, failed = nil, nil
		}
		var items []item
		for i, op := range ops {
			switch {
			case op.Query && op.Select && len(known[i].names) <= maxTyped:
				items = append(items, item{known[i].typedFor(op.Stmt, limit), modeTyped, i})
			case op.Query:
				items = append(items, item{op.Stmt, modePlain, i})
			default:
				items = append(items, item{op.Stmt, modeSkip, i})
			}
		}
		saved := *c
		resp, err := d.send(ctx, "/db/query", d.readParams(ctx, len(items) > 1), false, items, c)
		if err != nil {
			return nil, err
		}
		out, stale, err := collect(ops, items, resp, c, known, true)
		if err != nil {
			return nil, err
		}
		if len(stale) == 0 {
			return out, nil
		}
		*c = saved
		failed = map[int]error{}
		for _, s := range stale {
			learn = append(learn, s.op)
			if s.err != nil {
				failed[s.op] = s.err
			}
		}
	}
	return nil, sdk.Errorf(sdk.CodeUnavailable, "rqlite: the columns of the statements kept changing while they were read")
}

// learnMany learns the shapes of ops[i] for i in which, in one read
// transaction (see learn), and remembers them.
func (d *Driver) learnMany(ctx context.Context, ops []driver.Op, which []int, limit int, c *driver.Collector) ([]shape, error) {
	items := []item{{refresh, modeSkip, -1}}
	for _, i := range which {
		items = append(items, item{shapeStmt(ops[i].Stmt), modeShape, i})
	}
	items = append(items, item{cookieStmt, modeCookie, -1})
	resp, err := d.send(ctx, "/db/query", d.readParams(ctx, true), false, items, c)
	if err != nil {
		return nil, err
	}
	cookie, err := only(resp, len(items)-1, len(items))
	if err != nil {
		return nil, err
	}
	out := make([]shape, len(which))
	for k, i := range which {
		res, err := onlyOp(resp, k+1, len(items), i)
		if err != nil {
			return nil, err
		}
		out[k] = shape{names: res.columns, cookie: cookie.cookie}
		if out[k].names == nil {
			out[k].names = []string{}
		}
		out[k] = out[k].withTyped(ops[i].Stmt, limit)
		d.shapes.put(ops[i].SQL, out[k])
	}
	return out, nil
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
	out, _, err := collect(ops, items, resp, c, nil, false)
	return out, err
}

// requestBatch runs a batch that writes and needs rows of its reads. The
// dry run (for two ops or more) checks that every statement compiles and
// learns the SELECTs' columns; it ends with a statement that fails, so
// rqlite rolls it back whatever happened, and it may be retried like a
// read. The real run ends with "SELECT 1", which shows whether rqlite went
// on after a failed statement.
func (d *Driver) requestBatch(ctx context.Context, ops []driver.Op, c *driver.Collector) ([]database.OpResult, error) {
	known := make([]shape, len(ops))
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
				known[it.op].names = res.columns
			}
		}
	}
	var items []item
	for i, op := range ops {
		switch {
		case op.Query && op.ReadOnly && op.Select && len(known[i].names) <= maxTyped:
			items = append(items, item{typedStmt(op.Stmt, len(known[i].names), c.Limits().MaxRows+1), modeTyped, i})
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
	out, _, err := collect(ops, items, resp, c, known, false)
	return out, err
}

// The dry run's last statement compiles but fails when run (integer
// overflow, core SQLite), so rqlite rolls the dry run back; trailer marks
// the end of a real run.
var (
	sentinel = driver.Stmt{SQL: "SELECT abs(-9223372036854775807 - 1)", ReadOnly: true}
	trailer  = driver.Stmt{SQL: "SELECT 1", ReadOnly: true}
)

// staleOp is a typed read of a read batch whose result is not used: it
// failed (err) or the schema changed since its shape was learnt.
type staleOp struct {
	op  int
	err error
}

// collect turns the results of items into one OpResult per op. known
// holds the shapes of typed ops learnt before; with check (a read batch),
// a typed result that failed or whose cookie differs from its shape's is
// returned as stale instead of used.
func collect(ops []driver.Op, items []item, resp *response, c *driver.Collector, known []shape, check bool) ([]database.OpResult, []staleOp, error) {
	out := make([]database.OpResult, len(ops))
	var stale []staleOp
	for j, it := range items {
		if j >= len(resp.results) {
			return nil, nil, sdk.Errorf(sdk.CodeInternal, "rqlite returned %d results for %d statements", len(resp.results), len(items))
		}
		res := resp.results[j]
		if it.op < 0 {
			continue
		}
		if check && it.mode == modeTyped {
			if res.err != "" {
				stale = append(stale, staleOp{it.op, driver.EngineError(it.op, res.err)})
				continue
			}
			if res.cookie != known[it.op].cookie || res.ncols != 2*len(known[it.op].names) {
				stale = append(stale, staleOp{it.op, nil})
				continue
			}
		}
		if res.err != "" {
			return nil, nil, driver.EngineError(it.op, res.err)
		}
		op := ops[it.op]
		switch it.mode {
		case modeTyped:
			names := known[it.op].names
			if names == nil {
				names = []string{}
			}
			if err := c.Columns(names); err != nil {
				return nil, nil, err
			}
			out[it.op].Rows = &database.Rows{Columns: names, Rows: nonNil(res.rows)}
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
