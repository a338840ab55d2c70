package service_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/authtest"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

func nonceRows(t *testing.T, db database.Database) int64 {
	t.Helper()
	rows, err := db.Query(t.Context(), database.SystemNamespace, database.Statement{SQL: "SELECT count(*) FROM auth_nonces"})
	if err != nil {
		t.Fatal(err)
	}
	return rows.Rows[0][0].(int64)
}

// TestChallengeFloodBounded: a flood of challenges with fresh wallets
// from one address stores at most max_challenges_per_ip rows; once they
// expire they are purged and the address may ask again.
func TestChallengeFloodBounded(t *testing.T) {
	db, c := sqliteDB(t), newClock(time.Now())
	s := newService(t, db, c, map[string]any{"max_challenges_per_ip": 20})
	refused := 0
	for i := 0; i < 200; i++ {
		_, err := s.Challenge(t.Context(), authtest.NewETHWallet().Address(), "login", "flood", "198.51.100.7")
		if plugintest.Code(err) == sdk.CodeRateLimited {
			refused++
		} else if err != nil {
			t.Fatal(err)
		}
	}
	if refused != 180 || nonceRows(t, db) != 20 {
		t.Errorf("%d refused, %d rows; want 180 refused and 20 rows", refused, nonceRows(t, db))
	}
	c.Advance(auth.DefaultNonceTTL + 2*time.Minute) // expired, and past the purge interval
	if _, err := s.Challenge(t.Context(), authtest.NewETHWallet().Address(), "login", "flood", "198.51.100.7"); err != nil {
		t.Fatalf("a challenge after the flood expired: %v", err)
	}
	if n := nonceRows(t, db); n != 1 {
		t.Errorf("%d rows after the purge, want 1", n)
	}
}

// TestMigrateOldTables: tables made before this version — auth_nonces
// without client_ip, operator keys in namespaces nobody claimed — are
// brought up to date: the column is added, and such namespaces belong to
// the operator, so the next wallet cannot take them.
func TestMigrateOldTables(t *testing.T) {
	db, c := sqliteDB(t), newClock(time.Now())
	now := c.Now().UnixMilli()
	for _, sql := range []string{
		`CREATE TABLE auth_nonces (nonce TEXT PRIMARY KEY, wallet TEXT NOT NULL, namespace TEXT NOT NULL,
			purpose TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, used_at INTEGER)`,
		`CREATE TABLE auth_api_keys (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, namespace TEXT NOT NULL,
			plan TEXT NOT NULL, wallet TEXT NOT NULL, name TEXT NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER)`,
		fmt.Sprintf(`INSERT INTO auth_api_keys VALUES ('key_old', 'h', 'legacy', 'free', '', 'ci', %d, NULL)`, now),
		fmt.Sprintf(`INSERT INTO auth_nonces VALUES ('n_old', '0xa', 'x', 'login', %d, %d, NULL)`, now, now+60000),
	} {
		if _, err := db.Exec(t.Context(), database.SystemNamespace, database.Statement{SQL: sql}); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	s := newService(t, db, c, nil)
	if _, err := s.Challenge(t.Context(), authtest.NewETHWallet().Address(), "login", "x", "192.0.2.1"); err != nil {
		t.Fatalf("challenge on the migrated table: %v", err)
	}
	w := authtest.NewETHWallet()
	_, err := s.Verify(t.Context(), w.Proof(challenge(t, s, w.Address(), "legacy")))
	if plugintest.Code(err) != sdk.CodeForbidden {
		t.Errorf("a wallet signs in to a namespace with old operator keys: %v, want forbidden", err)
	}
	// Migrating again (another node, a restart) changes nothing.
	newService(t, db, c, nil)
}

func challenge(t *testing.T, a auth.Auth, wallet, ns string) auth.Challenge {
	t.Helper()
	ch, err := a.Challenge(t.Context(), wallet, "login", ns, "")
	if err != nil {
		t.Fatal(err)
	}
	return ch
}
