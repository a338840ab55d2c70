package service_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/orama-network/orama/plugins/auth/service"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/authtest"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// TestTwoNodesShareKeysAndState runs two services ("nodes") on one
// database: a token issued by one verifies with the other's Keys, and
// nonces, API keys and refresh tokens work across them.
func TestTwoNodesShareKeysAndState(t *testing.T) {
	db, c := sqliteDB(t), newClock(time.Now())
	a := newService(t, db, c, nil)
	b := newService(t, db, c, nil)
	w := authtest.NewETHWallet()

	ch, err := a.Challenge(t.Context(), w.Address(), "login", "shared", "")
	if err != nil {
		t.Fatal(err)
	}
	sess, err := b.Verify(t.Context(), w.Proof(ch)) // nonce from a, verified on b
	if err != nil {
		t.Fatalf("Verify on node b of a nonce from node a: %v", err)
	}
	if _, err := a.Verify(t.Context(), w.Proof(ch)); plugintest.Code(err) != sdk.CodeUnauthorized {
		t.Errorf("replay on node a: %v, want unauthorized", err)
	}

	// b's token verifies with a's keys and the other way round.
	_, claims, err := verifierOf(a, c).Verify(t.Context(), sess.AccessToken)
	if err != nil {
		t.Fatalf("node b's token with node a's Keys: %v", err)
	}
	fromA := signIn(t, a, w, "shared")
	_, claimsA, err := verifierOf(b, c).Verify(t.Context(), fromA.AccessToken)
	if err != nil {
		t.Fatalf("node a's token with node b's Keys: %v", err)
	}
	if claims.KeyID != claimsA.KeyID {
		t.Errorf("the nodes sign with different keys: %s and %s", claims.KeyID, claimsA.KeyID)
	}

	// The API key and refresh token of one node work on the other.
	if p, err := a.ValidateAPIKey(t.Context(), sess.APIKey); err != nil || p.Namespace != "shared" {
		t.Errorf("b's API key on a: %+v, %v", p, err)
	}
	s2, err := a.Refresh(t.Context(), sess.RefreshToken, "shared")
	if err != nil {
		t.Fatalf("b's refresh token on a: %v", err)
	}
	if _, err := b.Refresh(t.Context(), sess.RefreshToken, "shared"); plugintest.Code(err) != sdk.CodeUnauthorized {
		t.Errorf("reuse on b after rotation on a: %v", err)
	}
	if _, err := b.Refresh(t.Context(), s2.RefreshToken, "shared"); plugintest.Code(err) != sdk.CodeUnauthorized {
		t.Errorf("family revoked on b, newest token still works on a? %v", err)
	}
}

// TestTwoNodesRaceOneNonce has two nodes verify one proof at once:
// exactly one wins.
func TestTwoNodesRaceOneNonce(t *testing.T) {
	db, c := sqliteDB(t), newClock(time.Now())
	nodes := []auth.Auth{newService(t, db, c, nil), newService(t, db, c, nil)}
	for round := 0; round < 10; round++ {
		w := authtest.NewETHWallet()
		ch, err := nodes[0].Challenge(t.Context(), w.Address(), "login", fmt.Sprintf("race-%d", round), "")
		if err != nil {
			t.Fatal(err)
		}
		p := w.Proof(ch)
		var wg sync.WaitGroup
		errs := make([]error, 6)
		for i := range errs {
			wg.Add(1)
			go func() { defer wg.Done(); _, errs[i] = nodes[i%2].Verify(t.Context(), p) }()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if plugintest.Code(err) != sdk.CodeUnauthorized {
				t.Errorf("round %d: %v", round, err)
			}
		}
		if ok != 1 {
			t.Fatalf("round %d: %d verifies of one nonce succeeded across two nodes, want 1", round, ok)
		}
	}
}

// TestKeysSurviveRestart: a node restarted with the same key_secret signs
// with the same key, and earlier tokens still verify.
func TestKeysSurviveRestart(t *testing.T) {
	db, c := sqliteDB(t), newClock(time.Now())
	first := newService(t, db, c, nil)
	sess := signIn(t, first, authtest.NewETHWallet(), "restart")
	_ = first.Close(t.Context())

	second := newService(t, db, c, nil)
	if _, _, err := verifierOf(second, c).Verify(t.Context(), sess.AccessToken); err != nil {
		t.Fatalf("token from before the restart: %v", err)
	}
	k1, _ := second.Keys(t.Context())
	if len(k1) != 1 {
		t.Errorf("Keys after a restart: %d keys, want the one from before", len(k1))
	}
}

// TestWrongKeySecret: a node whose key_secret does not open the stored
// keys refuses to start, naming key_secret.
func TestWrongKeySecret(t *testing.T) {
	db, c := sqliteDB(t), newClock(time.Now())
	newService(t, db, c, nil)
	s := service.New(nil, service.WithDatabase(db), service.WithClock(c.Now))
	err := s.Configure(t.Context(), plugin.Config{Name: "auth", Raw: rawConfig(map[string]any{"key_secret": testSecret + "-other"})})
	var ce plugin.ConfigError
	if !errors.As(err, &ce) || len(ce) != 1 || ce[0].Attribute != "key_secret" {
		t.Fatalf("Configure with another key_secret: %v, want a ConfigError on key_secret", err)
	}
}
