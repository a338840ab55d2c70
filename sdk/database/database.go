// Package database is the contract of the database domain: the Database
// interface, its gRPC adapters (Plugin, Client, Register) and, in
// databasetest, the conformance suite every implementation must pass.
// BuildSelect (query_build.go, with the name grammar of query_grammar.go
// and the raw-expression checks of query_raw.go) turns the Select of the
// gateway's find, find-one and select routes into one parameterized
// statement.
//
// Every call names a namespace. An implementation confines each namespace
// to its own tables: a statement of namespace a can neither read nor change
// a table of namespace b, nor the system's, nor SQLite's own (sqlite_*), and
// Schema lists only the namespace's tables.
//
// Values are typed so nothing is lost on the way: a parameter or a result
// cell is one of nil, int64, float64, string, []byte or bool (see Value).
package database

import (
	"context"

	"github.com/orama-network/orama/sdk/plugin"
)

// Kind is the plugin kind of the database domain.
const Kind = "database"

// SystemNamespace holds the gateway's own tables (auth, functions, …).
// Clients never act in it: the host refuses it for requests.
const SystemNamespace = "_system"

// Limits every implementation enforces.
const (
	MaxSQLLen  = 1 << 20 // bytes of one statement (invalid beyond)
	MaxArgs    = 999     // parameters of one statement (invalid beyond)
	MaxOps     = 1000    // statements of one transaction (invalid beyond)
	MaxNameLen = 128     // namespace and table name length
)

// Value is a parameter or a result cell: nil, int64, float64, string,
// []byte or bool. Implementations return int64 for INTEGER and float64 for
// REAL columns, string for TEXT and []byte for BLOB.
//
// bool is a parameter only: SQLite stores true and false as the INTEGERs
// 1 and 0, which come back as int64. Parameters of other Go types are
// converted by NormalizeValue; a nil []byte is an empty BLOB, not NULL.
type Value = any

// Statement is one SQL statement with positional (?) parameters.
type Statement struct {
	SQL  string
	Args []Value
}

// Rows is the result of a query. Columns is set even when no row matched.
type Rows struct {
	Columns []string
	Rows    [][]Value // each row has len(Columns) cells
}

// ExecResult is the result of a statement that changes data.
type ExecResult struct {
	RowsAffected int64
	LastInsertID int64
}

// OpKind says whether an Op is run as a query or an exec.
type OpKind int

// Op kinds.
const (
	OpExec OpKind = iota
	OpQuery
)

// Op is one statement of a transaction.
type Op struct {
	Kind OpKind
	Statement
}

// OpResult is the result of one Op: Exec for OpExec, Rows for OpQuery.
type OpResult struct {
	Exec *ExecResult
	Rows *Rows
}

// Table describes a table, view, index or trigger of a namespace, with
// its name as the namespace sees it.
type Table struct {
	Name string
	Type string // "table", "view", "index", "trigger"
	SQL  string // the CREATE statement as the namespace would write it
}

// Database is a namespaced SQL database with SQLite semantics.
//
// Errors (as *sdk.Error): invalid for malformed SQL (the engine's message),
// SQL the namespace checker cannot read, bad parameters, and a statement
// stopped at the configured time limit (the message names it: sending it
// again would fail again); forbidden for statements that are not allowed
// (ATTACH, writing PRAGMAs, sqlite_* and other namespaces' tables,
// load_extension, functions that read per-connection state such as
// last_insert_rowid(), changes() and total_changes(), …); not_found for
// DropTable of a missing table; conflict for constraint violations;
// too_large when a result, or a value a statement builds, exceeds the
// configured byte or row limit; rate_limited when the namespace already
// runs as many statements at once as it may; unavailable when the backend
// cannot be reached or is busy.
//
// One namespace must not be able to starve the others: implementations
// bound every statement's time, each namespace's concurrent statements and
// every result's size before it is held in memory, and Health answers on
// a path of its own that never waits behind statements.
type Database interface {
	// Query runs a statement that returns rows.
	Query(ctx context.Context, namespace string, stmt Statement) (*Rows, error)
	// Exec runs a statement that changes data or schema.
	Exec(ctx context.Context, namespace string, stmt Statement) (ExecResult, error)
	// Transaction runs ops all or nothing. With returnResults it returns
	// one OpResult per op, else nil.
	Transaction(ctx context.Context, namespace string, ops []Op, returnResults bool) ([]OpResult, error)
	// Schema lists the namespace's tables, views, indexes and triggers.
	Schema(ctx context.Context, namespace string) ([]Table, error)
	// CreateTable runs one CREATE TABLE statement.
	CreateTable(ctx context.Context, namespace, ddl string) error
	// DropTable drops a table by name (^[A-Za-z_][A-Za-z0-9_]*$).
	// Errors: not_found when it does not exist.
	DropTable(ctx context.Context, namespace, table string) error
	// Health reports the backend's state promptly, even while every
	// connection runs a namespace's statement.
	Health(ctx context.Context) (plugin.Health, error)
}

// Backend is what a database plugin implements: Base plus Database.
type Backend interface {
	plugin.Base
	Database
}
