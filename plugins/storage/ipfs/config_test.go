package ipfs

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

func TestParseConfigDefaults(t *testing.T) {
	cfg := testConfig(t, nil)
	c, err := ParseConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if c.Driver != DriverEmbedded || c.CIDVersion != 0 || c.MaxUploadBytes != 10<<30 ||
		c.ReplicationMin != -1 || c.ReplicationMax != -1 || c.gcInterval != time.Hour || c.timeout != 30*time.Second {
		t.Errorf("defaults = %+v", c)
	}
	if c.dir != filepath.Join(cfg.DataDir, "storage") || c.peerName != "node-1" {
		t.Errorf("dir %q, peer %q", c.dir, c.peerName)
	}
	c, err = ParseConfig(testConfig(t, map[string]any{"gc_interval": "0", "cid_version": 1}))
	if err != nil || c.gcInterval != 0 || c.CIDVersion != 1 {
		t.Errorf("gc_interval 0 = %+v, %v", c, err)
	}
	c, err = ParseConfig(testConfig(t, map[string]any{
		"driver": "kubo", "kubo_api": "http://127.0.0.1:5001", "ipfs_cluster": "http://127.0.0.1:9094",
		"replication_min": 2, "replication_max": -1, "timeout": "5s",
	}))
	if err != nil || c.timeout != 5*time.Second || c.ReplicationMin != 2 {
		t.Errorf("kubo config = %+v, %v", c, err)
	}
}

func TestParseConfigErrorsNameTheAttribute(t *testing.T) {
	kubo := func(more map[string]any) map[string]any {
		m := map[string]any{"driver": "kubo", "kubo_api": "/ip4/127.0.0.1/tcp/5001"}
		for k, v := range more {
			m[k] = v
		}
		return m
	}
	cases := []struct {
		name  string
		attrs map[string]any
		want  string
	}{
		{"bogus driver", map[string]any{"driver": "s3"}, "driver"},
		{"cid_version 2", map[string]any{"cid_version": 2}, "cid_version"},
		{"string cid_version", map[string]any{"cid_version": "1"}, "cid_version"},
		{"zero max_upload_bytes", map[string]any{"max_upload_bytes": 0}, "max_upload_bytes"},
		{"kubo_api with embedded", map[string]any{"kubo_api": "/ip4/127.0.0.1/tcp/5001"}, "kubo_api"},
		{"ipfs_cluster with embedded", map[string]any{"ipfs_cluster": "http://127.0.0.1:9094"}, "ipfs_cluster"},
		{"kubo without kubo_api", map[string]any{"driver": "kubo"}, "kubo_api"},
		{"bad kubo_api", kubo(map[string]any{"kubo_api": "localhost:5001"}), "kubo_api"},
		{"bad ipfs_cluster", kubo(map[string]any{"ipfs_cluster": "/ip4/127.0.0.1/tcp/9094"}), "ipfs_cluster"},
		{"gc_interval with kubo", kubo(map[string]any{"gc_interval": "1h"}), "gc_interval"},
		{"bad gc_interval", map[string]any{"gc_interval": "often"}, "gc_interval"},
		{"negative gc_interval", map[string]any{"gc_interval": "-1s"}, "gc_interval"},
		{"zero timeout", map[string]any{"timeout": "0s"}, "timeout"},
		{"replication_min 0", map[string]any{"replication_min": 0}, "replication_min"},
		{"replication_max -2", map[string]any{"replication_max": -2}, "replication_max"},
		{"min above max", map[string]any{"replication_min": 3, "replication_max": 2}, "replication_min"},
		{"every peer min, bounded max", map[string]any{"replication_min": -1, "replication_max": 2}, "replication_max"},
		{"unknown attribute", map[string]any{"mode": "embedded"}, "mode"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig(testConfig(t, tc.attrs))
			plugintest.WantConfigError(t, err, "ParseConfig", tc.want)
		})
	}
}

func TestParseConfigWithoutDataDir(t *testing.T) {
	_, err := ParseConfig(plugin.Config{Name: "storage"})
	var ce plugin.ConfigError
	if !errors.As(err, &ce) || len(ce) != 1 || ce[0].Attribute != "" {
		t.Errorf("got %v, want a block-level error about data_dir", err)
	}
}

// TestValidateConfigHasNoSideEffects: nothing appears in the data dir.
func TestValidateConfigHasNoSideEffects(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfigIn(t, dir, nil)
	if err := New(nil).ValidateConfig(t.Context(), cfg); err != nil {
		t.Fatal(err)
	}
	if entries, _ := filepath.Glob(filepath.Join(dir, "*")); len(entries) != 0 {
		t.Errorf("ValidateConfig created %v", entries)
	}
}
