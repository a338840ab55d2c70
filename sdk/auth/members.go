package auth

import (
	"time"

	"github.com/orama-network/orama/sdk"
)

// Roles of a Member.
const (
	// RoleMember may sign in to the namespace.
	RoleMember = "member"
	// RoleOwner may also add and remove members.
	RoleOwner = "owner"
)

// Member is a wallet an owner or an operator let into a namespace.
type Member struct {
	Wallet  string
	Role    string // RoleMember or RoleOwner
	AddedBy string // the wallet that added it; "" for an operator
	Added   time.Time
}

// Membership is who may sign in to a namespace: its owner and members.
type Membership struct {
	Namespace     string
	Owner         string // the founding wallet; "" when an operator created it
	OperatorOwned bool   // created by an operator (CreateKey, AddMember)
	Created       time.Time
	Members       []Member
}

// NormalizeRole returns the canonical role: "" is RoleMember. Errors:
// invalid for another role.
func NormalizeRole(role string) (string, error) {
	switch role {
	case "", RoleMember:
		return RoleMember, nil
	case RoleOwner:
		return RoleOwner, nil
	}
	return "", sdk.Errorf(sdk.CodeInvalid, "role %q: want %q or %q", role, RoleMember, RoleOwner)
}
