package ipfs

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/orama-network/orama/plugins/storage/driver"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/storage"
)

// hookedAdder is a driver whose AddPinned runs after once the import
// returned: what another call does between the backend's pin in the
// import and the upload's registry write.
type hookedAdder struct {
	driver.Driver
	after func()
}

func (h hookedAdder) AddPinned(ctx context.Context, r io.Reader, spec driver.PinSpec) (cid.Cid, bool, error) {
	c, ok, err := h.Driver.(driver.PinningAdder).AddPinned(ctx, r, spec)
	h.after()
	return c, ok, err
}

// TestUnpinDuringPinnedAddKeepsThePin: namespace b unpins the last other
// pin of a CID right after kubo pinned it in a's upload and before a's
// registry entry is written; that unpin drops the kubo pin, so the
// upload pins again and the content stays pinned while a holds it.
func TestUnpinDuringPinnedAddKeepsThePin(t *testing.T) {
	s, _ := startKuboStore(t, nil)
	ctx := t.Context()
	data := []byte("pinned in the import, unpinned before the record")
	res := put(t, s, "b", data, storage.PutOptions{Pin: true})
	c, _ := storage.ParseCID(res.CID)
	b := s.cur.Load()
	real := b.drv
	b.drv = hookedAdder{Driver: real, after: func() {
		if err := s.Unpin(ctx, "b", res.CID); err != nil {
			t.Errorf("Unpin of b: %v", err)
		}
	}}
	defer func() { b.drv = real }()
	if _, err := s.Put(ctx, "a", bytes.NewReader(data), storage.PutOptions{Pin: true}); err != nil {
		t.Fatalf("Put of a: %v", err)
	}
	if pl, err := real.Placement(ctx, c); err != nil || pl.Status != storage.StatusPinned {
		t.Errorf("a holds the pin; kubo says %+v, %v", pl, err)
	}
	if st, err := s.Status(ctx, "a", res.CID); err != nil || st.Status != storage.StatusPinned {
		t.Errorf("Status of a = %+v, %v", st, err)
	}
}

// TestPinnedAddStatus: an upload pinned in the import reports pinned,
// under the upload's name.
func TestPinnedAddStatus(t *testing.T) {
	s, _ := startKuboStore(t, nil)
	res := put(t, s, "ns", []byte("named in the import"), storage.PutOptions{Pin: true, Name: "report.pdf"})
	st, err := s.Status(t.Context(), "ns", res.CID)
	if err != nil || st.Status != storage.StatusPinned || st.Name != "report.pdf" {
		t.Errorf("Status = %+v, %v", st, err)
	}
}

// TestGetNamesThePin: Get names the caller's pin (so the host needs no
// Status call), and only the caller's.
func TestGetNamesThePin(t *testing.T) {
	s := startStore(t, nil)
	data := []byte("two names for one CID")
	res := put(t, s, "a", data, storage.PutOptions{Pin: true, Name: "a.txt"})
	put(t, s, "b", data, storage.PutOptions{Pin: true, Name: "b.txt"})
	for ns, want := range map[string]string{"a": "a.txt", "b": "b.txt"} {
		rc, st, err := s.Get(t.Context(), ns, res.CID, 0, -1)
		if err != nil {
			t.Fatalf("Get in %s: %v", ns, err)
		}
		_ = rc.Close()
		if !st.Named || st.Name != want {
			t.Errorf("Get in %s: Stat %+v, want named %q", ns, st, want)
		}
	}
}

// TestTooLargePinnedAddLeavesNoKuboPin: an upload cut off at its limit
// while kubo imports it with pin=true leaves no recursive pin in kubo.
func TestTooLargePinnedAddLeavesNoKuboPin(t *testing.T) {
	s, k := startKuboStore(t, nil)
	before := kuboPins(t, k.URL)
	_, err := s.Put(t.Context(), "ns", bytes.NewReader(make([]byte, 3*storage.ChunkSize)), storage.PutOptions{Pin: true, MaxSize: storage.ChunkSize + 1})
	plugintest.WantCode(t, err, "Put over MaxSize", sdk.CodeTooLarge)
	if after := kuboPins(t, k.URL); after != before {
		t.Errorf("kubo's recursive pins: %d before the upload, %d after", before, after)
	}
}

// kuboPins counts kubo's recursive pins.
func kuboPins(t *testing.T, api string) int {
	t.Helper()
	resp, err := http.Post(api+"/api/v0/pin/ls?type=recursive", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Keys map[string]any }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return len(out.Keys)
}
