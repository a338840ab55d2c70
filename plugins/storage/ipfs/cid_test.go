package ipfs

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/ipfs/boxo/files"
	"github.com/ipfs/kubo/client/rpc"
	"github.com/ipfs/kubo/core/coreiface/options"
	"github.com/orama-network/orama/plugins/storage/embedded"
	"github.com/orama-network/orama/plugins/storage/internal/gen"
	"github.com/orama-network/orama/plugins/storage/internal/kubotest"
)

// TestCIDsEqualKubo imports the same bytes with the embedded driver and
// with a real kubo's `ipfs add` (through its RPC API, with kubo's
// defaults and --cid-version=1), and requires equal CIDs.
func TestCIDsEqualKubo(t *testing.T) {
	k := kubotest.Start(t)
	api, err := rpc.NewURLApiWithClient(k.URL, &http.Client{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		data func() io.Reader
	}{
		{"empty", func() io.Reader { return bytes.NewReader(nil) }},
		{"1 byte", func() io.Reader { return bytes.NewReader([]byte{'x'}) }},
		{"256 KiB", func() io.Reader { return gen.Reader(1, 256<<10) }},
		{"256 KiB + 1", func() io.Reader { return gen.Reader(2, 256<<10+1) }},
		{"3 MiB", func() io.Reader { return gen.Reader(3, 3<<20) }},
		{"random 10 MiB", func() io.Reader { return gen.Reader(4, 10<<20) }},
	}
	for _, version := range []int{0, 1} {
		emb, err := embedded.Open(t.Context(), embedded.Options{Dir: t.TempDir(), CIDVersion: version})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = emb.Close(t.Context()) })
		for _, tc := range cases {
			t.Run(fmt.Sprintf("v%d/%s", version, tc.name), func(t *testing.T) {
				mine, err := emb.Add(t.Context(), tc.data())
				if err != nil {
					t.Fatalf("embedded Add: %v", err)
				}
				opts := []options.UnixfsAddOption{options.Unixfs.Pin(false, "")}
				if version == 1 {
					opts = append(opts, options.Unixfs.CidVersion(1)) // raw leaves are kubo's default with v1
				}
				p, err := api.Unixfs().Add(t.Context(), files.NewReaderFile(tc.data()), opts...)
				if err != nil {
					t.Fatalf("kubo add: %v", err)
				}
				if theirs := p.RootCid(); !mine.Equals(theirs) {
					t.Errorf("embedded %s, kubo %s", mine, theirs)
				} else {
					t.Logf("CIDv%d %-14s %s (embedded = kubo)", version, tc.name, mine)
				}
			})
		}
	}
}
