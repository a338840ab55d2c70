package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/orama-network/orama/plugins/auth/store"
	"github.com/orama-network/orama/plugins/database/namespaced"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// newStore returns a migrated Store on the real SQLite database backend.
func newStore(t *testing.T) *store.Store {
	t.Helper()
	b := namespaced.New(nil)
	if err := b.Configure(t.Context(), plugin.Config{Name: "database", DataDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close(context.Background()) })
	s := store.New(b)
	for i := 0; i < 2; i++ { // Migrate is idempotent
		if err := s.Migrate(t.Context()); err != nil {
			t.Fatalf("Migrate #%d: %v", i+1, err)
		}
	}
	return s
}

var t0 = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

func TestConsumeNonce(t *testing.T) {
	s := newStore(t)
	n := store.Nonce{Nonce: "n1", Wallet: "0xa", Namespace: "ns", Purpose: "login", Created: t0, Expires: t0.Add(time.Minute)}
	if err := s.PutNonce(t.Context(), n, store.NonceCaps{}); err != nil {
		t.Fatal(err)
	}
	for name, args := range map[string][3]string{
		"other wallet":    {"n1", "0xb", "ns"},
		"other namespace": {"n1", "0xa", "ns2"},
		"unknown nonce":   {"n2", "0xa", "ns"},
	} {
		if err := s.ConsumeNonce(t.Context(), args[0], args[1], args[2], t0); plugintest.Code(err) != sdk.CodeUnauthorized {
			t.Errorf("%s: %v, want unauthorized", name, err)
		}
	}
	if err := s.ConsumeNonce(t.Context(), "n1", "0xa", "ns", t0.Add(time.Minute)); plugintest.Code(err) != sdk.CodeUnauthorized {
		t.Errorf("at the expiry instant: %v, want unauthorized", err)
	}
	if err := s.ConsumeNonce(t.Context(), "n1", "0xa", "ns", t0.Add(time.Minute-time.Millisecond)); err != nil {
		t.Fatalf("a millisecond before expiry: %v", err)
	}
	if err := s.ConsumeNonce(t.Context(), "n1", "0xa", "ns", t0); plugintest.Code(err) != sdk.CodeUnauthorized {
		t.Errorf("second use: %v, want unauthorized", err)
	}
}

func TestClaimNamespace(t *testing.T) {
	s := newStore(t)
	for _, w := range []string{"0xa", "0xb", "0xa"} {
		owner, err := s.ClaimNamespace(t.Context(), "ns", w, t0)
		if err != nil || owner != "0xa" {
			t.Errorf("claim by %s: owner %q, %v; want 0xa", w, owner, err)
		}
	}
}

func TestAPIKeys(t *testing.T) {
	s := newStore(t)
	k := store.APIKey{ID: "key_1", Hash: "h1", Namespace: "ns", Plan: "free", Wallet: "0xa", Name: "n", Created: t0}
	if err := s.PutAPIKey(t.Context(), k); err != nil {
		t.Fatal(err)
	}
	got, err := s.APIKeyByHash(t.Context(), "h1")
	if err != nil || got.ID != "key_1" || !got.Created.Equal(t0) || !got.Revoked.IsZero() {
		t.Fatalf("APIKeyByHash = %+v, %v", got, err)
	}
	if _, err := s.APIKeyByHash(t.Context(), "h2"); plugintest.Code(err) != sdk.CodeUnauthorized {
		t.Errorf("unknown hash: %v", err)
	}
	if err := s.RevokeAPIKey(t.Context(), "other", "key_1", t0); plugintest.Code(err) != sdk.CodeNotFound {
		t.Errorf("revoke in another namespace: %v, want not_found", err)
	}
	for i := 0; i < 2; i++ {
		if err := s.RevokeAPIKey(t.Context(), "ns", "key_1", t0.Add(time.Second)); err != nil {
			t.Errorf("revoke #%d: %v", i+1, err)
		}
	}
	if got, _ := s.APIKeyByHash(t.Context(), "h1"); !got.Revoked.Equal(t0.Add(time.Second)) {
		t.Errorf("revoked at %v, want the first revocation's time", got.Revoked)
	}
	if err := s.PutAPIKey(t.Context(), store.APIKey{ID: "key_2", Hash: "h1", Namespace: "ns", Created: t0}); plugintest.Code(err) != sdk.CodeConflict {
		t.Errorf("a second key with the same hash: %v, want conflict", err)
	}
}

func TestSigningKeysOnePerSlot(t *testing.T) {
	s := newStore(t)
	k := store.SigningKey{Kid: "k1", Alg: "EdDSA", Every: time.Hour, Slot: 7, Public: []byte{1}, Salt: []byte{2}, Sealed: []byte{3},
		Created: t0, SignUntil: t0.Add(time.Hour)}
	if ok, err := s.AddSigningKey(t.Context(), k); err != nil || !ok {
		t.Fatalf("first key of the slot: %v, %v", ok, err)
	}
	k2 := k
	k2.Kid = "k2"
	if ok, err := s.AddSigningKey(t.Context(), k2); err != nil || ok {
		t.Errorf("second key of the slot: stored %v, %v; want ignored", ok, err)
	}
	k3 := k2
	k3.Every = 2 * time.Hour // the same slot number of another schedule is another slot
	if ok, err := s.AddSigningKey(t.Context(), k3); err != nil || !ok {
		t.Errorf("slot of another schedule: %v, %v", ok, err)
	}
	keys, err := s.SigningKeys(t.Context(), t0)
	if err != nil || len(keys) != 2 || keys[0].Kid != "k1" || keys[0].Every != time.Hour || string(keys[0].Sealed) != "\x03" {
		t.Errorf("SigningKeys = %+v, %v", keys, err)
	}
	if keys, _ := s.SigningKeys(t.Context(), t0.Add(time.Hour)); len(keys) != 0 {
		t.Errorf("keys past sign_until are listed: %+v", keys)
	}
}

func TestRefreshAndApps(t *testing.T) {
	s := newStore(t)
	r := store.Refresh{Hash: "r1", Family: "f", Subject: "0xa", Namespace: "ns", Created: t0, Expires: t0.Add(time.Hour)}
	if err := s.PutRefresh(t.Context(), r); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.MarkRefreshUsed(t.Context(), "r1", t0); err != nil || !ok {
		t.Fatalf("first mark: %v, %v", ok, err)
	}
	if ok, _ := s.MarkRefreshUsed(t.Context(), "r1", t0); ok {
		t.Error("second mark succeeded")
	}
	if err := s.RevokeFamily(t.Context(), "f", t0); err != nil {
		t.Fatal(err)
	}
	if got, err := s.RefreshByHash(t.Context(), "r1"); err != nil || got.Used.IsZero() || got.Revoked.IsZero() {
		t.Errorf("RefreshByHash = %+v, %v", got, err)
	}
	a := store.App{ClientID: "app_1", Name: "x", Namespace: "ns", Wallet: "0xa", Created: t0}
	if err := s.PutApp(t.Context(), a); err != nil {
		t.Fatal(err)
	}
	a.ClientID = "app_2"
	if err := s.PutApp(t.Context(), a); plugintest.Code(err) != sdk.CodeConflict {
		t.Errorf("duplicate app name: %v", err)
	}
	a.Namespace = "ns2"
	if err := s.PutApp(t.Context(), a); err != nil {
		t.Errorf("same name in another namespace: %v", err)
	}
}

func TestNonceCaps(t *testing.T) {
	s := newStore(t)
	caps := store.NonceCaps{PerWallet: 2, PerIP: 3}
	put := func(nonce, wallet, ip string, at time.Time) error {
		return s.PutNonce(t.Context(), store.Nonce{Nonce: nonce, Wallet: wallet, Namespace: "ns", ClientIP: ip,
			Created: at, Expires: at.Add(time.Minute)}, caps)
	}
	for i, c := range []struct {
		nonce, wallet, ip string
		want              sdk.Code
	}{
		{"a1", "0xa", "ip1", ""},
		{"a2", "0xa", "ip2", ""},
		{"a3", "0xa", "ip3", sdk.CodeRateLimited}, // the wallet's third
		{"b1", "0xb", "ip1", ""},
		{"c1", "0xc", "ip1", ""},
		{"d1", "0xd", "ip1", sdk.CodeRateLimited}, // ip1's fourth
		{"d2", "0xd", "", ""},                     // unknown address: only the wallet counts
	} {
		if err := put(c.nonce, c.wallet, c.ip, t0); plugintest.Code(err) != c.want {
			t.Errorf("#%d %s: %v, want %q", i, c.nonce, err, c.want)
		}
	}
	// A used nonce no longer counts; nor does an expired one.
	if err := s.ConsumeNonce(t.Context(), "a1", "0xa", "ns", t0); err != nil {
		t.Fatal(err)
	}
	if err := put("a4", "0xa", "ip9", t0); err != nil {
		t.Errorf("after one was used: %v", err)
	}
	if err := put("d3", "0xd", "ip1", t0.Add(time.Minute)); err != nil {
		t.Errorf("after ip1's nonces expired: %v", err)
	}
	if n, err := s.OutstandingNonces(t.Context(), t0); err != nil || n != 6 {
		t.Errorf("OutstandingNonces = %d, %v; want 6", n, err)
	}
	if err := s.PurgeNonces(t.Context(), t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if n, err := s.NonceRows(t.Context()); err != nil || n != 1 {
		t.Errorf("rows after the purge = %d, %v; want 1 (only d3 is unexpired)", n, err)
	}
}

func TestMembers(t *testing.T) {
	s := newStore(t)
	if owner, err := s.ClaimNamespace(t.Context(), "ns", store.OperatorOwner, t0); err != nil || owner != store.OperatorOwner {
		t.Fatalf("operator claim: %q, %v", owner, err)
	}
	if owner, _ := s.ClaimNamespace(t.Context(), "ns", "0xa", t0); owner != store.OperatorOwner {
		t.Errorf("a wallet took an operator's namespace: owner %q", owner)
	}
	m := store.Member{Namespace: "ns", Wallet: "0xa", Role: "member", Added: t0}
	if err := s.PutMember(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	m.Role, m.Added = "owner", t0.Add(time.Hour)
	if err := s.PutMember(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	got, found, err := s.MemberOf(t.Context(), "ns", "0xa")
	if err != nil || !found || got.Role != "owner" || !got.Added.Equal(t0) {
		t.Errorf("MemberOf = %+v, %v, %v; want role owner, first added at t0", got, found, err)
	}
	if err := s.PutAPIKey(t.Context(), store.APIKey{ID: "k", Hash: "h", Namespace: "ns", Wallet: "0xa", Created: t0}); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveMember(t.Context(), "ns", "0xa", t0); err != nil {
		t.Fatal(err)
	}
	if k, _ := s.APIKeyByID(t.Context(), "k"); k.Revoked.IsZero() {
		t.Error("the removed member's key is not revoked")
	}
	if err := s.RemoveMember(t.Context(), "ns", "0xa", t0); plugintest.Code(err) != sdk.CodeNotFound {
		t.Errorf("remove again: %v, want not_found", err)
	}
}
