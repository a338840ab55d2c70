package embedded

import (
	"bytes"
	"testing"

	"github.com/orama-network/orama/plugins/storage/driver"
	"github.com/orama-network/orama/plugins/storage/internal/gen"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/storage"
)

func pinSpec(name string) driver.PinSpec {
	return driver.PinSpec{Name: name, ReplicationMin: -1, ReplicationMax: -1}
}

func TestPinUnpinPlacement(t *testing.T) {
	s := openStore(t, 1)
	ctx := t.Context()
	c := add(t, s, gen.Bytes(2, 300000))
	if p, err := s.Placement(ctx, c); err != nil || p.Status != storage.StatusUnpinned || len(p.Peers) != 0 {
		t.Errorf("Placement before Pin = %+v, %v", p, err)
	}
	for range 2 { // pinning twice is fine
		if err := s.Pin(ctx, c, pinSpec("a")); err != nil {
			t.Fatalf("Pin: %v", err)
		}
	}
	if p, err := s.Placement(ctx, c); err != nil || p.Status != storage.StatusPinned || len(p.Peers) != 1 || p.Peers[0] != "node-1" {
		t.Errorf("Placement after Pin = %+v, %v", p, err)
	}
	for range 2 { // so is unpinning twice
		if err := s.Unpin(ctx, c); err != nil {
			t.Fatalf("Unpin: %v", err)
		}
	}
	if p, err := s.Placement(ctx, c); err != nil || p.Status != storage.StatusUnpinned {
		t.Errorf("Placement after Unpin = %+v, %v", p, err)
	}
}

// TestPinOfAnIncompleteDAG removes a leaf: the pin is refused and none
// is left behind.
func TestPinOfAnIncompleteDAG(t *testing.T) {
	s := openStore(t, 1)
	ctx := t.Context()
	c := add(t, s, gen.Bytes(3, 3*262144))
	root, err := s.dag.Get(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.bs.DeleteBlock(ctx, root.Links()[1].Cid); err != nil {
		t.Fatal(err)
	}
	err = s.Pin(ctx, c, pinSpec("broken"))
	plugintest.WantCode(t, err, "Pin of an incomplete DAG", "not_found")
	if p, _ := s.Placement(ctx, c); p.Status != storage.StatusUnpinned {
		t.Errorf("a refused pin left %+v", p)
	}
}

// TestPinsSurviveReopen closes the store and opens its directory again.
func TestPinsSurviveReopen(t *testing.T) {
	dir := t.TempDir()
	data := gen.Bytes(4, 600000)
	s, err := Open(t.Context(), Options{Dir: dir, CIDVersion: 0, PeerName: "node-1"})
	if err != nil {
		t.Fatal(err)
	}
	c := add(t, s, data)
	if err := s.Pin(t.Context(), c, pinSpec("keep")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	s = openStoreIn(t, dir, 0)
	if p, err := s.Placement(t.Context(), c); err != nil || p.Status != storage.StatusPinned {
		t.Errorf("Placement after reopen = %+v, %v", p, err)
	}
	if _, err := s.GC(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got, err := readAll(t, s, c, 0, int64(len(data))); err != nil || !bytes.Equal(got, data) {
		t.Errorf("read after reopen and GC: %d bytes, %v", len(got), err)
	}
}

func TestCloseTwiceAndHalfOpen(t *testing.T) {
	s := openStore(t, 0)
	if err := s.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	var half Store
	if err := half.Close(t.Context()); err != nil {
		t.Errorf("Close of a store that never opened: %v", err)
	}
	if _, err := Open(t.Context(), Options{Dir: t.TempDir(), CIDVersion: 2}); err == nil {
		t.Error("Open with CID version 2 succeeded")
	}
}
