package rqlite

import (
	"context"

	"github.com/orama-network/orama/plugins/database/driver"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

// typedQuery reads a SELECT exactly (see typed.go). With its shape known
// it sends the typed statement alone; it learns the shape again when the
// typed read fails or its cookie shows that the schema changed since.
func (d *Driver) typedQuery(ctx context.Context, stmt driver.Stmt, c *driver.Collector) (*database.Rows, error) {
	sh, known := d.shapes.get(stmt.SQL)
	limit := c.Limits().MaxRows + 1
	for range 3 {
		if !known {
			fresh, typed, err := d.learn(ctx, stmt, limit, true, c)
			if err != nil {
				return nil, err
			}
			if typed != nil {
				return typedRows(fresh.names, typed, c)
			}
			sh, known = fresh, true
		}
		if len(sh.names) > maxTyped {
			return d.plainQuery(ctx, stmt, c)
		}
		saved := *c
		resp, err := d.lanes.read.one(ctx, sh.typedFor(stmt, limit), c)
		if err != nil {
			return nil, err
		}
		res, err := only(resp, 0, 1)
		if err == nil && res.cookie == sh.cookie && res.ncols == 2*len(sh.names) {
			return typedRows(sh.names, res, c)
		}
		*c = saved
		if err == nil {
			known = false // the schema changed: learn the names again
			continue
		}
		// A failed typed read may be a change of the column count (or a
		// genuine error of the statement): only a changed shape is retried.
		fresh, _, lerr := d.learn(ctx, stmt, limit, false, c)
		if lerr != nil {
			return nil, lerr
		}
		if fresh.same(sh) {
			return nil, err
		}
		if len(fresh.names) > maxTyped {
			return d.plainQuery(ctx, stmt, c)
		}
		sh = fresh
	}
	return nil, sdk.Errorf(sdk.CodeUnavailable, "rqlite: the columns of the statement kept changing while it was read")
}

// learn reads the shape of stmt and the schema cookie in one read
// transaction, after refresh, and remembers them with the typed form for
// limit. With read and a column count guessed from the text, the same
// transaction also reads stmt typed; those rows are returned when the
// guess was right.
func (d *Driver) learn(ctx context.Context, stmt driver.Stmt, limit int, read bool, c *driver.Collector) (shape, *result, error) {
	items := []item{{refresh, modeSkip, -1}, {shapeStmt(stmt), modeShape, -1}, {cookieStmt, modeCookie, -1}}
	guess, ok := 0, false
	if read {
		guess, ok = staticColumns(stmt.SQL)
		if ok && guess <= maxTyped {
			items = append(items, item{typedStmt(stmt, guess, limit), modeTyped, -1})
		}
	}
	saved := *c
	resp, err := d.send(ctx, "/db/query", d.readParams(ctx, true), false, items, c)
	if err != nil {
		return shape{}, nil, err
	}
	res, err := only(resp, 1, len(items))
	if err != nil {
		return shape{}, nil, err
	}
	sh := shape{names: res.columns}
	if res, err = only(resp, 2, len(items)); err != nil {
		return shape{}, nil, err
	}
	sh.cookie = res.cookie
	if sh.names == nil {
		sh.names = []string{}
	}
	sh = sh.withTyped(stmt, limit)
	d.shapes.put(stmt.SQL, sh)
	if len(items) == 4 {
		if typed, err := only(resp, 3, 4); err == nil && typed.cookie == sh.cookie && typed.ncols == 2*len(sh.names) {
			return sh, typed, nil
		}
	}
	*c = saved
	return sh, nil, nil
}

// typedRows returns the rows of a typed result under names.
func typedRows(names []string, res *result, c *driver.Collector) (*database.Rows, error) {
	if err := c.Columns(names); err != nil {
		return nil, err
	}
	return &database.Rows{Columns: names, Rows: nonNil(res.rows)}, nil
}
