package namespaced

import (
	"context"
	"errors"
	"testing"
	"time"

	goplugin "github.com/hashicorp/go-plugin"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/database/databasetest"
	"github.com/orama-network/orama/sdk/plugin"
)

// TestConformanceOverPlugin runs the suite through go-plugin's gRPC
// transport on the sqlite driver, configuring the Backend through the
// client's Base methods.
func TestConformanceOverPlugin(t *testing.T) {
	b := New(testLogger(t))
	conn, _ := goplugin.TestPluginGRPCConn(t, false, map[string]goplugin.Plugin{database.Kind: &database.Plugin{Impl: b}})
	t.Cleanup(func() { _ = conn.Close() })
	raw, err := conn.Dispense(database.Kind)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := raw.(*database.Client)
	if !ok {
		t.Fatalf("Dispense returned %T, want *database.Client", raw)
	}
	ctx := t.Context()
	if info, err := c.Info(ctx); err != nil || info.Kind != database.Kind {
		t.Errorf("Info = %+v, %v", info, err)
	}
	if h, err := c.Health(ctx); err != nil || h.OK {
		t.Errorf("Health before Configure = %+v, %v; want not OK", h, err)
	}
	err = c.ValidateConfig(ctx, testConfig(t, map[string]any{"driver": "rqlite", "retries": -1}))
	var ce plugin.ConfigError
	if !errors.As(err, &ce) || len(ce) != 2 || ce[0].Attribute != "retries" || ce[1].Attribute != "hosts" {
		t.Errorf("ValidateConfig = %#v, want ConfigErrors naming retries and hosts", err)
	}
	if err := c.Configure(ctx, testConfig(t, map[string]any{"max_rows": testMaxRows})); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	t.Cleanup(func() {
		cctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := c.Close(cctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	databasetest.RunWithOptions(t, databasetest.Options{MaxRows: testMaxRows}, func(*testing.T) database.Database { return c })
}
