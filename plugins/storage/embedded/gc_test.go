package embedded

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"github.com/orama-network/orama/plugins/storage/internal/gen"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// TestGCKeepsPinnedRemovesTheRest pins one file of two that share no
// blocks, and one that shares blocks with an unpinned one.
func TestGCKeepsPinnedRemovesTheRest(t *testing.T) {
	for _, version := range []int{0, 1} {
		s := openStore(t, version)
		ctx := t.Context()
		kept := gen.Bytes(10, 700000)
		dropped := gen.Bytes(11, 700000)
		// shares its first two chunks with kept, then differs
		sharing := append(append([]byte{}, kept[:2*262144]...), gen.Bytes(12, 1000)...)

		ck := add(t, s, kept)
		cd := add(t, s, dropped)
		cs := add(t, s, sharing)
		if err := s.Pin(ctx, ck, pinSpec("kept")); err != nil {
			t.Fatal(err)
		}
		res, err := s.GC(ctx)
		if err != nil {
			t.Fatalf("v%d GC: %v", version, err)
		}
		// kept: 3 leaves + root; dropped: 3 leaves + root; sharing: 1 own leaf + root
		if res.Kept != 4 || res.Removed != 6 {
			t.Errorf("v%d GC = %+v, want 4 kept, 6 removed", version, res)
		}
		if got, err := readAll(t, s, ck, 0, int64(len(kept))); err != nil || !bytes.Equal(got, kept) {
			t.Errorf("v%d pinned content after GC: %d bytes, %v", version, len(got), err)
		}
		_, err = s.Size(ctx, cd)
		plugintest.WantCode(t, err, "Size of collected content", sdk.CodeNotFound)
		_, err = s.Size(ctx, cs)
		plugintest.WantCode(t, err, "Size of collected content sharing blocks", sdk.CodeNotFound)

		if err := s.Unpin(ctx, ck); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GC(ctx); err != nil {
			t.Fatal(err)
		}
		if n := blockCount(t, s); n != 0 {
			t.Errorf("v%d: %d blocks left with no pins", version, n)
		}
	}
}

// TestGCCollectsABrokenImport: an import whose reader fails half way
// leaves blocks but no root; they are garbage.
func TestGCCollectsABrokenImport(t *testing.T) {
	s := openStore(t, 1)
	boom := errors.New("client went away")
	r := io.MultiReader(gen.Reader(20, 5*262144), errReader{boom})
	if _, err := s.Add(t.Context(), r); !errors.Is(err, boom) {
		t.Fatalf("Add = %v, want the reader's error", err)
	}
	if n := blockCount(t, s); n == 0 {
		t.Fatal("the broken import wrote nothing; the test proves nothing")
	}
	if _, err := s.GC(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := blockCount(t, s); n != 0 {
		t.Errorf("%d blocks of a broken import survived GC", n)
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// TestGCWaitsForHolders: while an import holds the store, GC does not
// run; it gives up when its context ends and runs once released.
func TestGCWaitsForHolders(t *testing.T) {
	s := openStore(t, 0)
	c := add(t, s, []byte("unpinned"))
	release := s.Hold()
	done, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := s.GC(done)
	plugintest.WantCode(t, err, "GC while held", sdk.CodeUnavailable)
	if _, err := s.Size(t.Context(), c); err != nil {
		t.Errorf("GC that gave up removed content: %v", err)
	}
	release()
	if res, err := s.GC(t.Context()); err != nil || res.Removed != 1 {
		t.Errorf("GC after release = %+v, %v", res, err)
	}
}
