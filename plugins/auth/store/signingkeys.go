package store

import (
	"context"
	"time"

	"github.com/orama-network/orama/sdk/database"
)

// SigningKey is a stored JWT signing key: its public key in clear, its
// private seed sealed under key_secret (see seal.Wrapper).
type SigningKey struct {
	Kid, Alg  string
	Every     time.Duration // rotate_every the key was made with
	Slot      int64         // the slot of that schedule it signs in
	Public    []byte
	Salt      []byte
	Sealed    []byte
	Created   time.Time
	SignUntil time.Time
}

// AddSigningKey stores k unless a key for the same slot of the same
// schedule exists (another node made it first); it reports whether k was
// stored.
func (s *Store) AddSigningKey(ctx context.Context, k SigningKey) (bool, error) {
	res, err := s.exec(ctx, `INSERT OR IGNORE INTO auth_signing_keys
		(kid, alg, every_ns, slot, public_key, wrap_salt, wrapped_seed, created_at, sign_until)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		k.Kid, k.Alg, int64(k.Every), k.Slot, k.Public, k.Salt, k.Sealed, ms(k.Created), ms(k.SignUntil))
	return err == nil && res.RowsAffected == 1, err
}

// SigningKeys returns every stored key whose sign_until is after t,
// oldest first.
func (s *Store) SigningKeys(ctx context.Context, t time.Time) ([]SigningKey, error) {
	rows, err := s.query(ctx, `SELECT kid, alg, every_ns, slot, public_key, wrap_salt, wrapped_seed, created_at, sign_until
		FROM auth_signing_keys WHERE sign_until > ? ORDER BY created_at, kid`, ms(t))
	if err != nil {
		return nil, err
	}
	out := make([]SigningKey, len(rows.Rows))
	for i, r := range rows.Rows {
		out[i] = SigningKey{Kid: database.CellString(r[0]), Alg: database.CellString(r[1]), Every: time.Duration(database.CellInt(r[2])), Slot: database.CellInt(r[3]),
			Public: database.CellBytes(r[4]), Salt: database.CellBytes(r[5]), Sealed: database.CellBytes(r[6]), Created: database.CellTime(r[7]), SignUntil: database.CellTime(r[8])}
	}
	return out, nil
}
