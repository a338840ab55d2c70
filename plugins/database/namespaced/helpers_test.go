package namespaced

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
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

func testLogger(t testing.TB) hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{Name: "database", Level: hclog.Warn, Output: testWriter{t}})
}

// testWriter sends log lines to the test's log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}

// startBackend configures a Backend with attrs and closes it at cleanup.
func startBackend(t testing.TB, attrs map[string]any) *Backend {
	t.Helper()
	b := New(testLogger(t))
	if err := b.Configure(context.Background(), testConfig(t, attrs)); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := b.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return b
}

// wantCode fails unless err is an *sdk.Error of code.
func wantCode(t testing.TB, err error, code sdk.Code, what string) *sdk.Error {
	t.Helper()
	var e *sdk.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Errorf("%s: got %v, want code %s", what, err, code)
		return nil
	}
	return e
}
