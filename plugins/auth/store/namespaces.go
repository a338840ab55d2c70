package store

import (
	"context"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

// OperatorOwner is the owner recorded for a namespace an operator created
// (CreateKey, AddMember by an operator). No wallet has this form: ETH
// addresses are 0x-hex, SOL addresses base58, neither has parentheses.
const OperatorOwner = "(operator)"

// Namespace is a claimed namespace.
type Namespace struct {
	Name, Owner string // Owner: a canonical wallet or OperatorOwner
	Created     time.Time
}

// ClaimNamespace makes wallet the owner of namespace unless someone owns
// it already, and returns the owner. Two wallets racing for a new
// namespace get the same answer: the insert that lands first wins.
func (s *Store) ClaimNamespace(ctx context.Context, namespace, wallet string, now time.Time) (owner string, err error) {
	if _, err := s.exec(ctx, `INSERT OR IGNORE INTO auth_namespaces (name, owner, created_at) VALUES (?, ?, ?)`,
		namespace, wallet, ms(now)); err != nil {
		return "", err
	}
	ns, found, err := s.NamespaceOf(ctx, namespace)
	if err != nil {
		return "", err
	}
	if !found {
		return "", sdk.Errorf(sdk.CodeInternal, "namespace %q has no owner after its claim", namespace)
	}
	return ns.Owner, nil
}

// NamespaceOf returns namespace's claim; found is false when nobody owns
// it.
func (s *Store) NamespaceOf(ctx context.Context, namespace string) (ns Namespace, found bool, err error) {
	rows, err := s.query(ctx, `SELECT name, owner, created_at FROM auth_namespaces WHERE name = ?`, namespace)
	if err != nil || len(rows.Rows) == 0 {
		return Namespace{}, false, err
	}
	r := rows.Rows[0]
	return Namespace{Name: database.CellString(r[0]), Owner: database.CellString(r[1]), Created: database.CellTime(r[2])}, true, nil
}
