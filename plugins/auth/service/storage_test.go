package service_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/authtest"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// dump returns every cell of the system namespace's auth tables as text.
func dump(t *testing.T, db database.Database) string {
	t.Helper()
	var b strings.Builder
	for _, table := range []string{"auth_nonces", "auth_api_keys", "auth_refresh_tokens", "auth_signing_keys", "auth_apps", "auth_namespaces"} {
		rows, err := db.Query(t.Context(), database.SystemNamespace, database.Statement{SQL: "SELECT * FROM " + table})
		if err != nil {
			t.Fatalf("read %s: %v", table, err)
		}
		for _, r := range rows.Rows {
			for _, v := range r {
				switch x := v.(type) {
				case string:
					b.WriteString(x)
				case []byte:
					b.Write(x)
				}
				b.WriteByte('|')
			}
		}
	}
	return b.String()
}

// TestNoSecretsAtRest: API keys and refresh tokens are stored only as
// hashes; the private signing key only sealed.
func TestNoSecretsAtRest(t *testing.T) {
	db, c := sqliteDB(t), newClock(time.Now())
	s := newService(t, db, c, nil)
	sess := signIn(t, s, authtest.NewETHWallet(), "at-rest")
	op, err := s.CreateKey(t.Context(), "at-rest", "ci", "free")
	if err != nil {
		t.Fatal(err)
	}
	stored := dump(t, db)
	for name, secret := range map[string]string{
		"session API key": sess.APIKey, "operator key": op.Key, "refresh token": sess.RefreshToken,
	} {
		part, _, _ := strings.Cut(secret, ":")
		if strings.Contains(stored, part[3:]) || strings.Contains(stored, part) {
			t.Errorf("the %s is stored in clear", name)
		}
	}
	if !strings.Contains(stored, "at-rest") {
		t.Fatal("the dump misses the namespace: is it reading the right tables?")
	}
	// The sealed seed does not contain the public key's private half in
	// any recognisable form: check it is the size of nonce+seed+tag and
	// differs from the stored public key.
	rows, err := db.Query(t.Context(), database.SystemNamespace, database.Statement{SQL: "SELECT public_key, wrapped_seed FROM auth_signing_keys"})
	if err != nil || len(rows.Rows) != 1 {
		t.Fatalf("signing keys: %v, %v", rows, err)
	}
	pub, sealed := rows.Rows[0][0].([]byte), rows.Rows[0][1].([]byte)
	if len(pub) != 32 || len(sealed) != 12+32+16 || bytes.Contains(sealed, pub) {
		t.Errorf("signing key row: public %d bytes, sealed %d bytes", len(pub), len(sealed))
	}
}

// TestRefreshExpiry: a refresh token stops working after refresh_ttl.
func TestRefreshExpiry(t *testing.T) {
	c := newClock(time.Now())
	s := newService(t, sqliteDB(t), c, map[string]any{"refresh_ttl": "1h"})
	sess := signIn(t, s, authtest.NewETHWallet(), "rt-exp")
	c.Advance(time.Hour + time.Second)
	if _, err := s.Refresh(t.Context(), sess.RefreshToken, "rt-exp"); plugintest.Code(err) != "unauthorized" {
		t.Errorf("refresh after refresh_ttl: %v, want unauthorized", err)
	}
}

// TestPurge: expired nonces are deleted by a later Challenge.
func TestPurge(t *testing.T) {
	db, c := sqliteDB(t), newClock(time.Now())
	s := newService(t, db, c, nil)
	w := authtest.NewETHWallet()
	if _, err := s.Challenge(t.Context(), w.Address(), "login", "purge", ""); err != nil {
		t.Fatal(err)
	}
	c.Advance(auth.DefaultNonceTTL + 2*time.Minute)
	if _, err := s.Challenge(t.Context(), w.Address(), "login", "purge", ""); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(t.Context(), database.SystemNamespace, database.Statement{SQL: "SELECT count(*) FROM auth_nonces"})
	if err != nil {
		t.Fatal(err)
	}
	if n := rows.Rows[0][0]; n != int64(1) {
		t.Errorf("%v nonces left, want 1 (the expired one purged)", n)
	}
}
