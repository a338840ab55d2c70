package migrate

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

const createTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	applied_at INTEGER NOT NULL
)`

// Run applies the migrations of ms that db's system namespace lacks, in
// version order. It is safe to run on many nodes at once. It returns the
// versions this call applied.
func Run(ctx context.Context, db database.Database, ms []Migration, log hclog.Logger) ([]int64, error) {
	ns := database.SystemNamespace
	if _, err := db.Exec(ctx, ns, database.Statement{SQL: createTable}); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	ms, err := sorted(ms)
	if err != nil {
		return nil, err
	}
	var applied []int64
	for _, m := range ms {
		done, err := isApplied(ctx, db, m.Version)
		if err != nil {
			return applied, err
		}
		if done {
			continue
		}
		ops := []database.Op{{Kind: database.OpExec, Statement: database.Statement{
			SQL:  "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
			Args: []database.Value{m.Version, m.Name, time.Now().UnixMilli()},
		}}}
		for _, q := range m.SQL {
			ops = append(ops, database.Op{Kind: database.OpExec, Statement: database.Statement{SQL: q}})
		}
		_, err = db.Transaction(ctx, ns, ops, false)
		if err != nil {
			// Lost the race to another node? Then the version is there now.
			if done, qerr := isApplied(ctx, db, m.Version); qerr == nil && done && isConflict(err) {
				log.Info("migration applied by another node", "version", m.Version, "name", m.Name)
				continue
			}
			return applied, fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, err)
		}
		log.Info("migration applied", "version", m.Version, "name", m.Name)
		applied = append(applied, m.Version)
	}
	return applied, nil
}

func isApplied(ctx context.Context, db database.Database, version int64) (bool, error) {
	rows, err := db.Query(ctx, database.SystemNamespace, database.Statement{
		SQL:  "SELECT version FROM schema_migrations WHERE version = ?",
		Args: []database.Value{version},
	})
	if err != nil {
		return false, fmt.Errorf("read schema_migrations: %w", err)
	}
	return len(rows.Rows) > 0, nil
}

func isConflict(err error) bool {
	var e *sdk.Error
	return errors.As(err, &e) && (e.Code == sdk.CodeConflict || e.Code == sdk.CodeInvalid)
}

// sorted returns ms in version order; versions must be positive and unique.
func sorted(ms []Migration) ([]Migration, error) {
	out := append([]Migration(nil), ms...)
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i, m := range out {
		if m.Version <= 0 || (i > 0 && out[i-1].Version == m.Version) {
			return nil, fmt.Errorf("migration %d (%s): versions must be positive and unique", m.Version, m.Name)
		}
	}
	return out, nil
}
