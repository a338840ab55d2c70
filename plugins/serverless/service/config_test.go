package service_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/orama-network/orama/plugins/serverless/service"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/serverless"
)

func TestConfigDefaults(t *testing.T) {
	c, err := service.ParseConfig(plugin.Config{Name: "serverless", DataDir: "/data", Raw: json.RawMessage(`{}`)})
	if err != nil {
		t.Fatal(err)
	}
	if c.MaxModuleBytes != 10<<20 || c.CacheBytes != 256<<20 || c.MaxConcurrency != 16 || c.MaxNamespaceConcurrency != 64 ||
		c.MaxOutputBytes != 1<<20 || c.MaxLogBytes != 64<<10 || c.LogsPerFunction != 1000 || c.MetadataTTL != "2s" ||
		c.HTTPTimeout != "10s" || c.HTTPMaxBytes != 1<<20 {
		t.Errorf("defaults: %+v", c)
	}
	if c.CacheDir != "/data/serverless/wazero-cache" || c.KeySecretFile != "key_secret" {
		t.Errorf("cache_dir %q, key_secret_file %q", c.CacheDir, c.KeySecretFile)
	}
}

func TestConfigErrors(t *testing.T) {
	for raw, attrs := range map[string][]string{
		`{"max_module_bytes": 0}`:                                  {"max_module_bytes"},
		`{"max_module_bytes": 33554433}`:                           {"max_module_bytes"},
		`{"max_concurrency": 0, "max_namespace_concurrency": -1}`:  {"max_concurrency", "max_namespace_concurrency"},
		`{"metadata_ttl": "soon"}`:                                 {"metadata_ttl"},
		`{"http_timeout": "0s"}`:                                   {"http_timeout"},
		`{"http_allow": ["127.0.0.1:8080", "10.0.0.0/8", "nope"]}`: {"http_allow"},
		`{"key_secret": "short"}`:                                  {"key_secret"},
		`{"key_secret": "0123456789012345678901234567890123456789", "key_secret_file": "x"}`: {"key_secret_file"},
		`{"logs_per_function": 0}`:    {"logs_per_function"},
		`{"no_such": 1}`:              {"no_such"},
		`{"max_output_bytes": "big"}`: {"max_output_bytes"},
	} {
		_, err := service.ParseConfig(plugin.Config{Raw: json.RawMessage(raw)})
		plugintest.WantConfigError(t, err, raw, attrs...)
	}
}

func TestKeySecretFileCreated(t *testing.T) {
	b := newBackends(t)
	dir := t.TempDir()
	s := service.New(nil, service.WithDatabase(b.db), service.WithStorage(b.store), service.WithCache(b.cache), service.WithPubSub(b.pubsub))
	plugintest.Configure(t, s, plugin.Config{Name: "serverless", DataDir: dir, Raw: json.RawMessage(`{}`)})
	fi, err := os.Stat(filepath.Join(dir, "serverless", "key_secret"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key_secret file: %v, %v", fi, err)
	}
	if err := s.SetSecret(t.Context(), "ns", "k", []byte("v")); err != nil {
		t.Fatal(err)
	}
}

func TestLifecycle(t *testing.T) {
	s := service.New(nil)
	plugintest.WantIdle(t, s, serverless.Kind, "wazero")
	_, err := s.List(t.Context(), "ns")
	plugintest.WantCode(t, err, "List before Configure", sdk.CodeUnavailable)
	// No host API and no backends: Configure fails, Close is a no-op.
	err = s.Configure(t.Context(), plugin.Config{Name: "serverless", DataDir: t.TempDir(), Raw: rawConfig(nil)})
	plugintest.WantCode(t, err, "Configure without a host API", sdk.CodeUnavailable)
	plugintest.CloseTwice(t, s, "after a failed Configure")

	b := newBackends(t)
	s = node(t, b, t.TempDir(), nil)
	if h, err := s.Health(t.Context()); err != nil || !h.OK {
		t.Errorf("Health = %+v, %v", h, err)
	}
	err = s.Configure(t.Context(), plugin.Config{Name: "serverless", DataDir: t.TempDir(), Raw: rawConfig(nil)})
	plugintest.WantCode(t, err, "a second Configure", sdk.CodeConflict)
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	plugintest.CloseTwice(t, s, "after Close")
	_, err = s.List(t.Context(), "ns")
	plugintest.WantCode(t, err, "List after Close", sdk.CodeUnavailable)
}
