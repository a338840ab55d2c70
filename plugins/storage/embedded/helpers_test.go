package embedded

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/ipfs/go-cid"
)

// openStore opens a Store in a fresh directory; it is closed at cleanup.
func openStore(t testing.TB, version int) *Store {
	t.Helper()
	return openStoreIn(t, t.TempDir(), version)
}

func openStoreIn(t testing.TB, dir string, version int) *Store {
	t.Helper()
	s, err := Open(t.Context(), Options{Dir: dir, CIDVersion: version, PeerName: "node-1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

func add(t testing.TB, s *Store, data []byte) cid.Cid {
	t.Helper()
	c, err := s.Add(t.Context(), bytes.NewReader(data))
	if err != nil {
		t.Fatalf("Add: %v", err)
	}
	return c
}

// readAll opens c's range and returns its bytes.
func readAll(t testing.TB, s *Store, c cid.Cid, offset, length int64) ([]byte, error) {
	t.Helper()
	rc, err := s.Open(t.Context(), c, offset, length)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// blockCount counts the blocks in the blockstore.
func blockCount(t testing.TB, s *Store) int {
	t.Helper()
	keys, err := s.bs.AllKeysChan(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for range keys {
		n++
	}
	return n
}
