package main

import (
	"context"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// TestBinaryServes builds orama-plugin-cache and drives it the way the
// host does: go-plugin over gRPC with AutoMTLS, Configure, then calls.
func TestBinaryServes(t *testing.T) {
	c := plugintest.Launch[*cache.Client](t, ".", cache.Kind, &cache.Plugin{})

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
