package store

import (
	"context"
	"time"

	"github.com/orama-network/orama/sdk/database"
)

// Refresh is a stored refresh token. Tokens of one sign-in share a
// family: each refresh marks the old token used and adds a new one.
type Refresh struct {
	Hash, Family, Subject, Namespace string
	Created, Expires                 time.Time
	Used, Revoked                    time.Time // zero: not (yet)
}

const refreshColumns = `hash, family, subject, namespace, created_at, expires_at, used_at, revoked_at`

// PutRefresh stores a new token.
func (s *Store) PutRefresh(ctx context.Context, r Refresh) error {
	_, err := s.exec(ctx, `INSERT INTO auth_refresh_tokens (`+refreshColumns+`) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)`,
		r.Hash, r.Family, r.Subject, r.Namespace, ms(r.Created), ms(r.Expires))
	return err
}

// RefreshByHash returns the token whose hash is hash. Errors:
// unauthorized when there is none.
func (s *Store) RefreshByHash(ctx context.Context, hash string) (Refresh, error) {
	rows, err := s.query(ctx, `SELECT `+refreshColumns+` FROM auth_refresh_tokens WHERE hash = ?`, hash)
	if err != nil {
		return Refresh{}, err
	}
	if len(rows.Rows) == 0 {
		return Refresh{}, unauthorized("invalid refresh token")
	}
	r := rows.Rows[0]
	return Refresh{Hash: database.CellString(r[0]), Family: database.CellString(r[1]), Subject: database.CellString(r[2]), Namespace: database.CellString(r[3]),
		Created: database.CellTime(r[4]), Expires: database.CellTime(r[5]), Used: database.CellTime(r[6]), Revoked: database.CellTime(r[7])}, nil
}

// MarkRefreshUsed marks the token used unless it already is or was
// revoked, atomically; it reports whether this call marked it.
func (s *Store) MarkRefreshUsed(ctx context.Context, hash string, now time.Time) (bool, error) {
	res, err := s.exec(ctx, `UPDATE auth_refresh_tokens SET used_at = ? WHERE hash = ? AND used_at IS NULL AND revoked_at IS NULL`,
		ms(now), hash)
	return err == nil && res.RowsAffected == 1, err
}

// RevokeFamily revokes every token of family.
func (s *Store) RevokeFamily(ctx context.Context, family string, now time.Time) error {
	_, err := s.exec(ctx, `UPDATE auth_refresh_tokens SET revoked_at = ? WHERE family = ? AND revoked_at IS NULL`, ms(now), family)
	return err
}

// RevokeSubject revokes every token of subject in namespace.
func (s *Store) RevokeSubject(ctx context.Context, namespace, subject string, now time.Time) error {
	_, err := s.exec(ctx, `UPDATE auth_refresh_tokens SET revoked_at = ? WHERE namespace = ? AND subject = ? AND revoked_at IS NULL`,
		ms(now), namespace, subject)
	return err
}

// PurgeRefresh deletes the tokens that expired before t; a token past
// its expiry is refused whatever its state, so nothing is lost.
func (s *Store) PurgeRefresh(ctx context.Context, t time.Time) error {
	_, err := s.exec(ctx, `DELETE FROM auth_refresh_tokens WHERE expires_at < ?`, ms(t))
	return err
}
