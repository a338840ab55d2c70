package store

import (
	"context"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/serverless"
)

// SealedSecret is a secret as stored: sealed by sdk/seal.
type SealedSecret struct {
	Salt, Sealed []byte
}

// PutSecret sets (or replaces) a secret. Errors: too_large when the
// namespace already has serverless.MaxSecrets others.
func (s *Store) PutSecret(ctx context.Context, namespace, name string, v SealedSecret, now time.Time) error {
	res, err := s.db.Transaction(ctx, ns, []database.Op{
		stmt(`INSERT INTO fn_secrets (namespace, name, salt, sealed, created_at, updated_at)
			SELECT ?, ?, ?, ?, ?, ?
			WHERE (SELECT COUNT(*) FROM fn_secrets WHERE namespace = ? AND name <> ?) < ?
			ON CONFLICT (namespace, name) DO UPDATE SET salt = excluded.salt, sealed = excluded.sealed,
				updated_at = excluded.updated_at`,
			namespace, name, v.Salt, v.Sealed, ms(now), ms(now), namespace, name, serverless.MaxSecrets),
	}, true)
	if err != nil {
		return err
	}
	if res[0].Exec.RowsAffected == 0 {
		return sdk.Errorf(sdk.CodeTooLarge, "namespace has %d secrets, the most it may keep", serverless.MaxSecrets)
	}
	return nil
}

// Secret returns a sealed secret. Errors: not_found.
func (s *Store) Secret(ctx context.Context, namespace, name string) (SealedSecret, error) {
	rows, err := s.query(ctx, `SELECT salt, sealed FROM fn_secrets WHERE namespace = ? AND name = ?`, namespace, name)
	if err != nil {
		return SealedSecret{}, err
	}
	if len(rows.Rows) == 0 {
		return SealedSecret{}, sdk.Errorf(sdk.CodeNotFound, "secret %q not found", name)
	}
	return SealedSecret{Salt: database.CellBytes(rows.Rows[0][0]), Sealed: database.CellBytes(rows.Rows[0][1])}, nil
}

// DeleteSecret removes a secret. Errors: not_found.
func (s *Store) DeleteSecret(ctx context.Context, namespace, name string) error {
	res, err := s.exec(ctx, `DELETE FROM fn_secrets WHERE namespace = ? AND name = ?`, namespace, name)
	if err != nil {
		return err
	}
	if res.RowsAffected == 0 {
		return sdk.Errorf(sdk.CodeNotFound, "secret %q not found", name)
	}
	return nil
}

// Secrets lists the names of namespace's secrets, sorted.
func (s *Store) Secrets(ctx context.Context, namespace string) ([]string, error) {
	rows, err := s.query(ctx, `SELECT name FROM fn_secrets WHERE namespace = ? ORDER BY name`, namespace)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(rows.Rows))
	for i, r := range rows.Rows {
		out[i] = database.CellString(r[0])
	}
	return out, nil
}
