package olric

import (
	"context"
	"errors"
	"testing"
	"time"

	goplugin "github.com/hashicorp/go-plugin"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/cache/cachetest"
	"github.com/orama-network/orama/sdk/plugin"
)

// TestConformanceOverPlugin runs the suite through go-plugin's gRPC
// transport, configuring the Store through the client's Base methods.
func TestConformanceOverPlugin(t *testing.T) {
	store := New(testLogger(t))
	conn, _ := goplugin.TestPluginGRPCConn(t, false, map[string]goplugin.Plugin{cache.Kind: &cache.Plugin{Impl: store}})
	t.Cleanup(func() {
		_ = conn.Close() // also stops the server
	})
	raw, err := conn.Dispense(cache.Kind)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := raw.(*cache.Client)
	if !ok {
		t.Fatalf("Dispense returned %T, want *cache.Client", raw)
	}
	ctx := t.Context()

	info, err := c.Info(ctx)
	if err != nil || info.Kind != cache.Kind || info.Name != "olric" {
		t.Errorf("Info = %+v, %v", info, err)
	}
	if h, err := c.Health(ctx); err != nil || h.OK {
		t.Errorf("Health before Configure = %+v, %v; want not OK", h, err)
	}

	// Field errors survive the trip with their attribute names.
	err = c.ValidateConfig(ctx, testConfig(t, map[string]any{"mode": "bogus", "replica_count": 0}))
	var ce plugin.ConfigError
	if !errors.As(err, &ce) || len(ce) != 1 || ce[0].Attribute != "mode" {
		t.Errorf("ValidateConfig of a bad mode = %#v, want a ConfigError naming mode", err)
	}
	err = c.Configure(ctx, testConfig(t, map[string]any{"bind_port": "80"}))
	if !errors.As(err, &ce) || ce[0].Attribute != "bind_port" {
		t.Errorf("Configure with a string port = %#v, want a ConfigError naming bind_port", err)
	}

	if err := c.Configure(ctx, testConfig(t, nil)); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	t.Cleanup(func() {
		cctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := c.Close(cctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	cachetest.Run(t, func(*testing.T) cache.Cache { return c })
}
