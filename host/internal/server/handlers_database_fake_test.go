package server

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin"
)

// fakeDB is a database.Database that runs no SQL: it records every call
// (method, namespace, statement or ops, and whether ctx had a deadline) and
// answers with canned results. Handler tests assert both what the handler
// sent and the JSON it wrote from the canned answer.
type fakeDB struct {
	mu      sync.Mutex
	calls   []dbCall
	discard bool // record nothing (benchmarks)

	rows   *database.Rows      // Query's answer, and each query op's
	exec   database.ExecResult // Exec's answer, and each exec op's
	tables []database.Table    // Schema's answer; DropTable of a name not here is not_found
	err    error               // when set, every call returns it
}

var _ database.Database = (*fakeDB)(nil)

type dbCall struct {
	method        string
	namespace     string
	stmt          database.Statement
	ops           []database.Op
	returnResults bool
	arg           string // CreateTable's DDL, DropTable's table
	deadline      time.Time
}

func newFakeDB() *fakeDB { return &fakeDB{} }

func (f *fakeDB) record(ctx context.Context, c dbCall) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.discard {
		c.deadline, _ = ctx.Deadline()
		f.calls = append(f.calls, c)
	}
	return f.err
}

func (f *fakeDB) setRows(cols []string, rows ...[]database.Value) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rows = &database.Rows{Columns: cols, Rows: rows}
}

func (f *fakeDB) setErr(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

// callsMade returns a copy of the calls so far.
func (f *fakeDB) callsMade() []dbCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]dbCall(nil), f.calls...)
}

// onlyCall returns the one call made, failing the test unless there was
// exactly one.
func (f *fakeDB) onlyCall(t testing.TB) dbCall {
	t.Helper()
	calls := f.callsMade()
	if len(calls) != 1 {
		t.Fatalf("database got %d calls, want 1: %+v", len(calls), calls)
	}
	return calls[0]
}

func (f *fakeDB) Query(ctx context.Context, ns string, stmt database.Statement) (*database.Rows, error) {
	if err := f.record(ctx, dbCall{method: "Query", namespace: ns, stmt: stmt}); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rows, nil
}

func (f *fakeDB) Exec(ctx context.Context, ns string, stmt database.Statement) (database.ExecResult, error) {
	if err := f.record(ctx, dbCall{method: "Exec", namespace: ns, stmt: stmt}); err != nil {
		return database.ExecResult{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.exec, nil
}

func (f *fakeDB) Transaction(ctx context.Context, ns string, ops []database.Op, returnResults bool) ([]database.OpResult, error) {
	if err := f.record(ctx, dbCall{method: "Transaction", namespace: ns, ops: ops, returnResults: returnResults}); err != nil {
		return nil, err
	}
	if !returnResults {
		return nil, nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]database.OpResult, len(ops))
	for i, op := range ops {
		if op.Kind == database.OpQuery {
			out[i].Rows = f.rows
		} else {
			e := f.exec
			out[i].Exec = &e
		}
	}
	return out, nil
}

func (f *fakeDB) Schema(ctx context.Context, ns string) ([]database.Table, error) {
	if err := f.record(ctx, dbCall{method: "Schema", namespace: ns}); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tables, nil
}

func (f *fakeDB) CreateTable(ctx context.Context, ns, ddl string) error {
	return f.record(ctx, dbCall{method: "CreateTable", namespace: ns, arg: ddl})
}

func (f *fakeDB) DropTable(ctx context.Context, ns, table string) error {
	if err := f.record(ctx, dbCall{method: "DropTable", namespace: ns, arg: table}); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, t := range f.tables {
		if t.Name == table && t.Type == "table" {
			return nil
		}
	}
	return sdk.Errorf(sdk.CodeNotFound, "no such table: %s", table)
}

func (f *fakeDB) Health(ctx context.Context) (plugin.Health, error) {
	return plugin.Health{OK: true, Driver: "fake"}, nil
}
