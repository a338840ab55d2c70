package ipfs

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/plugins/storage/internal/kubotest"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
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

func testLogger(t testing.TB) hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{Name: "storage", Level: hclog.Warn, Output: hclog.DefaultOutput})
}

// startStore configures a Store with attrs; it is closed at cleanup.
func startStore(t testing.TB, attrs map[string]any) *Store {
	t.Helper()
	return startStoreWith(t, testConfig(t, attrs))
}

func startStoreWith(t testing.TB, cfg plugin.Config) *Store {
	t.Helper()
	s := New(testLogger(t))
	if err := s.Configure(t.Context(), cfg); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
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

func wantCode(t testing.TB, err error, code sdk.Code, what string) {
	t.Helper()
	var e *sdk.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Errorf("%s: got %v, want code %s", what, err, code)
	}
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
