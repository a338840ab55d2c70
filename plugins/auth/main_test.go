package main

import (
	"context"
	"testing"
	"time"

	"github.com/orama-network/orama/plugins/auth/service"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/authtest"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"google.golang.org/grpc"
)

// TestBinaryConformance builds orama-plugin-auth and orama-plugin-database,
// starts both as the host would, gives the auth plugin a host API that
// serves the database plugin's client, and runs the conformance suite
// against the auth binary: real processes, real SQLite, real clock.
func TestBinaryConformance(t *testing.T) {
	db := plugintest.Launch[*database.Client](t, "../database", database.Kind, &database.Plugin{})
	a := plugintest.Launch[*auth.Client](t, ".", auth.Kind, &auth.Plugin{})
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()

	if err := db.Configure(ctx, plugin.Config{Name: "database", NodeID: "node-1", DataDir: t.TempDir()}); err != nil {
		t.Fatalf("configure the database plugin: %v", err)
	}

	a.SetHostServer(func(opts []grpc.ServerOption) *grpc.Server {
		s := grpc.NewServer(opts...)
		database.Register(s, db) // the host proxies the database domain
		return s
	})
	raw := []byte(`{"key_secret": "binary-test-secret-0123456789abcdefgh", "nonce_ttl": "1s"}`)
	if err := a.Configure(ctx, plugin.Config{Name: "auth", NodeID: "node-1", Raw: raw}); err != nil {
		t.Fatalf("configure the auth plugin: %v", err)
	}
	if info, err := a.Info(ctx); err != nil || info.Kind != auth.Kind {
		t.Fatalf("Info = %+v, %v", info, err)
	}
	env := authtest.Env{Auth: a, Issuer: "orama", Audience: "orama-gateway", NonceTTL: time.Second,
		MaxChallengesPerWallet: service.DefaultMaxChallengesPerWallet, MaxChallengesPerIP: service.DefaultMaxChallengesPerIP}
	authtest.Run(t, func(*testing.T) authtest.Env { return env })
}
