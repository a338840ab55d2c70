package namespaced

import (
	"encoding/json"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// testConfig returns a plugin config whose block is attrs as JSON.
func testConfig(t testing.TB, attrs map[string]any) plugin.Config {
	t.Helper()
	var raw []byte
	if attrs != nil {
		raw = mustJSON(attrs)
	}
	return pluginConfig(t.TempDir(), raw)
}

func pluginConfig(dataDir string, raw []byte) plugin.Config {
	return plugin.Config{Name: "database", NodeID: "test", DataDir: dataDir, Raw: raw}
}

func mustJSON(v any) []byte {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return raw
}

func testLogger(t testing.TB) hclog.Logger { return plugintest.Logger(t, "database") }

// startBackend configures a Backend with attrs and closes it at cleanup.
func startBackend(t testing.TB, attrs map[string]any) *Backend {
	t.Helper()
	b := New(testLogger(t))
	plugintest.Configure(t, b, testConfig(t, attrs))
	return b
}
