package namespaced

import (
	"testing"

	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/database/databasetest"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// TestConformanceOverPlugin runs the suite through go-plugin's gRPC
// transport on the sqlite driver, configuring the Backend through the
// client's Base methods.
func TestConformanceOverPlugin(t *testing.T) {
	c := plugintest.InProcess[*database.Client](t, database.Kind, &database.Plugin{Impl: New(testLogger(t))})
	ctx := t.Context()
	plugintest.WantIdle(t, c, database.Kind, "sql")
	plugintest.WantConfigError(t, c.ValidateConfig(ctx, testConfig(t, map[string]any{"driver": "rqlite", "retries": -1})), "ValidateConfig", "retries", "hosts")

	plugintest.Configure(t, c, testConfig(t, map[string]any{"max_rows": testMaxRows}))
	databasetest.RunWithOptions(t, databasetest.Options{MaxRows: testMaxRows}, func(*testing.T) database.Database { return c })
}
