package ipfs

import (
	"testing"

	"github.com/orama-network/orama/plugins/storage/internal/kubotest"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/storage"
	"github.com/orama-network/orama/sdk/storage/storagetest"
)

// TestConformanceOverPlugin runs the suite through go-plugin's gRPC
// transport, configuring the Store through the client's Base methods.
func TestConformanceOverPlugin(t *testing.T) {
	c := plugintest.InProcess[*storage.Client](t, storage.Kind, &storage.Plugin{Impl: New(testLogger(t))})
	ctx := t.Context()
	plugintest.WantIdle(t, c, storage.Kind, "ipfs")
	plugintest.WantConfigError(t, c.ValidateConfig(ctx, testConfig(t, map[string]any{"driver": "kubo"})), "ValidateConfig of kubo without kubo_api", "kubo_api")
	plugintest.WantConfigError(t, c.Configure(ctx, testConfig(t, map[string]any{"cid_version": "1"})), "Configure with a string cid_version", "cid_version")

	plugintest.Configure(t, c, testConfig(t, map[string]any{"cid_version": 1}))
	storagetest.Run(t, func(*testing.T) storage.Storage { return c }, storagetest.Options{CIDv1: true})
}

// TestConformanceKuboOverPlugin runs the suite through go-plugin's gRPC
// transport on the kubo driver (a real offline kubo daemon).
func TestConformanceKuboOverPlugin(t *testing.T) {
	k := kubotest.Start(t)
	c := plugintest.InProcess[*storage.Client](t, storage.Kind, &storage.Plugin{Impl: New(testLogger(t))})
	plugintest.Configure(t, c, testConfig(t, map[string]any{"driver": "kubo", "kubo_api": k.API}))
	storagetest.Run(t, func(*testing.T) storage.Storage { return c }, storagetest.Options{})
}
