package main

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/storage"
)

// TestBinaryServes builds orama-plugin-storage and drives it the way the
// host does: go-plugin over gRPC with AutoMTLS, Configure, then calls.
func TestBinaryServes(t *testing.T) {
	c := plugintest.Launch[*storage.Client](t, ".", storage.Kind, &storage.Plugin{})

	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cfg := plugin.Config{Name: "storage", NodeID: "node-1", DataDir: t.TempDir(), Raw: []byte(`{"driver": "embedded", "cid_version": 1}`)}
	if err := c.Configure(ctx, cfg); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	res, err := c.Put(ctx, "ns", bytes.NewReader([]byte("hello world\n")), storage.PutOptions{Pin: true, Name: "hello.txt"})
	if err != nil || res.CID != "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4" || res.Size != 12 {
		t.Fatalf("Put = %+v, %v", res, err)
	}
	rc, st, err := c.Get(ctx, "ns", res.CID, 6, 5)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	body, err := io.ReadAll(rc)
	_ = rc.Close()
	if err != nil || string(body) != "world" || st.Size != 12 {
		t.Errorf("Get range = %q, %+v, %v", body, st, err)
	}
	if p, err := c.Status(ctx, "ns", res.CID); err != nil || p.Status != storage.StatusPinned || p.Name != "hello.txt" || p.Peers[0] != "node-1" {
		t.Errorf("Status = %+v, %v", p, err)
	}
	if err := c.Unpin(ctx, "ns", res.CID); err != nil {
		t.Errorf("Unpin: %v", err)
	}
	if h, err := c.Health(ctx); err != nil || !h.OK || h.Driver != "embedded" {
		t.Errorf("Health = %+v, %v", h, err)
	}
	if err := c.Close(ctx); err != nil {
		t.Errorf("Close: %v", err)
	}
}
