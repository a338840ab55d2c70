// Package store keeps the auth plugin's state in the database domain's
// system namespace (database.SystemNamespace), through any
// database.Database — in the plugin, the host API's proxy to the database
// plugin, so with rqlite every gateway node shares it. Tables are
// prefixed auth_ and created with CREATE … IF NOT EXISTS by Migrate.
//
// Secrets never reach the database in clear: API keys and refresh tokens
// as SHA-256 hashes, signing keys sealed (see sdk/seal). Times are
// Unix milliseconds; every method takes the current time from its caller,
// so the plugin's clock is the only one that counts.
package store

import (
	"context"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

// Store is the auth state over a database.Database.
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

// tx runs ops as one transaction.
func (s *Store) tx(ctx context.Context, ops ...database.Op) error {
	_, err := s.db.Transaction(ctx, ns, ops, false)
	return err
}

// stmt is an exec op of a transaction.
func stmt(sql string, args ...any) database.Op {
	return database.Op{Kind: database.OpExec, Statement: database.Statement{SQL: sql, Args: args}}
}

func (s *Store) query(ctx context.Context, sql string, args ...any) (*database.Rows, error) {
	return s.db.Query(ctx, ns, database.Statement{SQL: sql, Args: args})
}

// ms returns t as Unix milliseconds.
func ms(t time.Time) int64 { return t.UnixMilli() }

// unauthorized is the error of every credential that does not check out.
func unauthorized(format string, args ...any) error {
	return sdk.Errorf(sdk.CodeUnauthorized, format, args...)
}
