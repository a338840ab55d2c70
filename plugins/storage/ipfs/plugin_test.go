package ipfs

import (
	"context"
	"errors"
	"testing"
	"time"

	goplugin "github.com/hashicorp/go-plugin"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/storage"
	"github.com/orama-network/orama/sdk/storage/storagetest"
)

// TestConformanceOverPlugin runs the suite through go-plugin's gRPC
// transport, configuring the Store through the client's Base methods.
func TestConformanceOverPlugin(t *testing.T) {
	store := New(testLogger(t))
	conn, _ := goplugin.TestPluginGRPCConn(t, false, map[string]goplugin.Plugin{storage.Kind: &storage.Plugin{Impl: store}})
	t.Cleanup(func() { _ = conn.Close() })
	raw, err := conn.Dispense(storage.Kind)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := raw.(*storage.Client)
	if !ok {
		t.Fatalf("Dispense returned %T, want *storage.Client", raw)
	}
	ctx := t.Context()
	if info, err := c.Info(ctx); err != nil || info.Kind != storage.Kind || info.Name != "ipfs" {
		t.Errorf("Info = %+v, %v", info, err)
	}
	if h, err := c.Health(ctx); err != nil || h.OK {
		t.Errorf("Health before Configure = %+v, %v; want not OK", h, err)
	}
	err = c.ValidateConfig(ctx, testConfig(t, map[string]any{"driver": "kubo"}))
	var ce plugin.ConfigError
	if !errors.As(err, &ce) || len(ce) != 1 || ce[0].Attribute != "kubo_api" {
		t.Errorf("ValidateConfig of kubo without kubo_api = %#v, want a ConfigError naming kubo_api", err)
	}
	err = c.Configure(ctx, testConfig(t, map[string]any{"cid_version": "1"}))
	if !errors.As(err, &ce) || ce[0].Attribute != "cid_version" {
		t.Errorf("Configure with a string cid_version = %#v, want a ConfigError naming cid_version", err)
	}

	if err := c.Configure(ctx, testConfig(t, map[string]any{"cid_version": 1})); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	t.Cleanup(func() {
		cctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := c.Close(cctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	storagetest.Run(t, func(*testing.T) storage.Storage { return c }, storagetest.Options{CIDv1: true})
}
