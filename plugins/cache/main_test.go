package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/plugin"
)

// TestBinaryServes builds orama-plugin-cache and drives it the way the
// host does: go-plugin over gRPC with AutoMTLS, Configure, then calls.
func TestBinaryServes(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go tool is needed to build the plugin: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "orama-plugin-cache")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  plugin.Handshake,
		VersionedPlugins: map[int]goplugin.PluginSet{plugin.ProtocolVersion: {cache.Kind: &cache.Plugin{}}},
		Cmd:              exec.Command(bin),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		Logger:           hclog.New(&hclog.LoggerOptions{Name: "host", Level: hclog.Warn, Output: hclog.DefaultOutput}),
	})
	defer client.Kill()
	rpc, err := client.Client()
	if err != nil {
		t.Fatalf("start plugin: %v", err)
	}
	raw, err := rpc.Dispense(cache.Kind)
	if err != nil {
		t.Fatal(err)
	}
	c := raw.(*cache.Client)

	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if err := c.Configure(ctx, plugin.Config{Name: "cache", DataDir: t.TempDir(), Raw: []byte(`{"mode": "embedded"}`)}); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	if err := c.Put(ctx, "ns", "dm", "k", []byte(`{"hello":"world"}`), time.Minute); err != nil {
		t.Fatalf("Put: %v", err)
	}
	e, err := c.Get(ctx, "ns", "dm", "k")
	if err != nil || string(e.Value) != `{"hello":"world"}` || e.ExpiresAt.IsZero() {
		t.Errorf("Get = %+v, %v", e, err)
	}
	if h, err := c.Health(ctx); err != nil || !h.OK || h.Driver != "olric" {
		t.Errorf("Health = %+v, %v", h, err)
	}
	if err := c.Close(ctx); err != nil {
		t.Errorf("Close: %v", err)
	}
}
