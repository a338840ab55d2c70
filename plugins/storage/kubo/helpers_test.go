package kubo

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/orama-network/orama/plugins/storage/internal/kubotest"
)

// openDriver starts a real kubo daemon and opens a Driver on it.
func openDriver(t *testing.T, version int, clusterURL string) (*Driver, *kubotest.Daemon) {
	t.Helper()
	k := kubotest.Start(t)
	d, err := Open(t.Context(), Options{API: k.API, Cluster: clusterURL, CIDVersion: version, Timeout: 30 * time.Second})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = d.Close(t.Context()) })
	return d, k
}

func add(t *testing.T, d *Driver, data []byte) cid.Cid {
	t.Helper()
	c, err := d.Add(t.Context(), bytes.NewReader(data))
	if err != nil {
		t.Fatalf("Add: %v", err)
	}
	return c
}

func readAll(t *testing.T, d *Driver, c cid.Cid, offset, length int64) ([]byte, error) {
	t.Helper()
	rc, err := d.Open(t.Context(), c, offset, length)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}
