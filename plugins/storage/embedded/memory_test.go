package embedded

import (
	"crypto/sha256"
	"io"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/orama-network/orama/plugins/storage/internal/gen"
)

// heapPeak samples HeapInuse until stop is called, which returns the
// largest value seen. It bounds memory, not time: the sampling period
// only decides how closely the peak is observed.
func heapPeak() (stop func() uint64) {
	var (
		peak uint64
		wg   sync.WaitGroup
		done = make(chan struct{})
	)
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		peak = max(peak, m.HeapInuse)
	}
	wg.Go(func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			sample()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() uint64 {
		close(done)
		wg.Wait()
		sample()
		return peak
	}
}

// TestMemoryStaysFlat puts and gets 256 MiB of generated content (never
// held in memory) and checks that the heap in use stays under 64 MiB.
func TestMemoryStaysFlat(t *testing.T) {
	const (
		size  = 256 << 20
		limit = 64 << 20
		seed  = 256
	)
	s := openStore(t, 0)
	runtime.GC()
	stop := heapPeak()

	c, err := s.Add(t.Context(), gen.Reader(seed, size))
	if err != nil {
		stop()
		t.Fatalf("Add: %v", err)
	}
	rc, err := s.Open(t.Context(), c, 0, size)
	if err != nil {
		stop()
		t.Fatalf("Open: %v", err)
	}
	h := sha256.New()
	n, err := io.Copy(h, rc)
	_ = rc.Close()
	peak := stop()
	if err != nil || n != size {
		t.Fatalf("read back %d bytes, %v", n, err)
	}
	if [32]byte(h.Sum(nil)) != gen.Sum(seed, size) {
		t.Error("content read back differs from what was put")
	}
	t.Logf("256 MiB put and get, CID %s: peak heap in use %.1f MiB", c, float64(peak)/(1<<20))
	if peak > limit {
		t.Errorf("peak heap in use %d bytes, over the %d byte bound", peak, limit)
	}
}
