package database_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"

	goplugin "github.com/hashicorp/go-plugin"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/database/databasetest"
	databasev1 "github.com/orama-network/orama/sdk/gen/orama/database/v1"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"google.golang.org/grpc"
)

// dial serves impl over an in-memory gRPC connection and returns a client
// whose lifetime is life, and the raw connection.
func dial(t *testing.T, life context.Context, impl database.Database) (*database.Client, *grpc.ClientConn) {
	t.Helper()
	conn := plugintest.Dial(t, func(s *grpc.Server) { database.Register(s, impl) })
	return database.NewClient(life, conn), conn
}

// sameValue and sdkError are shared helpers under the names the package's
// other tests use.
var (
	sameValue = databasetest.SameValue
	sdkError  = plugintest.SDKError
)

// allValues holds every canonical Value type, with the edges of each.
func allValues() []database.Value {
	blob := make([]byte, 256)
	for i := range blob {
		blob[i] = byte(i)
	}
	return []database.Value{
		nil,
		int64(1<<53 + 1), int64(math.MaxInt64), int64(math.MinInt64), int64(0), int64(-1),
		0.1, math.Copysign(0, -1), math.SmallestNonzeroFloat64, math.MaxFloat64, -2.5,
		"", "plain", "unicode ✓ 日本語 🎉 \u202e rtl", "quotes ' \" ` \\ ; -- /* */", "nul \x00 inside", "not utf-8 \xff\xfe",
		blob, []byte{},
		true, false,
	}
}

func wantSameValues(t *testing.T, what string, got, want []database.Value) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range want {
		if !sameValue(got[i], want[i]) {
			t.Errorf("%s[%d] = %#v (%T), want %#v (%T)", what, i, got[i], got[i], want[i], want[i])
		}
	}
}

func TestQueryValuesCrossIntact(t *testing.T) {
	f := &fakeDB{}
	c, _ := dial(t, t.Context(), f)
	want := allValues()
	rows, err := c.Query(t.Context(), "ns-1", database.Statement{SQL: "SELECT ?", Args: want})
	if err != nil {
		t.Fatal(err)
	}
	calls := f.seen()
	if len(calls) != 1 || calls[0].method != "Query" || calls[0].namespace != "ns-1" || calls[0].stmt.SQL != "SELECT ?" {
		t.Fatalf("the fake saw %+v", calls)
	}
	wantSameValues(t, "args on the plugin side", calls[0].stmt.Args, want)
	if len(rows.Rows) != 1 || len(rows.Columns) != len(want) || rows.Columns[3] != "a3" {
		t.Fatalf("rows: %d columns %v, %d rows", len(rows.Columns), rows.Columns, len(rows.Rows))
	}
	wantSameValues(t, "cells on the host side", rows.Rows[0], want)
}

func TestArgsAreNormalizedBeforeSending(t *testing.T) {
	type userID int32
	f := &fakeDB{}
	c, _ := dial(t, t.Context(), f)
	args := []database.Value{int(7), int8(-8), uint16(16), uint64(math.MaxInt64), float32(0.5),
		json.Number("9007199254740993"), json.Number("1.25"), json.Number("1e3"), userID(42), []byte(nil)}
	want := []database.Value{int64(7), int64(-8), int64(16), int64(math.MaxInt64), 0.5,
		int64(9007199254740993), 1.25, int64(1000), int64(42), []byte{}}
	if _, err := c.Exec(t.Context(), "ns", database.Statement{SQL: "INSERT", Args: args}); err != nil {
		t.Fatal(err)
	}
	wantSameValues(t, "args on the plugin side", f.seen()[0].stmt.Args, want)
}

func TestBadArgsAreRefusedBeforeSending(t *testing.T) {
	f := &fakeDB{}
	c, _ := dial(t, t.Context(), f)
	ctx := t.Context()
	bad := map[string]database.Value{
		"map":            map[string]any{"a": 1},
		"slice":          []int{1},
		"struct":         struct{}{},
		"pointer":        new(int64),
		"time":           time.Unix(0, 0),
		"uint64 too big": uint64(math.MaxInt64) + 1,
		"NaN":            math.NaN(),
		"json text":      json.Number("12abc"),
	}
	for name, v := range bad {
		args := []database.Value{int64(1), v}
		_, qerr := c.Query(ctx, "ns", database.Statement{SQL: "SELECT ?, ?", Args: args})
		_, eerr := c.Exec(ctx, "ns", database.Statement{SQL: "SELECT ?, ?", Args: args})
		_, terr := c.Transaction(ctx, "ns", []database.Op{{Kind: database.OpExec, Statement: database.Statement{SQL: "X", Args: args}}}, false)
		for method, err := range map[string]error{"Query": qerr, "Exec": eerr, "Transaction": terr} {
			if e := sdkError(t, err); e.Code != sdk.CodeInvalid {
				t.Errorf("%s with a %s argument: %v, want invalid", method, name, err)
			}
		}
	}
	_, err := c.Transaction(ctx, "ns", []database.Op{{Kind: database.OpKind(7), Statement: database.Statement{SQL: "X"}}}, false)
	if e := sdkError(t, err); e.Code != sdk.CodeInvalid {
		t.Errorf("Transaction with an unknown op kind: %v, want invalid", err)
	}
	if calls := f.seen(); len(calls) != 0 {
		t.Errorf("refused calls reached the plugin: %+v", calls)
	}
}

func TestQueryWithoutRowsKeepsColumns(t *testing.T) {
	f := &fakeDB{rows: &database.Rows{Columns: []string{"id", "name"}}}
	c, _ := dial(t, t.Context(), f)
	rows, err := c.Query(t.Context(), "ns", database.Statement{SQL: "SELECT id, name FROM t WHERE 0"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rows.Columns, []string{"id", "name"}) || rows.Rows == nil || len(rows.Rows) != 0 {
		t.Errorf("got %#v, want the columns and a non-nil empty Rows", rows)
	}

	// An implementation answering nil rows gives empty, non-nil slices.
	f.rows = &database.Rows{}
	rows, err = c.Query(t.Context(), "ns", database.Statement{SQL: "SELECT"})
	if err != nil || rows.Columns == nil || rows.Rows == nil {
		t.Errorf("got %#v, %v; want non-nil Columns and Rows", rows, err)
	}
}

func TestBadResultCellIsInternal(t *testing.T) {
	f := &fakeDB{rows: &database.Rows{Columns: []string{"t"}, Rows: [][]database.Value{{time.Unix(0, 0)}}}}
	c, _ := dial(t, t.Context(), f)
	_, err := c.Query(t.Context(), "ns", database.Statement{SQL: "SELECT now"})
	if e := sdkError(t, err); e.Code != sdk.CodeInternal {
		t.Errorf("a time.Time cell from the implementation: %v, want internal", err)
	}
}

func TestExecCrossesIntact(t *testing.T) {
	want := database.ExecResult{RowsAffected: 1 << 40, LastInsertID: math.MinInt64}
	f := &fakeDB{exec: want}
	c, _ := dial(t, t.Context(), f)
	got, err := c.Exec(t.Context(), "ns-2", database.Statement{SQL: "UPDATE t SET v = ?", Args: allValues()})
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("Exec = %+v, want %+v", got, want)
	}
	calls := f.seen()
	if calls[0].method != "Exec" || calls[0].namespace != "ns-2" || calls[0].stmt.SQL != "UPDATE t SET v = ?" {
		t.Errorf("the fake saw %+v", calls[0])
	}
	wantSameValues(t, "args", calls[0].stmt.Args, allValues())

	// No arguments stay no arguments.
	if _, err := c.Exec(t.Context(), "ns-2", database.Statement{SQL: "DELETE FROM t"}); err != nil {
		t.Fatal(err)
	}
	if args := f.seen()[1].stmt.Args; len(args) != 0 {
		t.Errorf("args = %#v, want none", args)
	}
}

func TestTransactionCrossesIntact(t *testing.T) {
	f := &fakeDB{}
	c, _ := dial(t, t.Context(), f)
	ops := []database.Op{
		{Kind: database.OpExec, Statement: database.Statement{SQL: "INSERT INTO t VALUES (?)", Args: []database.Value{int64(1)}}},
		{Kind: database.OpQuery, Statement: database.Statement{SQL: "SELECT ?", Args: allValues()}},
		{Kind: database.OpExec, Statement: database.Statement{SQL: "DELETE FROM t"}},
		{Kind: database.OpQuery, Statement: database.Statement{SQL: "SELECT 1"}},
	}
	results, err := c.Transaction(t.Context(), "ns-3", ops, true)
	if err != nil {
		t.Fatal(err)
	}
	calls := f.seen()
	if len(calls) != 1 || calls[0].namespace != "ns-3" || !calls[0].returnResults || len(calls[0].ops) != len(ops) {
		t.Fatalf("the fake saw %+v", calls)
	}
	for i, op := range calls[0].ops {
		if op.Kind != ops[i].Kind || op.SQL != ops[i].SQL {
			t.Errorf("op %d on the plugin side: %v %q, want %v %q", i, op.Kind, op.SQL, ops[i].Kind, ops[i].SQL)
		}
		wantSameValues(t, fmt.Sprintf("op %d args", i), op.Args, ops[i].Args)
	}

	if len(results) != len(ops) {
		t.Fatalf("%d results, want %d", len(results), len(ops))
	}
	for i, r := range results {
		switch ops[i].Kind {
		case database.OpExec:
			want := database.ExecResult{RowsAffected: int64(i), LastInsertID: int64(100 + i)}
			if r.Rows != nil || r.Exec == nil || *r.Exec != want {
				t.Errorf("result %d = %+v, want Exec %+v only", i, r, want)
			}
		case database.OpQuery:
			if r.Exec != nil || r.Rows == nil || len(r.Rows.Rows) != 1 {
				t.Errorf("result %d = %+v, want one row only", i, r)
				continue
			}
			wantSameValues(t, fmt.Sprintf("result %d", i), r.Rows.Rows[0], ops[i].Args)
		}
	}
	if r := results[3].Rows; r.Columns == nil {
		t.Error("a query result without columns has nil Columns")
	}

	results, err = c.Transaction(t.Context(), "ns-3", ops, false)
	if err != nil || results != nil {
		t.Errorf("without return_results: %#v, %v; want nil, nil", results, err)
	}
	if calls := f.seen(); calls[1].returnResults {
		t.Error("return_results false arrived as true")
	}
}

func TestSchemaCreateDropCrossIntact(t *testing.T) {
	f := &fakeDB{}
	c, _ := dial(t, t.Context(), f)
	ctx := t.Context()
	tables, err := c.Schema(ctx, "ns")
	if err != nil || len(tables) != 0 {
		t.Fatalf("Schema of an empty namespace = %+v, %v", tables, err)
	}
	ddls := []string{"CREATE TABLE items (id INTEGER PRIMARY KEY, note TEXT)", "CREATE TABLE ünïcode (x)"}
	for _, ddl := range ddls {
		if err := c.CreateTable(ctx, "ns", ddl); err != nil {
			t.Fatalf("CreateTable(%q): %v", ddl, err)
		}
	}
	tables, err = c.Schema(ctx, "ns")
	want := []database.Table{{Name: "items", Type: "table", SQL: ddls[0]}, {Name: "ünïcode", Type: "table", SQL: ddls[1]}}
	if err != nil || !reflect.DeepEqual(tables, want) {
		t.Errorf("Schema = %+v, %v; want %+v", tables, err, want)
	}
	if tables, _ := c.Schema(ctx, "other"); len(tables) != 0 {
		t.Errorf("Schema of another namespace = %+v", tables)
	}
	if err := c.DropTable(ctx, "ns", "items"); err != nil {
		t.Fatalf("DropTable: %v", err)
	}
	err = c.DropTable(ctx, "ns", "items")
	if e := sdkError(t, err); e.Code != sdk.CodeNotFound || e.Message != "no such table: items" {
		t.Errorf("DropTable of a missing table: %+v, want not_found with the fake's message", e)
	}
	var got []string
	for _, cl := range f.seen() {
		got = append(got, cl.method+" "+cl.namespace+" "+cl.arg)
	}
	wantCalls := []string{"Schema ns ", "CreateTable ns " + ddls[0], "CreateTable ns " + ddls[1], "Schema ns ",
		"Schema other ", "DropTable ns items", "DropTable ns items"}
	if !reflect.DeepEqual(got, wantCalls) {
		t.Errorf("calls:\n got %q\nwant %q", got, wantCalls)
	}
}

func TestHealthCrossesIntact(t *testing.T) {
	for _, want := range []plugin.Health{{OK: true, Driver: "sqlite"}, {OK: false, Driver: "rqlite", Detail: "no leader"}} {
		c, _ := dial(t, t.Context(), &fakeDB{health: want})
		got, err := c.Health(t.Context())
		if err != nil || got.OK != want.OK || got.Driver != want.Driver || got.Detail != want.Detail {
			t.Errorf("Health = %+v, %v; want %+v", got, err, want)
		}
	}
}

// allErrors calls every method of c (SELECT 1 in namespace ns where it
// takes a statement) and returns their errors by method name.
func allErrors(ctx context.Context, c *database.Client) map[string]error {
	stmt := database.Statement{SQL: "SELECT 1"}
	_, qerr := c.Query(ctx, "ns", stmt)
	_, eerr := c.Exec(ctx, "ns", stmt)
	_, terr := c.Transaction(ctx, "ns", []database.Op{{Kind: database.OpQuery, Statement: stmt}}, true)
	_, serr := c.Schema(ctx, "ns")
	_, herr := c.Health(ctx)
	return map[string]error{
		"Query": qerr, "Exec": eerr, "Transaction": terr, "Schema": serr, "Health": herr,
		"CreateTable": c.CreateTable(ctx, "ns", "CREATE TABLE t (x)"),
		"DropTable":   c.DropTable(ctx, "ns", "t"),
	}
}

func TestErrorCodesSurvive(t *testing.T) {
	codes := plugintest.Codes()
	stmt := database.Statement{SQL: "SELECT 1"}
	for _, code := range codes {
		want := &sdk.Error{Code: code, Message: `near "SELEC": syntax error (` + string(code) + ")"}
		c, _ := dial(t, t.Context(), &fakeDB{err: want})
		for method, err := range allErrors(t.Context(), c) {
			var got *sdk.Error
			if !errors.As(err, &got) || *got != *want {
				t.Errorf("%s with %s: got %#v, want %#v", method, code, err, want)
			}
		}
	}

	// A plain error is internal on the other side, its text kept for logs.
	c, _ := dial(t, t.Context(), &fakeDB{err: errors.New("disk on fire")})
	_, err := c.Query(t.Context(), "ns", stmt)
	if e := sdkError(t, err); e.Code != sdk.CodeInternal || e.Message != "disk on fire" {
		t.Errorf("plain error: got %+v", e)
	}
}

// The server refuses what a client of another version (or a hand-written
// one) may send: values and ops of no known kind.
func TestServerRefusesUnknownKinds(t *testing.T) {
	f := &fakeDB{}
	_, conn := dial(t, t.Context(), f)
	raw := databasev1.NewDatabaseClient(conn)
	ctx := t.Context()
	_, qerr := raw.Query(ctx, &databasev1.QueryRequest{Namespace: "ns", Statement: &databasev1.Statement{
		Sql: "SELECT ?", Args: []*databasev1.Value{{}}}})
	_, terr := raw.Transaction(ctx, &databasev1.TransactionRequest{Namespace: "ns", Ops: []*databasev1.Op{
		{Kind: databasev1.OpKind_OP_KIND_UNSPECIFIED, Statement: &databasev1.Statement{Sql: "SELECT 1"}}}})
	for method, err := range map[string]error{"Query with an empty Value": qerr, "Transaction with an unspecified op": terr} {
		if e := sdkError(t, sdk.FromGRPC(err)); e.Code != sdk.CodeInvalid {
			t.Errorf("%s: %v, want invalid", method, err)
		}
	}
	if calls := f.seen(); len(calls) != 0 {
		t.Errorf("refused requests reached the implementation: %+v", calls)
	}
}

func TestClientFailsFastAfterLifetime(t *testing.T) {
	life, cancel := context.WithCancel(t.Context())
	f := &fakeDB{health: plugin.Health{OK: true, Driver: "fake"}}
	c, _ := dial(t, life, f)
	ctx := t.Context()
	if _, err := c.Health(ctx); err != nil {
		t.Fatalf("Health while alive: %v", err)
	}
	cancel()
	for method, err := range allErrors(ctx, c) {
		if e := sdkError(t, err); e.Code != sdk.CodeUnavailable {
			t.Errorf("%s after the lifetime ended: %v, want unavailable", method, err)
		}
	}
	if calls := f.seen(); len(calls) != 1 {
		t.Errorf("%d calls reached the plugin, want 1 (none after the end): %+v", len(calls), calls)
	}
}

// The go-plugin wrapper serves Base and Database and hands the host a
// *Client.
func TestPluginThroughGoPlugin(t *testing.T) {
	f := &fakeDB{}
	client, _ := goplugin.TestPluginGRPCConn(t, false, map[string]goplugin.Plugin{database.Kind: &database.Plugin{Impl: f}})
	t.Cleanup(func() { _ = client.Close() })
	raw, err := client.Dispense(database.Kind)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := raw.(*database.Client)
	if !ok {
		t.Fatalf("Dispense returned %T, want *database.Client", raw)
	}
	info, err := c.Info(t.Context())
	if err != nil || info.Kind != database.Kind || info.Name != "fake" {
		t.Errorf("Info = %+v, %v", info, err)
	}
	rows, err := c.Query(t.Context(), "ns", database.Statement{SQL: "SELECT ?", Args: []database.Value{int64(1<<53 + 1)}})
	if err != nil || len(rows.Rows) != 1 || !sameValue(rows.Rows[0][0], int64(1<<53+1)) {
		t.Errorf("Query through go-plugin = %+v, %v", rows, err)
	}
}
