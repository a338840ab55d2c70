package store

import (
	"context"
	"time"

	"github.com/orama-network/orama/sdk"
)

// ClaimNamespace makes wallet the owner of namespace unless someone owns
// it already, and returns the owner. Two wallets racing for a new
// namespace get the same answer: the insert that lands first wins.
func (s *Store) ClaimNamespace(ctx context.Context, namespace, wallet string, now time.Time) (owner string, err error) {
	if _, err := s.exec(ctx, `INSERT OR IGNORE INTO auth_namespaces (name, owner, created_at) VALUES (?, ?, ?)`,
		namespace, wallet, ms(now)); err != nil {
		return "", err
	}
	rows, err := s.query(ctx, `SELECT owner FROM auth_namespaces WHERE name = ?`, namespace)
	if err != nil {
		return "", err
	}
	if len(rows.Rows) != 1 {
		return "", sdk.Errorf(sdk.CodeInternal, "namespace %q has no owner after its claim", namespace)
	}
	return cellString(rows.Rows[0][0]), nil
}
