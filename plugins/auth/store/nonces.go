package store

import (
	"context"
	"time"
)

// Nonce is an issued challenge.
type Nonce struct {
	Nonce, Wallet, Namespace, Purpose string
	Created, Expires                  time.Time
}

// PutNonce records an issued nonce.
func (s *Store) PutNonce(ctx context.Context, n Nonce) error {
	_, err := s.exec(ctx, `INSERT INTO auth_nonces (nonce, wallet, namespace, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		n.Nonce, n.Wallet, n.Namespace, n.Purpose, ms(n.Created), ms(n.Expires))
	return err
}

// ConsumeNonce marks nonce used if it was issued for wallet and namespace,
// is unexpired at now and unused — in one conditional UPDATE, so of two
// concurrent consumers exactly one sees its row change. Errors:
// unauthorized when no row changed.
func (s *Store) ConsumeNonce(ctx context.Context, nonce, wallet, namespace string, now time.Time) error {
	res, err := s.exec(ctx, `UPDATE auth_nonces SET used_at = ?
		WHERE nonce = ? AND wallet = ? AND namespace = ? AND used_at IS NULL AND expires_at > ?`,
		ms(now), nonce, wallet, namespace, ms(now))
	if err != nil {
		return err
	}
	if res.RowsAffected != 1 {
		return unauthorized("unknown, expired or used nonce for this wallet and namespace")
	}
	return nil
}

// PurgeNonces deletes the nonces that expired before t.
func (s *Store) PurgeNonces(ctx context.Context, t time.Time) error {
	_, err := s.exec(ctx, `DELETE FROM auth_nonces WHERE expires_at < ?`, ms(t))
	return err
}
