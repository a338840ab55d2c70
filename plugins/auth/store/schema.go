package store

import (
	"context"
	"fmt"

	"github.com/orama-network/orama/sdk/database"
)

// schema creates the tables and indexes; every statement is idempotent,
// so nodes starting together may all run it.
var schema = []string{
	`CREATE TABLE IF NOT EXISTS auth_nonces (
		nonce      TEXT PRIMARY KEY,
		wallet     TEXT NOT NULL,
		namespace  TEXT NOT NULL,
		purpose    TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		expires_at INTEGER NOT NULL,
		used_at    INTEGER,
		client_ip  TEXT NOT NULL DEFAULT ''
	)`,
	`CREATE INDEX IF NOT EXISTS auth_nonces_expires ON auth_nonces (expires_at)`,
	`CREATE TABLE IF NOT EXISTS auth_api_keys (
		id         TEXT PRIMARY KEY,
		hash       TEXT NOT NULL UNIQUE,
		namespace  TEXT NOT NULL,
		plan       TEXT NOT NULL,
		wallet     TEXT NOT NULL,
		name       TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		revoked_at INTEGER
	)`,
	`CREATE INDEX IF NOT EXISTS auth_api_keys_namespace ON auth_api_keys (namespace)`,
	`CREATE TABLE IF NOT EXISTS auth_refresh_tokens (
		hash       TEXT PRIMARY KEY,
		family     TEXT NOT NULL,
		subject    TEXT NOT NULL,
		namespace  TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		expires_at INTEGER NOT NULL,
		used_at    INTEGER,
		revoked_at INTEGER
	)`,
	`CREATE INDEX IF NOT EXISTS auth_refresh_family ON auth_refresh_tokens (family)`,
	`CREATE INDEX IF NOT EXISTS auth_refresh_subject ON auth_refresh_tokens (namespace, subject)`,
	`CREATE TABLE IF NOT EXISTS auth_signing_keys (
		kid          TEXT PRIMARY KEY,
		alg          TEXT NOT NULL,
		every_ns     INTEGER NOT NULL,
		slot         INTEGER NOT NULL,
		public_key   BLOB NOT NULL,
		wrap_salt    BLOB NOT NULL,
		wrapped_seed BLOB NOT NULL,
		created_at   INTEGER NOT NULL,
		sign_until   INTEGER NOT NULL,
		UNIQUE (every_ns, slot)
	)`,
	`CREATE TABLE IF NOT EXISTS auth_apps (
		client_id  TEXT PRIMARY KEY,
		name       TEXT NOT NULL,
		namespace  TEXT NOT NULL,
		wallet     TEXT NOT NULL,
		created_at INTEGER NOT NULL,
		UNIQUE (namespace, name)
	)`,
	`CREATE TABLE IF NOT EXISTS auth_namespaces (
		name       TEXT PRIMARY KEY,
		owner      TEXT NOT NULL,
		created_at INTEGER NOT NULL
	)`,
	`CREATE TABLE IF NOT EXISTS auth_namespace_members (
		namespace TEXT NOT NULL,
		wallet    TEXT NOT NULL,
		role      TEXT NOT NULL,
		added_by  TEXT NOT NULL,
		added_at  INTEGER NOT NULL,
		PRIMARY KEY (namespace, wallet)
	)`,
}

// nonceIPColumn is added to auth_nonces tables made before it existed.
const nonceIPColumn = `ALTER TABLE auth_nonces ADD COLUMN client_ip TEXT NOT NULL DEFAULT ''`

// afterColumns run once the columns nonceIPColumn adds exist; each is
// idempotent.
var afterColumns = []string{
	`CREATE INDEX IF NOT EXISTS auth_nonces_wallet ON auth_nonces (wallet, expires_at)`,
	`CREATE INDEX IF NOT EXISTS auth_nonces_ip ON auth_nonces (client_ip, expires_at)`,
	// Namespaces an operator made keys for before operators claimed them
	// belong to the operator, not to the next wallet that signs in.
	`INSERT OR IGNORE INTO auth_namespaces (name, owner, created_at)
		SELECT namespace, '` + OperatorOwner + `', min(created_at) FROM auth_api_keys WHERE wallet = '' GROUP BY namespace`,
}

// Migrate creates the tables that do not exist yet, all or nothing.
func (s *Store) Migrate(ctx context.Context) error {
	ops := make([]database.Op, len(schema))
	for i, sql := range schema {
		ops[i] = database.Op{Kind: database.OpExec, Statement: database.Statement{SQL: sql}}
	}
	if _, err := s.db.Transaction(ctx, ns, ops, false); err != nil {
		return fmt.Errorf("create the auth tables: %w", err)
	}
	if err := s.ensureNonceIP(ctx); err != nil {
		return fmt.Errorf("add client_ip to auth_nonces: %w", err)
	}
	for _, sql := range afterColumns {
		if _, err := s.exec(ctx, sql); err != nil {
			return fmt.Errorf("migrate the auth tables: %w", err)
		}
	}
	return nil
}

// ensureNonceIP adds auth_nonces.client_ip when the table predates it.
// Nodes migrating together may both try: a second ALTER fails, after
// which the column exists, which is all that counts.
func (s *Store) ensureNonceIP(ctx context.Context) error {
	if _, err := s.query(ctx, `SELECT client_ip FROM auth_nonces LIMIT 0`); err == nil {
		return nil
	}
	_, alterErr := s.exec(ctx, nonceIPColumn)
	if _, err := s.query(ctx, `SELECT client_ip FROM auth_nonces LIMIT 0`); err != nil {
		if alterErr != nil {
			return alterErr
		}
		return err
	}
	return nil
}
