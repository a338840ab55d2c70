package service

import (
	"context"

	"github.com/orama-network/orama/plugins/auth/store"
	"github.com/orama-network/orama/plugins/auth/wallet"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
)

// Namespace membership: who besides its owner may sign in to a
// namespace. The owner is the wallet that claimed it first, or the
// operator (store.OperatorOwner) when an operator created it. Members
// added with role owner may manage members too; an actor "" is an
// operator, who may do anything.

// AddMember lets w into namespace with role. An operator adding to a
// namespace nobody owns claims it first. Errors: invalid, forbidden when
// actor is not an owner.
func (s *Service) AddMember(ctx context.Context, actor, namespace, w, role string) (auth.Member, error) {
	st, err := s.state()
	if err != nil {
		return auth.Member{}, err
	}
	role, err = auth.NormalizeRole(role)
	if err != nil {
		return auth.Member{}, err
	}
	canon, err := s.memberWallet(w)
	if err != nil {
		return auth.Member{}, err
	}
	actor, err = s.authorizeOwner(ctx, st, actor, namespace, true)
	if err != nil {
		return auth.Member{}, err
	}
	if owner, found, err := st.st.NamespaceOf(ctx, namespace); err != nil {
		return auth.Member{}, err
	} else if found && owner.Owner == canon {
		return auth.Member{}, sdk.Errorf(sdk.CodeConflict, "wallet %s owns namespace %q already", canon, namespace)
	}
	m := store.Member{Namespace: namespace, Wallet: canon, Role: role, AddedBy: actor, Added: s.now()}
	if err := st.st.PutMember(ctx, m); err != nil {
		return auth.Member{}, err
	}
	got, _, err := st.st.MemberOf(ctx, namespace, canon)
	if err != nil {
		return auth.Member{}, err
	}
	return memberOf(got), nil
}

// RemoveMember takes w's access to namespace away and revokes its keys
// and refresh tokens there. Errors: forbidden for a non-owner actor or
// the founding owner; not_found when w is no member.
func (s *Service) RemoveMember(ctx context.Context, actor, namespace, w string) error {
	st, err := s.state()
	if err != nil {
		return err
	}
	canon, err := s.memberWallet(w)
	if err != nil {
		return err
	}
	if _, err := s.authorizeOwner(ctx, st, actor, namespace, false); err != nil {
		return err
	}
	if owner, found, err := st.st.NamespaceOf(ctx, namespace); err != nil {
		return err
	} else if found && owner.Owner == canon {
		return sdk.Errorf(sdk.CodeForbidden, "wallet %s founded namespace %q and cannot be removed", canon, namespace)
	}
	return st.st.RemoveMember(ctx, namespace, canon, s.now())
}

// Members lists namespace's owner and members. Errors: forbidden for a
// non-owner actor, not_found when nobody owns namespace.
func (s *Service) Members(ctx context.Context, actor, namespace string) (auth.Membership, error) {
	st, err := s.state()
	if err != nil {
		return auth.Membership{}, err
	}
	if _, err := s.authorizeOwner(ctx, st, actor, namespace, false); err != nil {
		return auth.Membership{}, err
	}
	ns, found, err := st.st.NamespaceOf(ctx, namespace)
	if err != nil {
		return auth.Membership{}, err
	}
	if !found {
		return auth.Membership{}, sdk.Errorf(sdk.CodeNotFound, "namespace %q has no owner yet", namespace)
	}
	members, err := st.st.Members(ctx, namespace)
	if err != nil {
		return auth.Membership{}, err
	}
	out := auth.Membership{Namespace: namespace, Created: ns.Created, Members: make([]auth.Member, len(members))}
	if ns.Owner == store.OperatorOwner {
		out.OperatorOwned = true
	} else {
		out.Owner = ns.Owner
	}
	for i, m := range members {
		out.Members[i] = memberOf(m)
	}
	return out, nil
}

// authorizeOwner checks that actor may manage namespace's members and
// returns actor canonical. An operator ("") always may; with claim, an
// operator's call claims a namespace nobody owns. A wallet may when it
// owns namespace or is a member with role owner. Errors: invalid,
// forbidden.
func (s *Service) authorizeOwner(ctx context.Context, st *state, actor, namespace string, claim bool) (string, error) {
	if err := auth.CheckNamespace(namespace); err != nil {
		return "", err
	}
	if actor == "" {
		if claim {
			if _, err := st.st.ClaimNamespace(ctx, namespace, store.OperatorOwner, s.now()); err != nil {
				return "", err
			}
		}
		return "", nil
	}
	canon, err := wallet.CanonicalAny(actor)
	if err != nil {
		return "", sdk.Errorf(sdk.CodeForbidden, "only an owner of namespace %q can manage its members", namespace)
	}
	ns, found, err := st.st.NamespaceOf(ctx, namespace)
	if err != nil {
		return "", err
	}
	if found && ns.Owner == canon {
		return canon, nil
	}
	if m, member, err := st.st.MemberOf(ctx, namespace, canon); err != nil {
		return "", err
	} else if member && m.Role == auth.RoleOwner {
		return canon, nil
	}
	return "", sdk.Errorf(sdk.CodeForbidden, "only an owner of namespace %q can manage its members", namespace)
}

// memberWallet checks and canonicalises a member's wallet (any chain).
func (s *Service) memberWallet(w string) (string, error) {
	if err := checkWalletText(w); err != nil {
		return "", err
	}
	return wallet.CanonicalAny(w)
}

func memberOf(m store.Member) auth.Member {
	return auth.Member{Wallet: m.Wallet, Role: m.Role, AddedBy: m.AddedBy, Added: m.Added}
}
