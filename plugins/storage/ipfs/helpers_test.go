package ipfs

import (
	"encoding/json"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/plugins/storage/internal/kubotest"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/storage"
)

// testConfig is a plugin.Config for the attributes, with a fresh data dir.
func testConfig(t testing.TB, attrs map[string]any) plugin.Config {
	t.Helper()
	return testConfigIn(t, t.TempDir(), attrs)
}

func testConfigIn(t testing.TB, dir string, attrs map[string]any) plugin.Config {
	t.Helper()
	raw, err := json.Marshal(attrs)
	if err != nil {
		t.Fatal(err)
	}
	if attrs == nil {
		raw = nil
	}
	return plugin.Config{Name: "storage", NodeID: "node-1", DataDir: dir, Raw: raw}
}

func testLogger(t testing.TB) hclog.Logger { return plugintest.Logger(t, "storage") }

// startStore configures a Store with attrs; it is closed at cleanup.
func startStore(t testing.TB, attrs map[string]any) *Store {
	t.Helper()
	return startStoreWith(t, testConfig(t, attrs))
}

func startStoreWith(t testing.TB, cfg plugin.Config) *Store {
	t.Helper()
	s := New(testLogger(t))
	plugintest.Configure(t, s, cfg)
	return s
}

// startKuboStore starts a real offline kubo daemon and a Store on it.
func startKuboStore(t testing.TB, attrs map[string]any) (*Store, *kubotest.Daemon) {
	t.Helper()
	k := kubotest.Start(t)
	all := map[string]any{"driver": "kubo", "kubo_api": k.API}
	for a, v := range attrs {
		all[a] = v
	}
	return startStore(t, all), k
}

// driverStat is the driver's size of id: whether the node still holds the
// content, whichever namespace pins it (Stat answers only for a
// namespace's own pins).
func driverStat(t testing.TB, s *Store, id string) error {
	t.Helper()
	c, err := storage.ParseCID(id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err = s.cur.Load().drv.Size(t.Context(), c); err != nil {
		return sdk.AsError(err)
	}
	return nil
}
