// Package databasetest is the conformance suite of the database domain:
// Run checks that an implementation of database.Database keeps the
// contract documented in package database — typed values that round-trip
// exactly, results and their column types, Exec's counters, transactions
// all or nothing, Schema, CreateTable and DropTable, error codes, limits,
// concurrency and, above all, namespace isolation: a namespace must not
// read or change another's tables by any spelling, nor reach SQLite's own
// tables, ATTACH, PRAGMA writes or extensions.
//
// The suite runs against the embedded SQLite driver and against real
// rqlite clusters, so every subtest works in namespaces of its own (named
// after the test, a per-process random id and a counter) and cleans up
// nothing global.
package databasetest

import (
	"testing"

	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// Options tell the suite how the implementation under test was built.
type Options struct {
	// MaxRows is the row limit the implementation was constructed with:
	// a result of more rows must fail with too_large. 0 means the limit is
	// not known, and the row-limit subtest is skipped (t.Skip says so).
	MaxRows int
}

// Run runs the conformance suite with zero Options (see RunWithOptions).
func Run(t *testing.T, newDB func(t *testing.T) database.Database) {
	t.Helper()
	RunWithOptions(t, Options{}, newDB)
}

// RunWithOptions runs the conformance suite. newDB is called once per
// subtest; it may return a fresh database or a shared one (subtests use
// namespaces of their own), and it should register its own cleanup.
func RunWithOptions(t *testing.T, opts Options, newDB func(t *testing.T) database.Database) {
	t.Helper()
	tests := []plugintest.Case[database.Database]{
		{Name: "TypedRoundTrip", Test: testTypedRoundTrip},
		{Name: "ParameterTypes", Test: testParameterTypes},
		{Name: "ColumnTypes", Test: testColumnTypes},
		{Name: "ExecResult", Test: testExecResult},
		{Name: "QueryWithoutRows", Test: testQueryWithoutRows},
		{Name: "Features", Test: testFeatures},
		{Name: "TransactionAllOrNothing", Test: testTransactionAllOrNothing},
		{Name: "TransactionResults", Test: testTransactionResults},
		{Name: "Schema", Test: testSchema},
		{Name: "CreateAndDropTable", Test: testCreateAndDropTable},
		{Name: "DropTableErrors", Test: testDropTableErrors},
		{Name: "CreateTableErrors", Test: testCreateTableErrors},
		{Name: "MalformedSQL", Test: testMalformedSQL},
		{Name: "Constraints", Test: testConstraints},
		{Name: "InvalidNamespace", Test: testInvalidNamespace},
		{Name: "StatementLimits", Test: testStatementLimits},
		{Name: "NamespaceIsolation", Test: testNamespaceIsolation},
		{Name: "NamespaceCase", Test: testNamespaceCase},
		{Name: "EscapeReads", Test: testEscapeReads},
		{Name: "EscapeWrites", Test: testEscapeWrites},
		{Name: "EscapeViewsAndTriggers", Test: testEscapeViewsAndTriggers},
		{Name: "RefusedStatements", Test: testRefusedStatements},
		{Name: "ConnectionCounters", Test: testConnectionCounters},
		{Name: "MultipleStatements", Test: testMultipleStatements},
		{Name: "RowLimit", Test: func(t *testing.T, db database.Database) { testRowLimit(t, db, opts) }},
		{Name: "Concurrent", Test: testConcurrent},
		{Name: "Health", Test: testHealth},
	}
	plugintest.RunCases(t, newDB, tests...)
}
