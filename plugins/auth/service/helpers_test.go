package service_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/orama-network/orama/plugins/auth/service"
	"github.com/orama-network/orama/plugins/database/namespaced"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/authtest"
	"github.com/orama-network/orama/sdk/auth/jwtverify"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin"
)

const testSecret = "test-key-secret-0123456789abcdefghijkl"

// sqliteDB returns the real database plugin backend on a SQLite file
// under a temporary directory, closed at cleanup.
func sqliteDB(t *testing.T) database.Database {
	t.Helper()
	b := namespaced.New(nil)
	if err := b.Configure(t.Context(), plugin.Config{Name: "database", NodeID: "test", DataDir: t.TempDir()}); err != nil {
		t.Fatalf("configure the sqlite database: %v", err)
	}
	t.Cleanup(func() { _ = b.Close(context.Background()) })
	return b
}

// clock is a settable clock shared by services and verifiers.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock(start time.Time) *clock { return &clock{now: start} }

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

func (c *clock) Set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

// rawConfig returns attrs as a config block, key_secret included unless
// attrs sets it.
func rawConfig(attrs map[string]any) json.RawMessage {
	m := map[string]any{"key_secret": testSecret}
	for k, v := range attrs {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, _ := json.Marshal(m)
	return b
}

// newService configures a Service on db with clock c and attrs, closed
// at cleanup.
func newService(t *testing.T, db database.Database, c *clock, attrs map[string]any) *service.Service {
	t.Helper()
	s := service.New(nil, service.WithDatabase(db), service.WithClock(c.Now))
	if err := s.Configure(t.Context(), plugin.Config{Name: "auth", Raw: rawConfig(attrs)}); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

// verifierOf verifies tokens with a's keys on clock c (default iss/aud).
func verifierOf(a auth.Auth, c *clock) *jwtverify.Verifier {
	return &jwtverify.Verifier{Keys: a.Keys, Issuer: "orama", Audience: "orama-gateway", Now: c.Now}
}

// signIn signs a new ETH wallet in to namespace on a.
func signIn(t *testing.T, a auth.Auth, w *authtest.ETHWallet, ns string) auth.Session {
	t.Helper()
	c, err := a.Challenge(t.Context(), w.Address(), "login", ns, "")
	if err != nil {
		t.Fatal(err)
	}
	s, err := a.Verify(t.Context(), w.Proof(c))
	if err != nil {
		t.Fatal(err)
	}
	return s
}
