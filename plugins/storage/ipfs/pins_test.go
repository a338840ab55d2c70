package ipfs

import (
	"bytes"
	"io"
	"testing"

	"github.com/orama-network/orama/plugins/storage/driver"
	"github.com/orama-network/orama/plugins/storage/internal/clustertest"
	"github.com/orama-network/orama/plugins/storage/internal/gen"
	"github.com/orama-network/orama/plugins/storage/registry"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/storage"
)

func put(t *testing.T, s *Store, ns string, data []byte, opts storage.PutOptions) storage.PutResult {
	t.Helper()
	res, err := s.Put(t.Context(), ns, bytes.NewReader(data), opts)
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	return res
}

func gc(t *testing.T, s *Store) driver.GCResult {
	t.Helper()
	res, err := s.GC(t.Context())
	if err != nil {
		t.Fatalf("GC: %v", err)
	}
	return res
}

// TestSharedPinSurvivesGCUntilBothUnpin: content pinned by two
// namespaces stays through GC until both have unpinned.
func TestSharedPinSurvivesGCUntilBothUnpin(t *testing.T) {
	s := startStore(t, map[string]any{"gc_interval": "0"})
	ctx := t.Context()
	data := gen.Bytes(5, 600000)
	res := put(t, s, "a", data, storage.PutOptions{Pin: true, Name: "a-file"})
	_, err := s.Pin(ctx, "b", res.CID, "b-file", 0)
	plugintest.WantCode(t, err, "Pin by CID in b of content only a pins", sdk.CodeNotFound)
	put(t, s, "b", data, storage.PutOptions{Pin: true, Name: "b-file"})
	loose := put(t, s, "a", gen.Bytes(6, 1000), storage.PutOptions{})

	if r := gc(t, s); r.Removed != 1 {
		t.Errorf("first GC = %+v, want the one unpinned block removed", r)
	}
	err = driverStat(t, s, loose.CID)
	plugintest.WantCode(t, err, "the driver's size of unpinned content after GC", sdk.CodeNotFound)

	if err := s.Unpin(ctx, "a", res.CID); err != nil {
		t.Fatal(err)
	}
	gc(t, s)
	rc, _, err := s.Get(ctx, "b", res.CID, 0, -1)
	if err != nil {
		t.Fatalf("Get after a's unpin and GC: %v", err)
	}
	got, err := io.ReadAll(rc)
	_ = rc.Close()
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("b's content after a's unpin and GC: %d bytes, %v", len(got), err)
	}

	if err := s.Unpin(ctx, "b", res.CID); err != nil {
		t.Fatal(err)
	}
	if r := gc(t, s); r.Kept != 0 || r.Removed != 4 {
		t.Errorf("GC after both unpinned = %+v, want 0 kept and the 4 blocks removed", r)
	}
	err = driverStat(t, s, res.CID)
	plugintest.WantCode(t, err, "the driver's size after both unpinned and GC", sdk.CodeNotFound)
}

// TestTooLargeLeavesNoPinAndOnlyGarbage: an upload over the limit fails
// with too_large, records no pin, and GC leaves nothing behind.
func TestTooLargeLeavesNoPinAndOnlyGarbage(t *testing.T) {
	s := startStore(t, map[string]any{"gc_interval": "0", "max_upload_bytes": 1 << 20})
	ctx := t.Context()
	_, err := s.Put(ctx, "ns", gen.Reader(7, 1<<20+1), storage.PutOptions{Pin: true, Name: "big"})
	plugintest.WantCode(t, err, "Put over max_upload_bytes", sdk.CodeTooLarge)
	_, err = s.Put(ctx, "ns", gen.Reader(8, 600000), storage.PutOptions{Pin: true, MaxSize: 500000})
	plugintest.WantCode(t, err, "Put over MaxSize", sdk.CodeTooLarge)
	if pins, err := s.Pins(ctx, "ns"); err != nil || len(pins) != 0 {
		t.Errorf("Pins = %+v, %v; want none", pins, err)
	}
	if r := gc(t, s); r.Kept != 0 || r.Removed == 0 {
		t.Errorf("GC = %+v, want the refused uploads' blocks removed and nothing kept", r)
	}
	if r := gc(t, s); r.Kept != 0 || r.Removed != 0 {
		t.Errorf("second GC = %+v, want an empty store", r)
	}
	_, err = s.Put(ctx, "ns", bytes.NewReader(nil), storage.PutOptions{MaxSize: -1})
	plugintest.WantCode(t, err, "Put with a negative MaxSize", sdk.CodeInvalid)
}

func TestReplicationOfAPin(t *testing.T) {
	s := startStore(t, map[string]any{"replication_min": 2, "replication_max": 3})
	ctx := t.Context()
	res := put(t, s, "ns", []byte("replicated"), storage.PutOptions{Pin: true})
	p, err := s.Status(ctx, "ns", res.CID)
	if err != nil || p.ReplicationMin != 2 || p.ReplicationMax != 3 {
		t.Errorf("default replication = %+v, %v", p, err)
	}
	if p.ReplicationFactor != 1 || len(p.Peers) != 1 || p.Peers[0] != "node-1" || p.Created.IsZero() {
		t.Errorf("embedded placement = %+v", p)
	}
	created := p.Created
	p, err = s.Pin(ctx, "ns", res.CID, "renamed", 5)
	if err != nil || p.ReplicationMin != 5 || p.ReplicationMax != 5 || p.Name != "renamed" || !p.Created.Equal(created) {
		t.Errorf("re-pin with replication 5 = %+v, %v (created %v)", p, err, created)
	}
	if p, err = s.Pin(ctx, "ns", res.CID, "all", -1); err != nil || p.ReplicationMin != -1 || p.ReplicationMax != -1 {
		t.Errorf("pin with replication -1 = %+v, %v", p, err)
	}
	_, err = s.Pin(ctx, "ns", res.CID, "x", -2)
	plugintest.WantCode(t, err, "replication -2", sdk.CodeInvalid)
}

func TestDriverSpecIsTheWidest(t *testing.T) {
	cases := []struct {
		pins     [][2]int
		min, max int
	}{
		{[][2]int{{1, 1}}, 1, 1},
		{[][2]int{{1, 2}, {3, 3}}, 3, 3},
		{[][2]int{{1, 2}, {2, -1}}, 2, -1},
		{[][2]int{{-1, -1}, {2, 2}}, -1, -1},
	}
	for _, tc := range cases {
		var holders []registry.Pin
		for _, p := range tc.pins {
			holders = append(holders, registry.Pin{Entry: registry.Entry{ReplicationMin: p[0], ReplicationMax: p[1]}})
		}
		if spec := driverSpec("n", holders); spec.ReplicationMin != tc.min || spec.ReplicationMax != tc.max {
			t.Errorf("driverSpec(%v) = %+v, want %d/%d", tc.pins, spec, tc.min, tc.max)
		}
	}
}

// TestReconcileDropsOrphanDriverPins: a driver pin that no namespace
// holds (a crash between the driver's pin and the registry's write) is
// dropped when the store opens again, and its content collected.
func TestReconcileDropsOrphanDriverPins(t *testing.T) {
	cfg := testConfig(t, map[string]any{"gc_interval": "0"})
	s := startStoreWith(t, cfg)
	kept := put(t, s, "ns", []byte("kept"), storage.PutOptions{Pin: true})
	orphan := put(t, s, "ns", []byte("orphan"), storage.PutOptions{})
	b := s.cur.Load()
	c, _ := storage.ParseCID(orphan.CID)
	if err := b.drv.Pin(t.Context(), c, driver.PinSpec{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(t.Context()); err != nil {
		t.Fatal(err)
	}

	s = startStoreWith(t, cfg)
	pl, err := s.cur.Load().drv.Placement(t.Context(), c)
	if err != nil || pl.Status != storage.StatusUnpinned {
		t.Errorf("orphan's placement after reopen = %+v, %v; want unpinned", pl, err)
	}
	gc(t, s)
	err = driverStat(t, s, orphan.CID)
	plugintest.WantCode(t, err, "the driver's size of the orphan after GC", sdk.CodeNotFound)
	if p, err := s.Status(t.Context(), "ns", kept.CID); err != nil || p.Status != storage.StatusPinned {
		t.Errorf("the namespace's pin after reopen = %+v, %v", p, err)
	}
}

// TestPinsThroughCluster drives a kubo Store whose pins go to an IPFS
// Cluster answering with responses captured from a real cluster peer.
func TestPinsThroughCluster(t *testing.T) {
	const ipfsPeer = "12D3KooWPchpurPaY2eaN683P2NCfVY5pumioyLDXXLMy9rcFBkk"
	r := clustertest.New(t, "../cluster/testdata", "id", "pin", "status", "status", "unpin")
	s, _ := startKuboStore(t, map[string]any{"ipfs_cluster": r.URL})
	ctx := t.Context()
	res := put(t, s, "ns", []byte("hello world\n"), storage.PutOptions{})

	p, err := s.Pin(ctx, "ns", res.CID, "hello", 1)
	if err != nil {
		t.Fatalf("Pin: %v", err)
	}
	if p.Status != storage.StatusPinned || p.ReplicationFactor != 1 || len(p.Peers) != 1 || p.Peers[0] != ipfsPeer || p.ReplicationMin != 1 {
		t.Errorf("Pin = %+v", p)
	}
	if p, err := s.Status(ctx, "ns", res.CID); err != nil || p.Status != storage.StatusPinned || p.Name != "hello" {
		t.Errorf("Status = %+v, %v", p, err)
	}
	if err := s.Unpin(ctx, "ns", res.CID); err != nil {
		t.Fatalf("Unpin: %v", err)
	}
	_, err = s.Status(ctx, "ns", res.CID)
	plugintest.WantCode(t, err, "Status after Unpin", sdk.CodeNotFound)
	r.Done()
}
