package olric

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/cache/cachetest"
	"github.com/orama-network/orama/sdk/plugin"
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

func testLogger(t testing.TB) hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{Name: "cache", Level: hclog.Warn, Output: testWriter{t}})
}

// testWriter sends log lines to the test's log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

// startStore configures a Store with attrs and closes it at cleanup.
func startStore(t testing.TB, attrs map[string]any) *Store {
	t.Helper()
	s := New(testLogger(t))
	if err := s.Configure(context.Background(), testConfig(t, attrs)); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
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
