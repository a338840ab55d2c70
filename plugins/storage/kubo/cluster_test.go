package kubo

import (
	"testing"

	"github.com/orama-network/orama/plugins/storage/driver"
	"github.com/orama-network/orama/plugins/storage/internal/clustertest"
	"github.com/orama-network/orama/sdk/storage"
)

// TestPinsThroughTheCluster adds "hello world\n" to a real kubo and pins
// it through a cluster that answers with responses captured from a real
// ipfs-cluster-service peer.
func TestPinsThroughTheCluster(t *testing.T) {
	const ipfsPeer = "12D3KooWPchpurPaY2eaN683P2NCfVY5pumioyLDXXLMy9rcFBkk"
	r := clustertest.New(t, "../cluster/testdata", "id", "pin", "status", "unpin", "status-after-unpin", "id")
	d, _ := openDriver(t, 0, r.URL)
	ctx := t.Context()
	c := add(t, d, []byte("hello world\n"))

	if err := d.Pin(ctx, c, driver.PinSpec{Name: "hello", ReplicationMin: 1, ReplicationMax: 1}); err != nil {
		t.Fatalf("Pin: %v", err)
	}
	p, err := d.Placement(ctx, c)
	if err != nil || p.Status != storage.StatusPinned || len(p.Peers) != 1 || p.Peers[0] != ipfsPeer {
		t.Errorf("Placement = %+v, %v; want pinned on %s", p, err, ipfsPeer)
	}
	if err := d.Unpin(ctx, c); err != nil {
		t.Fatalf("Unpin: %v", err)
	}
	if p, err := d.Placement(ctx, c); err != nil || p.Status != storage.StatusUnpinned || len(p.Peers) != 0 {
		t.Errorf("Placement after Unpin = %+v, %v", p, err)
	}
	if h := d.Health(ctx); !h.OK || h.Driver != "kubo+cluster" {
		t.Errorf("Health = %+v", h)
	}
	r.Done()
}
