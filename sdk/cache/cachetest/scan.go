package cachetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

func testScan(t *testing.T, c cache.Cache) {
	ns, dm := plugintest.Unique("ns"), plugintest.Unique("dm")
	keys := []string{"user:2", "order:1", "user:10", "other", "user:1", "a.b", "axb"}
	for _, k := range keys {
		mustPut(t, c, ns, dm, k, `0`)
	}
	sorted := slices.Sorted(slices.Values(keys))

	wantScan(t, c, ns, dm, "", 0, sorted, false)
	wantScan(t, c, ns, dm, "^user:", 0, []string{"user:1", "user:10", "user:2"}, false)
	wantScan(t, c, ns, dm, `^a\.b$`, 0, []string{"a.b"}, false) // RE2, not a glob
	wantScan(t, c, ns, dm, "1$", 0, []string{"order:1", "user:1"}, false)
	wantScan(t, c, ns, dm, "^nothing", 0, nil, false)
	wantScan(t, c, ns, plugintest.Unique("dm"), "", 0, nil, false) // unknown dmap

	_, _, err := c.Scan(t.Context(), ns, dm, "(unclosed", 0)
	plugintest.WantCode(t, err, "Scan with an invalid expression", sdk.CodeInvalid)
}

func testScanLimit(t *testing.T, c cache.Cache) {
	ns, dm := plugintest.Unique("ns"), plugintest.Unique("dm")
	var all []string
	for i := range 25 {
		k := fmt.Sprintf("k%02d", i)
		all = append(all, k)
		mustPut(t, c, ns, dm, k, `0`)
	}
	wantScan(t, c, ns, dm, "", 10, all[:10], true)
	wantScan(t, c, ns, dm, "", 24, all[:24], true)
	wantScan(t, c, ns, dm, "", 25, all, false)
	wantScan(t, c, ns, dm, "", 30, all, false)
	wantScan(t, c, ns, dm, "", 0, all, false)
	wantScan(t, c, ns, dm, "[13579]$", 3, []string{"k01", "k03", "k05"}, true)
}

// wantScan checks Scan's keys (the first limit matches in sorted order)
// and truncated flag.
func wantScan(t *testing.T, c cache.Cache, ns, dm, match string, limit int, want []string, truncated bool) {
	t.Helper()
	got, trunc, err := c.Scan(t.Context(), ns, dm, match, limit)
	if err != nil {
		t.Errorf("Scan(%q, limit %d): %v", match, limit, err)
		return
	}
	if !slices.Equal(got, want) || trunc != truncated {
		t.Errorf("Scan(%q, limit %d) = %v, truncated %v; want %v, truncated %v", match, limit, got, trunc, want, truncated)
	}
}
