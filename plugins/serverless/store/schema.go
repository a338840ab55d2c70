package store

import (
	"context"
	"fmt"
	"time"

	"github.com/orama-network/orama/sdk/database"
)

// migrations are the schema's versions, oldest first: migration i brings
// the schema to version i+1. Never edit a released one; append a new one.
// Every statement is idempotent, so nodes starting together may all run
// the same migration: the first to commit records it, the others find
// their statements already done.
var migrations = [][]string{
	// 1: functions, version counters, logs, secrets.
	{
		`CREATE TABLE IF NOT EXISTS fn_functions (
				id                  TEXT PRIMARY KEY,
				namespace           TEXT NOT NULL,
				name                TEXT NOT NULL,
				version             INTEGER NOT NULL,
				wasm_cid            TEXT NOT NULL,
				sha256              TEXT NOT NULL,
				is_public           INTEGER NOT NULL,
				memory_limit_mb     INTEGER NOT NULL,
				timeout_seconds     INTEGER NOT NULL,
				retry_count         INTEGER NOT NULL,
				retry_delay_seconds INTEGER NOT NULL,
				env_vars            TEXT NOT NULL,
				status              TEXT NOT NULL,
				created_at          INTEGER NOT NULL,
				updated_at          INTEGER NOT NULL,
				UNIQUE (namespace, name, version)
			)`,
		`CREATE INDEX IF NOT EXISTS fn_functions_cid ON fn_functions (wasm_cid)`,
		`CREATE TABLE IF NOT EXISTS fn_versions (
				namespace TEXT NOT NULL,
				name      TEXT NOT NULL,
				last      INTEGER NOT NULL,
				PRIMARY KEY (namespace, name)
			)`,
		`CREATE TABLE IF NOT EXISTS fn_logs (
				id         INTEGER PRIMARY KEY AUTOINCREMENT,
				namespace  TEXT NOT NULL,
				name       TEXT NOT NULL,
				version    INTEGER NOT NULL,
				level      TEXT NOT NULL,
				message    TEXT NOT NULL,
				request_id TEXT NOT NULL,
				ts         INTEGER NOT NULL
			)`,
		`CREATE INDEX IF NOT EXISTS fn_logs_function ON fn_logs (namespace, name, id)`,
		`CREATE TABLE IF NOT EXISTS fn_secrets (
				namespace  TEXT NOT NULL,
				name       TEXT NOT NULL,
				salt       BLOB NOT NULL,
				sealed     BLOB NOT NULL,
				created_at INTEGER NOT NULL,
				updated_at INTEGER NOT NULL,
				PRIMARY KEY (namespace, name)
			)`,
	},
}

// SchemaVersion is the schema version this code needs.
func SchemaVersion() int { return len(migrations) }

// Migrate brings the schema up to SchemaVersion: each missing migration
// runs in one transaction with the row that records it. Errors: the
// database's; a schema newer than this code is refused (invalid), so an
// old binary never writes to tables it does not know.
func (s *Store) Migrate(ctx context.Context) error {
	if _, err := s.exec(ctx, `CREATE TABLE IF NOT EXISTS fn_schema (
		version    INTEGER PRIMARY KEY,
		applied_at INTEGER NOT NULL
	)`); err != nil {
		return fmt.Errorf("create fn_schema: %w", err)
	}
	cur, err := s.schemaVersion(ctx)
	if err != nil {
		return err
	}
	if cur > len(migrations) {
		return fmt.Errorf("the serverless tables are at schema version %d, newer than this plugin's %d: upgrade the plugin", cur, len(migrations))
	}
	for v := cur + 1; v <= len(migrations); v++ {
		ops := make([]database.Op, 0, len(migrations[v-1])+1)
		for _, sql := range migrations[v-1] {
			ops = append(ops, stmt(sql))
		}
		ops = append(ops, stmt(`INSERT OR IGNORE INTO fn_schema (version, applied_at) VALUES (?, ?)`, v, ms(time.Now())))
		if _, err := s.db.Transaction(ctx, ns, ops, false); err != nil {
			return fmt.Errorf("serverless schema migration %d: %w", v, err)
		}
	}
	return nil
}

// schemaVersion returns the highest applied migration (0: none).
func (s *Store) schemaVersion(ctx context.Context) (int, error) {
	rows, err := s.query(ctx, `SELECT COALESCE(MAX(version), 0) FROM fn_schema`)
	if err != nil {
		return 0, fmt.Errorf("read fn_schema: %w", err)
	}
	if len(rows.Rows) == 0 {
		return 0, nil
	}
	return int(database.CellInt(rows.Rows[0][0])), nil
}
