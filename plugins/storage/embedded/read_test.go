package embedded

import (
	"bytes"
	"testing"

	"github.com/ipfs/boxo/ipld/merkledag"
	"github.com/ipfs/boxo/ipld/unixfs"
	"github.com/orama-network/orama/plugins/storage/internal/gen"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// TestSizeAndRanges reads ranges that start and end inside, on and
// across chunk boundaries of a file of 3 chunks and a bit.
func TestSizeAndRanges(t *testing.T) {
	data := gen.Bytes(1, 3*262144+1000)
	for _, version := range []int{0, 1} {
		s := openStore(t, version)
		c := add(t, s, data)
		size, err := s.Size(t.Context(), c)
		if err != nil || size != int64(len(data)) {
			t.Fatalf("v%d Size = %d, %v; want %d", version, size, err, len(data))
		}
		n := int64(len(data))
		for _, r := range [][2]int64{
			{0, n}, {0, 0}, {n, 0}, {1, 10}, {262143, 2}, {262144, 262144}, {100, 600000}, {n - 1, 1}, {3 * 262144, 1000},
		} {
			got, err := readAll(t, s, c, r[0], r[1])
			if err != nil {
				t.Fatalf("v%d range %v: %v", version, r, err)
			}
			if !bytes.Equal(got, data[r[0]:r[0]+r[1]]) {
				t.Errorf("v%d range %v: %d bytes differ from the original", version, r, len(got))
			}
		}
	}
}

func TestSmallFileSize(t *testing.T) {
	for _, version := range []int{0, 1} {
		s := openStore(t, version)
		for _, data := range [][]byte{nil, []byte("x"), []byte("hello world\n")} {
			c := add(t, s, data)
			if size, err := s.Size(t.Context(), c); err != nil || size != int64(len(data)) {
				t.Errorf("v%d Size(%q) = %d, %v", version, data, size, err)
			}
			if got, err := readAll(t, s, c, 0, int64(len(data))); err != nil || !bytes.Equal(got, data) {
				t.Errorf("v%d read %q = %q, %v", version, data, got, err)
			}
		}
	}
}

func TestUnknownContentIsNotFound(t *testing.T) {
	s := openStore(t, 0)
	other := openStore(t, 0)
	c := add(t, other, []byte("only in the other store"))
	_, err := s.Size(t.Context(), c)
	plugintest.WantCode(t, err, "Size", sdk.CodeNotFound)
	_, err = s.Open(t.Context(), c, 0, 1)
	plugintest.WantCode(t, err, "Open", sdk.CodeNotFound)
	plugintest.WantCode(t, s.Pin(t.Context(), c, pinSpec("x")), "Pin", sdk.CodeNotFound)
}

func TestDirectoryIsNotAFile(t *testing.T) {
	s := openStore(t, 0)
	dir := merkledag.NodeWithData(unixfs.FolderPBData())
	if err := s.dag.Add(t.Context(), dir); err != nil {
		t.Fatal(err)
	}
	_, err := s.Size(t.Context(), dir.Cid())
	plugintest.WantCode(t, err, "Size of a directory", sdk.CodeInvalid)
	_, err = s.Open(t.Context(), dir.Cid(), 0, 0)
	plugintest.WantCode(t, err, "Open of a directory", sdk.CodeInvalid)

}
