package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/authtest"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin"
	"google.golang.org/grpc"
)

// build compiles the plugin in dir (relative to this one) into a
// temporary binary.
func build(t *testing.T, dir, name string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go tool is needed to build the plugins: %v", err)
	}
	bin := filepath.Join(t.TempDir(), name)
	if out, err := exec.Command(goTool, "build", "-o", bin, dir).CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", dir, err, out)
	}
	return bin
}

// start launches a plugin binary the way the host does (go-plugin, gRPC,
// AutoMTLS) and returns what it dispenses.
func start(t *testing.T, bin, kind string, p goplugin.Plugin) any {
	t.Helper()
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  plugin.Handshake,
		VersionedPlugins: map[int]goplugin.PluginSet{plugin.ProtocolVersion: {kind: p}},
		Cmd:              exec.Command(bin),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		Logger:           hclog.New(&hclog.LoggerOptions{Name: "host", Level: hclog.Warn, Output: hclog.DefaultOutput}),
	})
	t.Cleanup(client.Kill)
	rpc, err := client.Client()
	if err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	raw, err := rpc.Dispense(kind)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestBinaryConformance builds orama-plugin-auth and orama-plugin-database,
// starts both as the host would, gives the auth plugin a host API that
// serves the database plugin's client, and runs the conformance suite
// against the auth binary: real processes, real SQLite, real clock.
func TestBinaryConformance(t *testing.T) {
	dbBin := build(t, "../database", "orama-plugin-database")
	authBin := build(t, ".", "orama-plugin-auth")
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()

	db := start(t, dbBin, database.Kind, &database.Plugin{}).(*database.Client)
	if err := db.Configure(ctx, plugin.Config{Name: "database", NodeID: "node-1", DataDir: t.TempDir()}); err != nil {
		t.Fatalf("configure the database plugin: %v", err)
	}

	a := start(t, authBin, auth.Kind, &auth.Plugin{}).(*auth.Client)
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
	env := authtest.Env{Auth: a, Issuer: "orama", Audience: "orama-gateway", NonceTTL: time.Second}
	authtest.Run(t, func(*testing.T) authtest.Env { return env })
}
