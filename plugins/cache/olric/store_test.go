package olric

import (
	"encoding/json"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/cache/cachetest"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// testConfig returns a plugin config whose block is attrs as JSON.
func testConfig(t testing.TB, attrs map[string]any) plugin.Config {
	t.Helper()
	raw, err := json.Marshal(attrs)
	if err != nil {
		t.Fatal(err)
	}
	return plugin.Config{Name: "cache", NodeID: "test", DataDir: t.TempDir(), Raw: raw}
}

func testLogger(t testing.TB) hclog.Logger { return plugintest.Logger(t, "cache") }

// startStore configures a Store with attrs and closes it at cleanup.
func startStore(t testing.TB, attrs map[string]any) *Store {
	t.Helper()
	s := New(testLogger(t))
	plugintest.Configure(t, s, testConfig(t, attrs))
	return s
}

func TestConformanceEmbedded(t *testing.T) {
	cachetest.Run(t, func(t *testing.T) cache.Cache { return startStore(t, nil) })
}

func TestConformanceClientMode(t *testing.T) {
	server := startStore(t, nil)
	client := startStore(t, map[string]any{"mode": "client", "servers": []string{server.cur.Load().addr}})
	cachetest.Run(t, func(*testing.T) cache.Cache { return client })

	h, err := client.Health(t.Context())
	if err != nil || !h.OK || h.Driver != "olric-client" {
		t.Errorf("client Health = %+v, %v", h, err)
	}
}
