package service_test

import (
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/authtest"
)

func kids(t *testing.T, a auth.Auth) (all map[string]bool, signing string) {
	t.Helper()
	keys, err := a.Keys(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	all = map[string]bool{}
	for _, k := range keys {
		all[k.Kid] = true
		if k.Signing {
			if signing != "" {
				t.Errorf("two signing keys: %s and %s", signing, k.Kid)
			}
			signing = k.Kid
		}
	}
	return all, signing
}

// TestRotation: with rotate_every 1h, token_ttl 15m and clock_skew 60s, a
// new key signs from the top of each hour; the old one stays in Keys
// until 16 minutes past (its last token's expiry plus skew), so tokens it
// signed just before the rotation keep verifying.
func TestRotation(t *testing.T) {
	db := sqliteDB(t)
	c := newClock(time.Date(2030, 1, 1, 0, 58, 0, 0, time.UTC))
	attrs := map[string]any{"rotate_every": "1h", "token_ttl": "15m", "clock_skew": "60s"}
	a, b := newService(t, db, c, attrs), newService(t, db, c, attrs)
	v := verifierOf(b, c)
	w := authtest.NewETHWallet()

	old := signIn(t, a, w, "rot")
	_, oldClaims, err := v.Verify(t.Context(), old.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if _, signing := kids(t, a); signing != oldClaims.KeyID {
		t.Errorf("signing key %s, token kid %s", signing, oldClaims.KeyID)
	}

	c.Set(time.Date(2030, 1, 1, 1, 1, 0, 0, time.UTC))
	fresh := signIn(t, b, w, "rot") // node b makes the new slot's key
	_, freshClaims, err := v.Verify(t.Context(), fresh.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if freshClaims.KeyID == oldClaims.KeyID {
		t.Fatal("no new signing key after rotate_every")
	}
	fromA := signIn(t, a, w, "rot") // node a signs with b's key of this slot
	if _, c2, err := v.Verify(t.Context(), fromA.AccessToken); err != nil || c2.KeyID != freshClaims.KeyID {
		t.Errorf("node a after the rotation: kid %s, %v; want %s", c2.KeyID, err, freshClaims.KeyID)
	}
	all, signing := kids(t, a)
	if !all[oldClaims.KeyID] || signing != freshClaims.KeyID {
		t.Errorf("Keys at 01:01: %v signing %s; want both, %s signing", all, signing, freshClaims.KeyID)
	}
	if _, _, err := verifierOf(a, c).Verify(t.Context(), old.AccessToken); err != nil {
		t.Errorf("token signed before the rotation, still live: %v", err)
	}

	c.Set(time.Date(2030, 1, 1, 1, 15, 59, 0, time.UTC))
	if all, _ := kids(t, a); !all[oldClaims.KeyID] {
		t.Error("old key gone before its last token's expiry plus skew")
	}
	c.Set(time.Date(2030, 1, 1, 1, 16, 1, 0, time.UTC))
	if all, _ := kids(t, b); all[oldClaims.KeyID] || !all[freshClaims.KeyID] {
		t.Errorf("Keys at 01:16:01: %v; want only %s", all, freshClaims.KeyID)
	}
}
