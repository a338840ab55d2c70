package storagetest

import (
	"sync"
	"testing"

	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/storage"
)

func testConcurrent(t *testing.T, s storage.Storage) {
	ns := plugintest.Unique("ns")
	const workers = 4
	contents := make([]content, workers)
	cids := make([]string, workers)
	var wg sync.WaitGroup
	for w := range workers {
		contents[w] = newContent(1<<20 + int64(w)*storage.ChunkSize/3)
		wg.Go(func() {
			res, err := s.Put(t.Context(), ns, contents[w].reader(), storage.PutOptions{Pin: true, Name: "worker"})
			if err != nil {
				t.Errorf("worker %d Put: %v", w, err)
				return
			}
			if res.Size != contents[w].size {
				t.Errorf("worker %d Put: Size %d, want %d", w, res.Size, contents[w].size)
			}
			cids[w] = res.CID
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	seen := map[string]bool{}
	for w, id := range cids {
		if seen[id] {
			t.Errorf("worker %d: CID %s of different content seen twice", w, id)
		}
		seen[id] = true
		wantContent(t, s, ns, id, contents[w], 0, -1)
		wantListed(t, s, ns, id, true)
	}
}

func testHealth(t *testing.T, s storage.Storage) {
	h, err := s.Health(t.Context())
	if err != nil {
		t.Fatalf("Health: %v", err)
	}
	if !h.OK || h.Driver == "" {
		t.Errorf("Health = %+v, want OK with a driver name", h)
	}
}
