// Package store keeps the serverless plugin's metadata in the database
// domain's system namespace (database.SystemNamespace), through any
// database.Database — in the plugin, the host API's proxy to the database
// plugin, so with rqlite every gateway node shares it. Tables are prefixed
// fn_ and made by versioned migrations (schema.go).
//
// Tables: fn_functions holds one row per deployed version (the WASM bytes
// themselves live in storage, named by wasm_cid; the row keeps their
// SHA-256 so a node can check what it fetched); fn_versions holds the
// last version number given out per (namespace, name), never lowered, so
// a version number is never reused even after deletes; fn_logs holds each
// function's latest log entries (bounded, oldest pruned); fn_secrets holds
// the namespaces' secrets sealed (see sdk/seal) — the store never sees a
// secret in clear. Times are Unix milliseconds.
package store

import (
	"context"
	"time"

	"github.com/orama-network/orama/sdk/database"
)

// Store is the serverless metadata over a database.Database.
type Store struct {
	db database.Database
}

// New returns a Store on db.
func New(db database.Database) *Store { return &Store{db: db} }

// ns is where every table lives.
const ns = database.SystemNamespace

func (s *Store) exec(ctx context.Context, sql string, args ...any) (database.ExecResult, error) {
	return s.db.Exec(ctx, ns, database.Statement{SQL: sql, Args: args})
}

func (s *Store) query(ctx context.Context, sql string, args ...any) (*database.Rows, error) {
	return s.db.Query(ctx, ns, database.Statement{SQL: sql, Args: args})
}

// stmt is an exec op of a transaction.
func stmt(sql string, args ...any) database.Op {
	return database.Op{Kind: database.OpExec, Statement: database.Statement{SQL: sql, Args: args}}
}

// ms returns t as Unix milliseconds.
func ms(t time.Time) int64 { return t.UnixMilli() }
