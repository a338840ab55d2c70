package apitest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin"
)

// FakeDB is a database.Database that runs no SQL: it records every call
// (method, namespace, statement or ops, and whether ctx had a deadline) and
// answers with canned results. Handler tests assert both what the handler
// sent and the JSON it wrote from the canned answer.
type FakeDB struct {
	mu      sync.Mutex
	calls   []DBCall
	Discard bool // record nothing (benchmarks)

	QueryRows  *database.Rows      // Query's answer, and each query op's
	ExecResult database.ExecResult // Exec's answer, and each exec op's
	Tables     []database.Table    // Schema's answer; DropTable of a name not here is not_found
	err        error               // when set, every call returns it
}

var _ database.Database = (*FakeDB)(nil)

// DBCall is one recorded call of FakeDB.
type DBCall struct {
	Method        string
	Namespace     string
	Stmt          database.Statement
	Ops           []database.Op
	ReturnResults bool
	Arg           string // CreateTable's DDL, DropTable's table
	Deadline      time.Time
}

func NewFakeDB() *FakeDB { return &FakeDB{} }

func (f *FakeDB) record(ctx context.Context, c DBCall) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.Discard {
		c.Deadline, _ = ctx.Deadline()
		f.calls = append(f.calls, c)
	}
	return f.err
}

func (f *FakeDB) SetRows(cols []string, rows ...[]database.Value) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.QueryRows = &database.Rows{Columns: cols, Rows: rows}
}

func (f *FakeDB) SetErr(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

// callsMade returns a copy of the calls so far.
func (f *FakeDB) CallsMade() []DBCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]DBCall(nil), f.calls...)
}

// onlyCall returns the one call made, failing the test unless there was
// exactly one.
func (f *FakeDB) OnlyCall(t testing.TB) DBCall {
	t.Helper()
	calls := f.CallsMade()
	if len(calls) != 1 {
		t.Fatalf("database got %d calls, want 1: %+v", len(calls), calls)
	}
	return calls[0]
}

func (f *FakeDB) Query(ctx context.Context, ns string, stmt database.Statement) (*database.Rows, error) {
	if err := f.record(ctx, DBCall{Method: "Query", Namespace: ns, Stmt: stmt}); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.QueryRows, nil
}

func (f *FakeDB) Exec(ctx context.Context, ns string, stmt database.Statement) (database.ExecResult, error) {
	if err := f.record(ctx, DBCall{Method: "Exec", Namespace: ns, Stmt: stmt}); err != nil {
		return database.ExecResult{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.ExecResult, nil
}

func (f *FakeDB) Transaction(ctx context.Context, ns string, ops []database.Op, returnResults bool) ([]database.OpResult, error) {
	if err := f.record(ctx, DBCall{Method: "Transaction", Namespace: ns, Ops: ops, ReturnResults: returnResults}); err != nil {
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
			out[i].Rows = f.QueryRows
		} else {
			e := f.ExecResult
			out[i].Exec = &e
		}
	}
	return out, nil
}

func (f *FakeDB) Schema(ctx context.Context, ns string) ([]database.Table, error) {
	if err := f.record(ctx, DBCall{Method: "Schema", Namespace: ns}); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Tables, nil
}

func (f *FakeDB) CreateTable(ctx context.Context, ns, ddl string) error {
	return f.record(ctx, DBCall{Method: "CreateTable", Namespace: ns, Arg: ddl})
}

func (f *FakeDB) DropTable(ctx context.Context, ns, table string) error {
	if err := f.record(ctx, DBCall{Method: "DropTable", Namespace: ns, Arg: table}); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, t := range f.Tables {
		if t.Name == table && t.Type == "table" {
			return nil
		}
	}
	return sdk.Errorf(sdk.CodeNotFound, "no such table: %s", table)
}

func (f *FakeDB) Health(ctx context.Context) (plugin.Health, error) {
	return plugin.Health{OK: true, Driver: "fake"}, nil
}
