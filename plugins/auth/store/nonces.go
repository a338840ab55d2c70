package store

import (
	"context"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

// Nonce is an issued challenge.
type Nonce struct {
	Nonce, Wallet, Namespace, Purpose string
	ClientIP                          string // the requester's address ("" unknown)
	Created, Expires                  time.Time
}

// NonceCaps bound the outstanding (unused, unexpired) nonces of one
// wallet and of one client IP; 0 means no bound.
type NonceCaps struct {
	PerWallet, PerIP int
}

// PutNonce records an issued nonce unless the wallet, or the client IP
// when known, already has caps' number of outstanding nonces. The count
// and the insert are one statement, so concurrent challenges cannot
// overshoot. Errors: rate_limited when a cap is reached.
func (s *Store) PutNonce(ctx context.Context, n Nonce, caps NonceCaps) error {
	perWallet, perIP := int64(caps.PerWallet), int64(caps.PerIP)
	res, err := s.exec(ctx, `INSERT INTO auth_nonces (nonce, wallet, namespace, purpose, created_at, expires_at, client_ip)
		SELECT ?, ?, ?, ?, ?, ?, ?
		WHERE (? <= 0 OR (SELECT count(*) FROM auth_nonces WHERE wallet = ? AND used_at IS NULL AND expires_at > ?) < ?)
		  AND (? <= 0 OR ? = '' OR (SELECT count(*) FROM auth_nonces WHERE client_ip = ? AND used_at IS NULL AND expires_at > ?) < ?)`,
		n.Nonce, n.Wallet, n.Namespace, n.Purpose, ms(n.Created), ms(n.Expires), n.ClientIP,
		perWallet, n.Wallet, ms(n.Created), perWallet,
		perIP, n.ClientIP, n.ClientIP, ms(n.Created), perIP)
	if err != nil {
		return err
	}
	if res.RowsAffected != 1 {
		return sdk.Errorf(sdk.CodeRateLimited,
			"too many outstanding challenges for this wallet or address; sign one of them or retry when they expire")
	}
	return nil
}

// OutstandingNonces counts the unused, unexpired nonces at now (tests and
// diagnostics).
func (s *Store) OutstandingNonces(ctx context.Context, now time.Time) (int64, error) {
	rows, err := s.query(ctx, `SELECT count(*) FROM auth_nonces WHERE used_at IS NULL AND expires_at > ?`, ms(now))
	if err != nil || len(rows.Rows) == 0 {
		return 0, err
	}
	return database.CellInt(rows.Rows[0][0]), nil
}

// NonceRows counts every stored nonce, used and expired ones included.
func (s *Store) NonceRows(ctx context.Context) (int64, error) {
	rows, err := s.query(ctx, `SELECT count(*) FROM auth_nonces`)
	if err != nil || len(rows.Rows) == 0 {
		return 0, err
	}
	return database.CellInt(rows.Rows[0][0]), nil
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

// PurgeNonces deletes the nonces that expired at or before t (used or
// not: a used nonce is only kept to refuse its replay until it expires).
func (s *Store) PurgeNonces(ctx context.Context, t time.Time) error {
	_, err := s.exec(ctx, `DELETE FROM auth_nonces WHERE expires_at <= ?`, ms(t))
	return err
}
