package store

import (
	"context"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

// Member is a wallet let into a namespace besides its owner.
type Member struct {
	Namespace, Wallet, Role string
	AddedBy                 string // "" for an operator
	Added                   time.Time
}

const memberColumns = `namespace, wallet, role, added_by, added_at`

func scanMember(r []any) Member {
	return Member{Namespace: database.CellString(r[0]), Wallet: database.CellString(r[1]), Role: database.CellString(r[2]),
		AddedBy: database.CellString(r[3]), Added: database.CellTime(r[4])}
}

// PutMember adds m, or updates the role of an existing member (keeping
// when and by whom it was first added).
func (s *Store) PutMember(ctx context.Context, m Member) error {
	_, err := s.exec(ctx, `INSERT INTO auth_namespace_members (`+memberColumns+`) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (namespace, wallet) DO UPDATE SET role = excluded.role`,
		m.Namespace, m.Wallet, m.Role, m.AddedBy, ms(m.Added))
	return err
}

// MemberOf returns wallet's membership of namespace; found is false when
// it is none.
func (s *Store) MemberOf(ctx context.Context, namespace, wallet string) (m Member, found bool, err error) {
	rows, err := s.query(ctx, `SELECT `+memberColumns+` FROM auth_namespace_members WHERE namespace = ? AND wallet = ?`,
		namespace, wallet)
	if err != nil || len(rows.Rows) == 0 {
		return Member{}, false, err
	}
	return scanMember(rows.Rows[0]), true, nil
}

// Members returns namespace's members, oldest first.
func (s *Store) Members(ctx context.Context, namespace string) ([]Member, error) {
	rows, err := s.query(ctx, `SELECT `+memberColumns+` FROM auth_namespace_members WHERE namespace = ? ORDER BY added_at, wallet`,
		namespace)
	if err != nil {
		return nil, err
	}
	out := make([]Member, len(rows.Rows))
	for i, r := range rows.Rows {
		out[i] = scanMember(r)
	}
	return out, nil
}

// RemoveMember takes wallet out of namespace and revokes, in the same
// transaction, its API keys and refresh tokens there. Errors: not_found
// when wallet is no member.
func (s *Store) RemoveMember(ctx context.Context, namespace, wallet string, now time.Time) error {
	rows, err := s.query(ctx, `SELECT 1 FROM auth_namespace_members WHERE namespace = ? AND wallet = ?`, namespace, wallet)
	if err != nil {
		return err
	}
	if len(rows.Rows) == 0 {
		return sdk.Errorf(sdk.CodeNotFound, "wallet %s is not a member of namespace %q", wallet, namespace)
	}
	return s.tx(ctx,
		stmt(`DELETE FROM auth_namespace_members WHERE namespace = ? AND wallet = ?`, namespace, wallet),
		stmt(`UPDATE auth_api_keys SET revoked_at = ? WHERE namespace = ? AND wallet = ? AND revoked_at IS NULL`,
			ms(now), namespace, wallet),
		stmt(`UPDATE auth_refresh_tokens SET revoked_at = ? WHERE namespace = ? AND subject = ? AND revoked_at IS NULL`,
			ms(now), namespace, wallet),
	)
}
