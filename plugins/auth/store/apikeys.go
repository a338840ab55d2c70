package store

import (
	"context"
	"crypto/subtle"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

// APIKey is a stored API key: the hash of its secret, never the secret.
type APIKey struct {
	ID, Hash, Namespace, Plan, Wallet, Name string
	Created, Revoked                        time.Time // Revoked zero: active
}

const apiKeyColumns = `id, hash, namespace, plan, wallet, name, created_at, revoked_at`

func scanAPIKey(r []any) APIKey {
	return APIKey{ID: database.CellString(r[0]), Hash: database.CellString(r[1]), Namespace: database.CellString(r[2]), Plan: database.CellString(r[3]),
		Wallet: database.CellString(r[4]), Name: database.CellString(r[5]), Created: database.CellTime(r[6]), Revoked: database.CellTime(r[7])}
}

// PutAPIKey stores a new key.
func (s *Store) PutAPIKey(ctx context.Context, k APIKey) error {
	_, err := s.exec(ctx, `INSERT INTO auth_api_keys (`+apiKeyColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)`,
		k.ID, k.Hash, k.Namespace, k.Plan, k.Wallet, k.Name, ms(k.Created))
	return err
}

// APIKeyByHash returns the key whose secret hashes to hash, revoked or
// not. The stored hash is compared again in constant time. Errors:
// unauthorized when there is none.
func (s *Store) APIKeyByHash(ctx context.Context, hash string) (APIKey, error) {
	rows, err := s.query(ctx, `SELECT `+apiKeyColumns+` FROM auth_api_keys WHERE hash = ?`, hash)
	if err != nil {
		return APIKey{}, err
	}
	for _, r := range rows.Rows {
		k := scanAPIKey(r)
		if subtle.ConstantTimeCompare([]byte(k.Hash), []byte(hash)) == 1 {
			return k, nil
		}
	}
	return APIKey{}, unauthorized("invalid API key")
}

// ListAPIKeys returns namespace's keys, oldest first.
func (s *Store) ListAPIKeys(ctx context.Context, namespace string) ([]APIKey, error) {
	rows, err := s.query(ctx, `SELECT `+apiKeyColumns+` FROM auth_api_keys WHERE namespace = ? ORDER BY created_at, id`, namespace)
	if err != nil {
		return nil, err
	}
	out := make([]APIKey, len(rows.Rows))
	for i, r := range rows.Rows {
		out[i] = scanAPIKey(r)
	}
	return out, nil
}

// RevokeAPIKey revokes namespace's key id; revoking a revoked key is a
// no-op. Errors: not_found when namespace has no such key.
func (s *Store) RevokeAPIKey(ctx context.Context, namespace, id string, now time.Time) error {
	res, err := s.exec(ctx, `UPDATE auth_api_keys SET revoked_at = ? WHERE id = ? AND namespace = ? AND revoked_at IS NULL`,
		ms(now), id, namespace)
	if err != nil || res.RowsAffected == 1 {
		return err
	}
	rows, err := s.query(ctx, `SELECT 1 FROM auth_api_keys WHERE id = ? AND namespace = ?`, id, namespace)
	if err != nil {
		return err
	}
	if len(rows.Rows) == 0 {
		return sdk.Errorf(sdk.CodeNotFound, "no API key %q in namespace %q", id, namespace)
	}
	return nil
}

// APIKeyByID returns the key with id, revoked or not. Errors:
// unauthorized when there is none.
func (s *Store) APIKeyByID(ctx context.Context, id string) (APIKey, error) {
	rows, err := s.query(ctx, `SELECT `+apiKeyColumns+` FROM auth_api_keys WHERE id = ?`, id)
	if err != nil {
		return APIKey{}, err
	}
	if len(rows.Rows) == 0 {
		return APIKey{}, unauthorized("unknown API key")
	}
	return scanAPIKey(rows.Rows[0]), nil
}
