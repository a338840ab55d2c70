package service_test

import (
	"context"
	"testing"
	"time"

	goplugin "github.com/hashicorp/go-plugin"
	"github.com/orama-network/orama/plugins/auth/service"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/authtest"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin"
	"google.golang.org/grpc"
)

// TestConformance runs the suite against the service on the real SQLite
// database backend, with a clock the suite advances.
func TestConformance(t *testing.T) {
	c := newClock(time.Now())
	s := newService(t, sqliteDB(t), c, nil)
	env := authtest.Env{Auth: s, Issuer: "orama", Audience: "orama-gateway", NonceTTL: 5 * time.Minute, Now: c.Now, Advance: c.Advance,
		MaxChallengesPerWallet: service.DefaultMaxChallengesPerWallet, MaxChallengesPerIP: service.DefaultMaxChallengesPerIP}
	authtest.Run(t, func(*testing.T) authtest.Env { return env })
}

// TestConformanceSimpleKeysAllowed runs the suite with unsigned keys
// allowed and custom issuer, audience and nonce lifetime.
func TestConformanceSimpleKeysAllowed(t *testing.T) {
	c := newClock(time.Now())
	s := newService(t, sqliteDB(t), c, map[string]any{
		"allow_simple_keys": true, "issuer": "test-iss", "audience": "test-aud", "nonce_ttl": "30s",
		"max_challenges_per_wallet": 3, "max_challenges_per_ip": 7,
	})
	env := authtest.Env{Auth: s, Issuer: "test-iss", Audience: "test-aud", NonceTTL: 30 * time.Second,
		Now: c.Now, Advance: c.Advance, SimpleKeys: true, MaxChallengesPerWallet: 3, MaxChallengesPerIP: 7}
	authtest.Run(t, func(*testing.T) authtest.Env { return env })
}

// hostOf serves db as the database domain of a host API, the way the host
// offers it to plugins through the go-plugin broker.
func hostOf(db database.Database) func([]grpc.ServerOption) *grpc.Server {
	return func(opts []grpc.ServerOption) *grpc.Server {
		s := grpc.NewServer(opts...)
		database.Register(s, db)
		return s
	}
}

// dispense runs impl as a plugin over go-plugin's gRPC transport (with
// the broker) and returns the host-side client.
func dispense(t *testing.T, impl auth.Backend) *auth.Client {
	t.Helper()
	client, _ := goplugin.TestPluginGRPCConn(t, false, map[string]goplugin.Plugin{auth.Kind: &auth.Plugin{Impl: impl}})
	t.Cleanup(func() { _ = client.Close() })
	raw, err := client.Dispense(auth.Kind)
	if err != nil {
		t.Fatal(err)
	}
	return raw.(*auth.Client)
}

// TestConformanceThroughHostAPI runs the suite over gRPC against the
// plugin, which reaches the real SQLite database only through the host
// API (cfg.Host over the go-plugin broker), as in production.
func TestConformanceThroughHostAPI(t *testing.T) {
	c := newClock(time.Now())
	client := dispense(t, service.New(nil, service.WithClock(c.Now)))
	client.SetHostServer(hostOf(sqliteDB(t)))
	if err := client.Configure(t.Context(), plugin.Config{Name: "auth", Raw: rawConfig(nil)}); err != nil {
		t.Fatalf("Configure through go-plugin: %v", err)
	}
	t.Cleanup(func() { _ = client.Close(context.Background()) })
	env := authtest.Env{Auth: client, Issuer: "orama", Audience: "orama-gateway", Now: c.Now, Advance: c.Advance,
		MaxChallengesPerWallet: service.DefaultMaxChallengesPerWallet, MaxChallengesPerIP: service.DefaultMaxChallengesPerIP}
	authtest.Run(t, func(*testing.T) authtest.Env { return env })
}
