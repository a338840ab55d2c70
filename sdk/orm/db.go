package orm

import (
	"context"

	"github.com/orama-network/orama/sdk/client"
)

// Conn is what the orm needs from a database connection. *client.Database
// satisfies it; tests may pass a fake. Its errors (*sdk.Error: invalid,
// not_found, conflict, unavailable, …) are returned by the orm unchanged.
type Conn interface {
	Query(ctx context.Context, sql string, args ...any) (*client.QueryResult, error)
	Exec(ctx context.Context, sql string, args ...any) (client.ExecResult, error)
	Transaction(ctx context.Context, ops []client.TxOp, returnResults bool) ([]client.TxResult, error)
}

var _ Conn = (*client.Database)(nil)

// DB is the entry point of the orm: builders, transactions and
// repositories start from it. It is safe for concurrent use.
type DB struct{ conn Conn }

// New returns a DB over conn, usually client.New(url).Database().
func New(conn Conn) *DB { return &DB{conn: conn} }

// Conn returns the connection the DB was made with, for raw SQL.
func (db *DB) Conn() Conn { return db.conn }

// Table starts a SELECT from table.
func (db *DB) Table(table string) *Builder {
	b := &Builder{db: db, table: table, limit: -1}
	if !isIdent(table) {
		b.fail("table name %q is not an identifier", table)
	}
	return b
}

// From is Table.
func (db *DB) From(table string) *Builder { return db.Table(table) }

// Tx starts an empty batch; see Tx.
func (db *DB) Tx() *Tx { return &Tx{db: db} }
