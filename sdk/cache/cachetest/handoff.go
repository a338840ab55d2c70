package cachetest

import (
	"errors"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// handoff returns c's hand-off, skipping the test when c does not offer
// the optional capability.
func handoff(t *testing.T, c cache.Cache) cache.Handoff {
	t.Helper()
	h, ok := c.(cache.Handoff)
	if !ok {
		t.Skip("not a cache.Handoff (the hand-off is optional)")
	}
	return h
}

// skipUnsupported skips the test when err says the plugin behind a
// client does not offer the hand-off.
func skipUnsupported(t *testing.T, err error) {
	t.Helper()
	if errors.Is(err, cache.ErrHandoffUnsupported) {
		t.Skip("the plugin does not offer the hand-off (optional)")
	}
}

// testHandoffImport: Import stores new entries with their expiry, keeps a
// key that exists, and skips an expired entry.
func testHandoffImport(t *testing.T, c cache.Cache) {
	h := handoff(t, c)
	ctx := t.Context()
	ns, dm := plugintest.Unique("ns"), plugintest.Unique("dm")
	mustPut(t, c, ns, dm, "existing", `"newer"`)
	exp := time.Now().Add(time.Hour)
	n, err := h.Import(ctx, []cache.HandoffEntry{
		{Namespace: ns, DMap: dm, Entry: cache.Entry{Key: "ttl", Value: []byte(`1`), ExpiresAt: exp}},
		{Namespace: ns, DMap: dm, Entry: cache.Entry{Key: "forever", Value: []byte(`2`)}},
		{Namespace: ns, DMap: dm, Entry: cache.Entry{Key: "existing", Value: []byte(`"older"`)}},
		{Namespace: ns, DMap: dm, Entry: cache.Entry{Key: "gone", Value: []byte(`3`), ExpiresAt: time.Now().Add(-time.Second)}},
	})
	skipUnsupported(t, err)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if want := (cache.ImportCounts{Stored: 2, Existed: 1, Expired: 1}); n != want {
		t.Errorf("Import counts %+v, want %+v", n, want)
	}
	e, err := c.Get(ctx, ns, dm, "ttl")
	if err != nil {
		t.Fatalf("Get imported: %v", err)
	}
	checkExpiresAt(t, "imported entry", e.ExpiresAt, exp, exp)
	if e, err := c.Get(ctx, ns, dm, "forever"); err != nil || !e.ExpiresAt.IsZero() {
		t.Errorf("Get imported entry without expiry = %+v, %v", e, err)
	}
	if e, err := c.Get(ctx, ns, dm, "existing"); err != nil || string(e.Value) != `"newer"` {
		t.Errorf("existing key = %q, %v; Import must not overwrite it", e.Value, err)
	}
	_, err = c.Get(ctx, ns, dm, "gone")
	wantNotFound(t, err, "Get of an entry imported expired")
}

// testHandoffExport: Export sends every entry written, with its expiry,
// in batches no larger than asked.
func testHandoffExport(t *testing.T, c cache.Cache) {
	h := handoff(t, c)
	ctx := t.Context()
	ns, dm := plugintest.Unique("ns"), plugintest.Unique("dm")
	before := time.Now()
	if err := c.Put(ctx, ns, dm, "ttl", []byte(`1`), time.Hour); err != nil {
		t.Fatal(err)
	}
	mustPut(t, c, ns, dm, "forever", `2`)
	for _, k := range []string{"a", "b", "c"} {
		mustPut(t, c, ns, dm, k, `0`)
	}
	got := map[string]cache.Entry{}
	var total int64
	first := true
	err := h.Export(ctx, 2, func(b cache.ExportBatch) error {
		if len(b.Entries) > 2 {
			t.Errorf("batch of %d entries, asked for at most 2", len(b.Entries))
		}
		if first {
			total, first = b.Total, false
		}
		for _, e := range b.Entries {
			if e.Namespace == ns && e.DMap == dm {
				got[e.Key] = e.Entry
			}
		}
		return nil
	})
	skipUnsupported(t, err)
	if err != nil {
		t.Fatalf("Export: %v", err)
	}
	if len(got) == 0 && total == 0 {
		t.Skip("Export sent nothing: this instance holds no entry its stop would lose (e.g. a client of external servers)")
	}
	if len(got) != 5 {
		t.Fatalf("Export sent %d entries of the dmap, want 5: %v", len(got), got)
	}
	if total < 5 {
		t.Errorf("Export total %d, want at least the 5 entries written", total)
	}
	checkExpiresAt(t, "exported entry", got["ttl"].ExpiresAt, before.Add(time.Hour), time.Now().Add(time.Hour))
	if e := got["forever"]; string(e.Value) != `2` || !e.ExpiresAt.IsZero() {
		t.Errorf("exported entry without expiry = %+v", e)
	}
}
