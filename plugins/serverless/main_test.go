package main

import (
	"context"
	"testing"
	"time"

	"github.com/orama-network/orama/plugins/database/namespaced"
	"github.com/orama-network/orama/plugins/storage/ipfs"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/hostapi"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/pubsub"
	"github.com/orama-network/orama/sdk/serverless"
	"github.com/orama-network/orama/sdk/serverless/serverlesstest"
	"github.com/orama-network/orama/sdk/storage"
	"google.golang.org/grpc"
)

// TestBinaryConformance builds orama-plugin-serverless, starts it as the
// host would (go-plugin, gRPC, AutoMTLS), gives it a host API serving the
// real SQLite database backend, the real embedded storage backend and the
// local pubsub broker, and runs the conformance suite through it.
func TestBinaryConformance(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	db := namespaced.New(nil)
	plugintest.Configure(t, db, plugin.Config{Name: "database", NodeID: "node-1", DataDir: t.TempDir()})
	st := ipfs.New(nil)
	plugintest.Configure(t, st, plugin.Config{Name: "storage", NodeID: "node-1", DataDir: t.TempDir()})
	ps := pubsub.NewBroker(pubsub.BrokerOptions{})
	t.Cleanup(func() { _ = ps.Close() })

	c := plugintest.Launch[*serverless.Client](t, ".", serverless.Kind, &serverless.Plugin{})
	c.SetHostServer(func(opts []grpc.ServerOption) *grpc.Server {
		s := grpc.NewServer(opts...)
		hostapi.Register(s, &plugintest.Host{})
		database.Register(s, db)
		storage.Register(s, st)
		pubsub.Register(s, ps)
		return s
	})
	if err := c.ValidateConfig(ctx, plugin.Config{Name: "serverless", Raw: []byte(`{"max_concurrency": 0}`)}); err == nil {
		t.Error("ValidateConfig of max_concurrency 0: no error")
	}
	raw := []byte(`{"key_secret": "binary-test-secret-0123456789abcdefgh"}`)
	if err := c.Configure(ctx, plugin.Config{Name: "serverless", NodeID: "node-1", DataDir: t.TempDir(), Raw: raw}); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	if info, err := c.Info(ctx); err != nil || info.Kind != serverless.Kind || info.Name != "wazero" {
		t.Fatalf("Info = %+v, %v", info, err)
	}
	serverlesstest.Run(t, func(*testing.T) serverless.Serverless { return c })
}
