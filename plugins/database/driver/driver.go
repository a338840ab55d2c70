package driver

import (
	"context"
	"strings"

	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin"
)

// Stmt is one physical statement: the namespace's names are already
// rewritten to the engine's.
type Stmt struct {
	SQL string
	// Args are nil, int64, float64, string or []byte (bools are already
	// the integers 1 and 0).
	Args []any
	// ReadOnly is true when the statement cannot change the database.
	ReadOnly bool
	// Select is true for a SELECT (or VALUES/WITH … SELECT) that may be
	// wrapped as a subquery, e.g. "SELECT * FROM (<SQL>)".
	Select bool
	// Tenant is who the statement runs for (the namespace). A driver that
	// merges the statements of several callers into one request to the
	// engine (Merger) bounds each tenant's share of a request by it.
	Tenant string
}

// Op is one statement of a batch.
type Op struct {
	Stmt
	Query bool // return rows (database.OpQuery) rather than an ExecResult
}

// MasterRow is one row of sqlite_master.
type MasterRow struct {
	Type, Name, TblName, SQL string
}

// Driver runs physical SQL on one engine. Every method returns *StmtError
// for what the engine said about a statement, *sdk.Error for everything
// it could classify itself (too_large from the Collector, unavailable when
// the engine cannot be reached), or the context's error.
type Driver interface {
	// Query runs stmt and returns its rows; c bounds what is read.
	Query(ctx context.Context, stmt Stmt, c *Collector) (*database.Rows, error)
	// Exec runs stmt and returns its counters.
	Exec(ctx context.Context, stmt Stmt) (database.ExecResult, error)
	// Batch runs ops in order in one transaction, all or nothing, and
	// returns one result per op. c bounds the rows of all query ops.
	Batch(ctx context.Context, ops []Op, c *Collector) ([]database.OpResult, error)
	// Master lists the sqlite_master rows whose name starts with prefix.
	Master(ctx context.Context, prefix string, c *Collector) ([]MasterRow, error)
	// Health returns a human-readable state, or why the engine does not
	// serve.
	Health(ctx context.Context) (string, error)
	// Close releases the engine; calls in flight fail.
	Close() error
}

// Merger is implemented by a driver that sends some single statements
// merged with other callers' into one request to the engine (rqlite's
// group commit). Such a statement costs the engine a share of a request
// whose number the driver bounds itself, so the caller may let more of
// them wait at once than statements that run alone.
type Merger interface {
	// Merges reports whether Query (query true) or Exec of stmt would be
	// merged with other calls when they are waiting.
	Merges(stmt Stmt, query bool) bool
}

// Peerer is implemented by the driver of a clustered engine: the engine's
// nodes as the driver knows them, for the plugin's Health (and so the
// host's /v1/network routes).
type Peerer interface {
	Peers() []plugin.Peer
}

// MasterSQL lists sqlite_master rows whose name starts with a prefix,
// without regard to ASCII case as SQLite compares names: bind
// LikePrefix(prefix).
const MasterSQL = `SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name LIKE ? ESCAPE '\' ORDER BY name`

// LikePrefix returns the LIKE pattern of names starting with prefix.
func LikePrefix(prefix string) string {
	r := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)
	return r.Replace(prefix) + "%"
}
