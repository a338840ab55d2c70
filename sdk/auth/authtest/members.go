package authtest

import (
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// tryVerify runs challenge and verify for w in ns and returns Verify's
// error.
func tryVerify(t *testing.T, e Env, w *ETHWallet, ns string) error {
	t.Helper()
	_, err := e.Auth.Verify(t.Context(), w.Proof(challenge(t, e, w.Address(), ns)))
	return err
}

// wantLockedOut checks that every wallet sign-in path refuses w in ns.
func wantLockedOut(t *testing.T, e Env, w *ETHWallet, ns, why string) {
	t.Helper()
	plugintest.WantCode(t, tryVerify(t, e, w, ns), why+": verify", sdk.CodeForbidden)
	_, err := e.Auth.CreateAPIKey(t.Context(), w.Proof(challenge(t, e, w.Address(), ns)), "free")
	plugintest.WantCode(t, err, why+": api-key", sdk.CodeForbidden)
	_, err = e.Auth.Register(t.Context(), w.Proof(challenge(t, e, w.Address(), ns)), plugintest.Unique("app"))
	plugintest.WantCode(t, err, why+": register", sdk.CodeForbidden)
	if e.SimpleKeys {
		_, err = e.Auth.SimpleKey(t.Context(), w.Address(), ns)
		plugintest.WantCode(t, err, why+": simple-key", sdk.CodeForbidden)
	}
}

// testOperatorOwnsNamespace: a namespace an operator created (CreateKey)
// is nobody's to take: a wallet gets in only when added.
func testOperatorOwnsNamespace(t *testing.T, e Env) {
	ns, stranger, invited := plugintest.Unique("opns"), NewETHWallet(), NewETHWallet()
	if _, err := e.Auth.CreateKey(t.Context(), ns, "ops", "free"); err != nil {
		t.Fatal(err)
	}
	wantLockedOut(t, e, stranger, ns, "a stranger in an operator's namespace")
	if _, err := e.Auth.AddMember(t.Context(), "", ns, invited.Address(), ""); err != nil {
		t.Fatalf("operator AddMember: %v", err)
	}
	checkSession(t, e, signIn(t, e, invited, ns), invited.Address(), ns)
	wantLockedOut(t, e, stranger, ns, "the stranger after another wallet was added")
	m, err := e.Auth.Members(t.Context(), "", ns)
	if err != nil {
		t.Fatal(err)
	}
	if !m.OperatorOwned || m.Owner != "" || len(m.Members) != 1 || !strings.EqualFold(m.Members[0].Wallet, invited.Address()) ||
		m.Members[0].Role != auth.RoleMember || m.Members[0].AddedBy != "" {
		t.Errorf("Members = %+v, want operator-owned with the invited wallet as a member added by the operator", m)
	}
	// The invited member is no owner: it cannot let others in.
	_, err = e.Auth.AddMember(t.Context(), invited.Address(), ns, stranger.Address(), "")
	plugintest.WantCode(t, err, "a member adds a wallet", sdk.CodeForbidden)

	// An operator adding to a namespace nobody owns creates it.
	fresh := plugintest.Unique("opns-fresh")
	if _, err := e.Auth.AddMember(t.Context(), "", fresh, invited.Address(), auth.RoleOwner); err != nil {
		t.Fatal(err)
	}
	wantLockedOut(t, e, stranger, fresh, "a stranger in a namespace an operator made by adding a member")
	signIn(t, e, invited, fresh)
}

// testMembers: the owning wallet adds, lists and removes members; a
// removed member's keys stop working and it is locked out again.
func testMembers(t *testing.T, e Env) {
	owner, friend, stranger, ns := NewETHWallet(), NewETHWallet(), NewETHWallet(), plugintest.Unique("members")
	signIn(t, e, owner, ns)
	wantLockedOut(t, e, friend, ns, "a wallet before it is added")

	_, err := e.Auth.AddMember(t.Context(), stranger.Address(), ns, friend.Address(), "")
	plugintest.WantCode(t, err, "a stranger adds a member", sdk.CodeForbidden)
	_, err = e.Auth.Members(t.Context(), stranger.Address(), ns)
	plugintest.WantCode(t, err, "a stranger lists members", sdk.CodeForbidden)
	_, err = e.Auth.AddMember(t.Context(), owner.Address(), ns, friend.Address(), "admin")
	plugintest.WantCode(t, err, "an unknown role", sdk.CodeInvalid)
	_, err = e.Auth.AddMember(t.Context(), owner.Address(), ns, "not-a-wallet", "")
	plugintest.WantCode(t, err, "a malformed wallet", sdk.CodeInvalid)

	m, err := e.Auth.AddMember(t.Context(), strings.ToLower(owner.Address()), ns, friend.Address(), "")
	if err != nil {
		t.Fatalf("owner AddMember (its address in another spelling): %v", err)
	}
	if !strings.EqualFold(m.Wallet, friend.Address()) || m.Role != auth.RoleMember || !strings.EqualFold(m.AddedBy, owner.Address()) {
		t.Errorf("AddMember = %+v, want the friend as a member added by the owner", m)
	}
	sess := signIn(t, e, friend, ns)
	checkSession(t, e, sess, friend.Address(), ns)
	k, err := e.Auth.CreateAPIKey(t.Context(), friend.Proof(challenge(t, e, friend.Address(), ns)), "free")
	if err != nil {
		t.Fatalf("member CreateAPIKey: %v", err)
	}
	list, err := e.Auth.Members(t.Context(), owner.Address(), ns)
	if err != nil {
		t.Fatal(err)
	}
	if list.OperatorOwned || !strings.EqualFold(list.Owner, owner.Address()) || len(list.Members) != 1 {
		t.Errorf("Members = %+v, want the owner and one member", list)
	}
	_, err = e.Auth.Members(t.Context(), friend.Address(), ns)
	plugintest.WantCode(t, err, "a plain member lists members", sdk.CodeForbidden)

	err = e.Auth.RemoveMember(t.Context(), friend.Address(), ns, friend.Address())
	plugintest.WantCode(t, err, "a plain member removes itself", sdk.CodeForbidden)
	err = e.Auth.RemoveMember(t.Context(), owner.Address(), ns, owner.Address())
	plugintest.WantCode(t, err, "the founder is removed", sdk.CodeForbidden)
	err = e.Auth.RemoveMember(t.Context(), owner.Address(), ns, stranger.Address())
	plugintest.WantCode(t, err, "remove a wallet that is no member", sdk.CodeNotFound)
	if err := e.Auth.RemoveMember(t.Context(), owner.Address(), ns, friend.Address()); err != nil {
		t.Fatalf("owner RemoveMember: %v", err)
	}
	for name, key := range map[string]string{"sign-in key": sess.APIKey, "created key": k.Key} {
		_, err := e.Auth.ValidateAPIKey(t.Context(), key)
		plugintest.WantCode(t, err, "the removed member's "+name, sdk.CodeUnauthorized)
	}
	_, err = e.Auth.Refresh(t.Context(), sess.RefreshToken, ns)
	plugintest.WantCode(t, err, "the removed member's refresh token", sdk.CodeUnauthorized)
	wantLockedOut(t, e, friend, ns, "a removed member")
	signIn(t, e, owner, ns)
}

// testMemberOwners: a member added with role owner manages members too.
func testMemberOwners(t *testing.T, e Env) {
	founder, co, guest, ns := NewETHWallet(), NewETHWallet(), NewETHWallet(), plugintest.Unique("coowner")
	signIn(t, e, founder, ns)
	if _, err := e.Auth.AddMember(t.Context(), founder.Address(), ns, co.Address(), auth.RoleOwner); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Auth.AddMember(t.Context(), co.Address(), ns, guest.Address(), ""); err != nil {
		t.Fatalf("a co-owner adds a member: %v", err)
	}
	signIn(t, e, guest, ns)
	err := e.Auth.RemoveMember(t.Context(), co.Address(), ns, founder.Address())
	plugintest.WantCode(t, err, "a co-owner removes the founder", sdk.CodeForbidden)
	// Adding again changes the role: co is a plain member now.
	if _, err := e.Auth.AddMember(t.Context(), founder.Address(), ns, co.Address(), auth.RoleMember); err != nil {
		t.Fatal(err)
	}
	_, err = e.Auth.AddMember(t.Context(), co.Address(), ns, NewETHWallet().Address(), "")
	plugintest.WantCode(t, err, "a demoted co-owner adds a member", sdk.CodeForbidden)
	_, err = e.Auth.AddMember(t.Context(), founder.Address(), ns, founder.Address(), "")
	plugintest.WantCode(t, err, "the founder added as a member", sdk.CodeConflict)
}

// testReservedNamespaces: '_'-names, in any case, are nobody's.
func testReservedNamespaces(t *testing.T, e Env) {
	w := NewETHWallet()
	for _, ns := range []string{"_system", "_SYSTEM", "_System", "_x"} {
		_, err := e.Auth.CreateKey(t.Context(), ns, "x", "free")
		plugintest.WantCode(t, err, "CreateKey in "+ns, sdk.CodeInvalid, sdk.CodeForbidden)
		_, err = e.Auth.AddMember(t.Context(), "", ns, w.Address(), "")
		plugintest.WantCode(t, err, "AddMember in "+ns, sdk.CodeInvalid, sdk.CodeForbidden)
		_, err = e.Auth.ListKeys(t.Context(), ns)
		plugintest.WantCode(t, err, "ListKeys in "+ns, sdk.CodeInvalid, sdk.CodeForbidden)
	}
}
