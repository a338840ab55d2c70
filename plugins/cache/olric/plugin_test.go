package olric

import (
	"testing"

	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/cache/cachetest"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// TestConformanceOverPlugin runs the suite through go-plugin's gRPC
// transport, configuring the Store through the client's Base methods.
func TestConformanceOverPlugin(t *testing.T) {
	c := plugintest.InProcess[*cache.Client](t, cache.Kind, &cache.Plugin{Impl: New(testLogger(t))})
	ctx := t.Context()
	plugintest.WantIdle(t, c, cache.Kind, "olric")

	// Field errors survive the trip with their attribute names.
	plugintest.WantConfigError(t, c.ValidateConfig(ctx, testConfig(t, map[string]any{"mode": "bogus", "replica_count": 0})), "ValidateConfig of a bad mode", "mode")
	plugintest.WantConfigError(t, c.Configure(ctx, testConfig(t, map[string]any{"bind_port": "80"})), "Configure with a string port", "bind_port")

	plugintest.Configure(t, c, testConfig(t, nil))
	cachetest.Run(t, func(*testing.T) cache.Cache { return c })
}
