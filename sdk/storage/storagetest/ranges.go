package storagetest

import (
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/storage"
)

func testRanges(t *testing.T, s storage.Storage) {
	ns := plugintest.Unique("ns")
	const chunk = storage.ChunkSize
	c := newContent(3*chunk + 123)
	res := put(t, s, ns, c, storage.PutOptions{Pin: true})
	size := c.size

	ok := []struct {
		name           string
		offset, length int64
	}{
		{"whole", 0, -1},
		{"start", 0, 10},
		{"across a chunk boundary", chunk - 5, 10},
		{"middle, across two boundaries", 100, 2 * chunk},
		{"to the end", size - 7, -1},
		{"length beyond the end", size - 7, 100},
		{"from a chunk boundary to the end", 2 * chunk, -1},
		{"zero length", 5, 0},
		{"offset == size", size, -1},
		{"offset == size with a length", size, 10},
	}
	for _, tc := range ok {
		t.Run(tc.name, func(t *testing.T) {
			wantContent(t, s, ns, res.CID, c, tc.offset, tc.length)
		})
	}

	bad := []struct {
		name           string
		offset, length int64
	}{
		{"offset > size", size + 1, -1},
		{"offset far beyond", size * 4, 1},
		{"negative offset", -1, 10},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := get(t, s, ns, res.CID, tc.offset, tc.length)
			plugintest.WantCode(t, err, "Get with "+tc.name, sdk.CodeInvalid)
		})
	}

	t.Run("empty content", func(t *testing.T) {
		e := newContent(0)
		er := put(t, s, ns, e, storage.PutOptions{Pin: true})
		wantContent(t, s, ns, er.CID, e, 0, -1)
		wantContent(t, s, ns, er.CID, e, 0, 10)
		_, err := get(t, s, ns, er.CID, 1, -1)
		plugintest.WantCode(t, err, "Get of empty content at offset 1", sdk.CodeInvalid)
	})
}
