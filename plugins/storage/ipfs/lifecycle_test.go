package ipfs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/orama-network/orama/plugins/storage/internal/gen"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/storage"
)

func TestUnconfiguredStore(t *testing.T) {
	s := New(nil)
	ctx := t.Context()
	plugintest.WantIdle(t, s, storage.Kind, "ipfs")
	_, err := s.Put(ctx, "ns", bytes.NewReader(nil), storage.PutOptions{})
	plugintest.WantCode(t, err, "Put before Configure", sdk.CodeUnavailable)
	_, _, err = s.Get(ctx, "ns", "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", 0, -1)
	plugintest.WantCode(t, err, "Get before Configure", sdk.CodeUnavailable)
	_, err = s.Pins(ctx, "ns")
	plugintest.WantCode(t, err, "Pins before Configure", sdk.CodeUnavailable)
	_, err = s.GC(ctx)
	plugintest.WantCode(t, err, "GC before Configure", sdk.CodeUnavailable)
}

func TestCloseBeforeConfigureAndTwice(t *testing.T) {
	ctx := t.Context()
	s := New(nil)
	plugintest.CloseTwice(t, s, "before Configure")
	if err := s.Configure(ctx, testConfig(t, nil)); err != nil {
		t.Fatal(err)
	}
	plugintest.CloseTwice(t, s, "after Configure")
	_, err := s.Stat(ctx, "ns", "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o")
	plugintest.WantCode(t, err, "Stat after Close", sdk.CodeUnavailable)
}

func TestConfigureTwiceConflicts(t *testing.T) {
	s := startStore(t, nil)
	plugintest.WantCode(t, s.Configure(t.Context(), testConfig(t, nil)), "second Configure", sdk.CodeConflict)
}

func TestConfigureRejectsBadConfigWithoutStarting(t *testing.T) {
	s := New(nil)
	err := s.Configure(t.Context(), testConfig(t, map[string]any{"driver": "s3"}))
	plugintest.WantConfigError(t, err, "Configure", "driver")
	if s.cur.Load() != nil {
		t.Error("a rejected Configure left a backend behind")
	}
}

// TestConfigureWithoutKuboIsUnavailable: nothing listens at kubo_api.
// Close after the failed Configure is fine.
func TestConfigureWithoutKuboIsUnavailable(t *testing.T) {
	s := New(nil)
	err := s.Configure(t.Context(), testConfig(t, map[string]any{"driver": "kubo", "kubo_api": "/ip4/127.0.0.1/tcp/1", "timeout": "5s"}))
	plugintest.WantCode(t, err, "Configure without kubo", sdk.CodeUnavailable)
	if err := s.Close(t.Context()); err != nil {
		t.Errorf("Close after a failed Configure: %v", err)
	}
}

func TestGCOnKuboIsInvalid(t *testing.T) {
	s, _ := startKuboStore(t, nil)
	_, err := s.GC(t.Context())
	plugintest.WantCode(t, err, "GC with driver kubo", sdk.CodeInvalid)
	if h, err := s.Health(t.Context()); err != nil || !h.OK || h.Driver != "kubo" {
		t.Errorf("Health = %+v, %v", h, err)
	}
}

// TestCloseEndsOpenStreams: Close with a Get reader still open returns,
// and the reader fails afterwards instead of hanging.
func TestCloseEndsOpenStreams(t *testing.T) {
	s := New(testLogger(t))
	if err := s.Configure(t.Context(), testConfig(t, nil)); err != nil {
		t.Fatal(err)
	}
	res, err := s.Put(t.Context(), "ns", gen.Reader(9, 3<<20), storage.PutOptions{Pin: true})
	if err != nil {
		t.Fatal(err)
	}
	rc, _, err := s.Get(t.Context(), "ns", res.CID, 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second) // Close waits this long for the reader
	defer cancel()
	if err := s.Close(ctx); err != nil {
		t.Errorf("Close with an open reader: %v", err)
	}
	if _, err := io.Copy(io.Discard, rc); err == nil {
		t.Error("a reader of a closed store read to the end")
	}
	_ = rc.Close()
}

// TestGCInterval: with gc_interval set, unpinned content goes by itself
// and pinned content stays.
func TestGCInterval(t *testing.T) {
	s := startStore(t, map[string]any{"gc_interval": "50ms"})
	ctx := t.Context()
	pinned := put(t, s, "ns", []byte("pinned"), storage.PutOptions{Pin: true})
	loose := put(t, s, "ns", []byte("loose"), storage.PutOptions{})
	deadline := time.Now().Add(30 * time.Second) // a backstop, not an assertion
	for {
		err := driverStat(t, s, loose.CID)
		var e *sdk.Error
		if errors.As(err, &e) && e.Code == sdk.CodeNotFound {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("unpinned content still there: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := s.Stat(ctx, "ns", pinned.CID); err != nil {
		t.Errorf("pinned content after interval GC: %v", err)
	}
}

// TestConcurrentPinUnpinOfOneCID races namespaces pinning and unpinning
// the same CID: at the end the driver pin is held exactly when some
// namespace still pins it.
func TestConcurrentPinUnpinOfOneCID(t *testing.T) {
	concurrentPinUnpin(t, startStore(t, map[string]any{"gc_interval": "0"}))
}

// TestConcurrentPinUnpinOfOneCIDOnKubo: the same on kubo, whose uploads
// pin in the import (AddPinned) outside the CID's lock.
func TestConcurrentPinUnpinOfOneCIDOnKubo(t *testing.T) {
	s, _ := startKuboStore(t, nil)
	concurrentPinUnpin(t, s)
}

// concurrentPinUnpin: eight namespaces upload (pinning) and unpin one
// CID at once; the driver pin stands exactly while some namespace holds it.
func concurrentPinUnpin(t *testing.T, s *Store) {
	ctx := t.Context()
	res := put(t, s, "seed", []byte("contended"), storage.PutOptions{})
	c, _ := storage.ParseCID(res.CID)
	done := make(chan error, 8)
	for w := range 8 {
		go func() {
			ns := fmt.Sprintf("ns%d", w)
			for range 20 {
				if _, err := s.Put(ctx, ns, bytes.NewReader([]byte("contended")), storage.PutOptions{Pin: true, Name: ns}); err != nil {
					done <- err
					return
				}
				if err := s.Unpin(ctx, ns, res.CID); err != nil {
					done <- err
					return
				}
			}
			_, err := s.Put(ctx, ns, bytes.NewReader([]byte("contended")), storage.PutOptions{Pin: true, Name: ns}) // odd workers keep theirs
			if err == nil && w%2 == 0 {
				err = s.Unpin(ctx, ns, res.CID)
			}
			done <- err
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if pl, _ := s.cur.Load().drv.Placement(ctx, c); pl.Status != storage.StatusPinned {
		t.Errorf("4 namespaces hold the pin, driver says %+v", pl)
	}
	for w := 1; w < 8; w += 2 {
		if err := s.Unpin(ctx, fmt.Sprintf("ns%d", w), res.CID); err != nil {
			t.Fatal(err)
		}
	}
	if pl, _ := s.cur.Load().drv.Placement(ctx, c); pl.Status != storage.StatusUnpinned {
		t.Errorf("no namespace holds the pin, driver says %+v", pl)
	}
}
