package database_test

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin"
)

// call is one call that reached the fake.
type call struct {
	method        string
	namespace     string
	stmt          database.Statement
	ops           []database.Op
	returnResults bool
	arg           string // ddl of CreateTable, table of DropTable
}

// fakeDB echoes what it is sent and keeps tables in a map. It runs no SQL:
// it exists to show that calls and results cross the gRPC adapters intact.
//
//   - Query returns rows when set, else one row holding the arguments
//     (columns a0, a1, …).
//   - Exec returns exec.
//   - Transaction returns, with returnResults, one result per op: for an
//     exec op {RowsAffected: i, LastInsertID: 100+i}, for a query op the
//     op's arguments as one row.
//   - CreateTable stores the DDL under its third word; DropTable removes
//     it (not_found when missing); Schema lists the namespace's tables.
//   - err, when set, is returned by every method.
type fakeDB struct {
	rows   *database.Rows
	exec   database.ExecResult
	health plugin.Health
	err    error

	mu     sync.Mutex
	calls  []call
	tables map[string][]database.Table
}

var _ database.Backend = (*fakeDB)(nil)

func (f *fakeDB) record(c call) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c)
}

// seen returns the calls that reached the fake.
func (f *fakeDB) seen() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]call(nil), f.calls...)
}

func echoRows(args []database.Value) *database.Rows {
	r := &database.Rows{Columns: make([]string, len(args)), Rows: [][]database.Value{args}}
	for i := range args {
		r.Columns[i] = fmt.Sprintf("a%d", i)
	}
	return r
}

func (f *fakeDB) Query(_ context.Context, ns string, stmt database.Statement) (*database.Rows, error) {
	f.record(call{method: "Query", namespace: ns, stmt: stmt})
	if f.err != nil {
		return nil, f.err
	}
	if f.rows != nil {
		return f.rows, nil
	}
	return echoRows(stmt.Args), nil
}

func (f *fakeDB) Exec(_ context.Context, ns string, stmt database.Statement) (database.ExecResult, error) {
	f.record(call{method: "Exec", namespace: ns, stmt: stmt})
	if f.err != nil {
		return database.ExecResult{}, f.err
	}
	return f.exec, nil
}

func (f *fakeDB) Transaction(_ context.Context, ns string, ops []database.Op, returnResults bool) ([]database.OpResult, error) {
	f.record(call{method: "Transaction", namespace: ns, ops: ops, returnResults: returnResults})
	if f.err != nil {
		return nil, f.err
	}
	if !returnResults {
		return nil, nil
	}
	out := make([]database.OpResult, len(ops))
	for i, op := range ops {
		if op.Kind == database.OpQuery {
			out[i].Rows = echoRows(op.Args)
		} else {
			out[i].Exec = &database.ExecResult{RowsAffected: int64(i), LastInsertID: int64(100 + i)}
		}
	}
	return out, nil
}

func (f *fakeDB) Schema(_ context.Context, ns string) ([]database.Table, error) {
	f.record(call{method: "Schema", namespace: ns})
	if f.err != nil {
		return nil, f.err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]database.Table(nil), f.tables[ns]...), nil
}

func (f *fakeDB) CreateTable(_ context.Context, ns, ddl string) error {
	f.record(call{method: "CreateTable", namespace: ns, arg: ddl})
	if f.err != nil {
		return f.err
	}
	words := strings.Fields(ddl)
	if len(words) < 3 {
		return sdk.Errorf(sdk.CodeInvalid, "not a CREATE TABLE statement")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.tables == nil {
		f.tables = map[string][]database.Table{}
	}
	f.tables[ns] = append(f.tables[ns], database.Table{Name: words[2], Type: "table", SQL: ddl})
	return nil
}

func (f *fakeDB) DropTable(_ context.Context, ns, table string) error {
	f.record(call{method: "DropTable", namespace: ns, arg: table})
	if f.err != nil {
		return f.err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, t := range f.tables[ns] {
		if t.Name == table {
			f.tables[ns] = append(f.tables[ns][:i], f.tables[ns][i+1:]...)
			return nil
		}
	}
	return sdk.Errorf(sdk.CodeNotFound, "no such table: %s", table)
}

func (f *fakeDB) Health(context.Context) (plugin.Health, error) {
	f.record(call{method: "Health"})
	if f.err != nil {
		return plugin.Health{}, f.err
	}
	return f.health, nil
}

// The Base part, for the go-plugin wrapper.

func (f *fakeDB) Info(context.Context) (plugin.Info, error) {
	return plugin.Info{Kind: database.Kind, Name: "fake", Version: "v0.0.1"}, nil
}
func (f *fakeDB) ValidateConfig(context.Context, plugin.Config) error { return nil }
func (f *fakeDB) Configure(context.Context, plugin.Config) error      { return nil }
func (f *fakeDB) Close(context.Context) error                         { return nil }
