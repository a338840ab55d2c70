package cachetest

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

func testInvalidNames(t *testing.T, c cache.Cache) {
	ctx := t.Context()
	ns, dm := plugintest.Unique("ns"), plugintest.Unique("dm")
	long := strings.Repeat("n", cache.MaxNameLen+1)
	cases := []struct{ what, ns, dm, key string }{
		{"empty namespace", "", dm, "k"},
		{"empty dmap", ns, "", "k"},
		{"empty key", ns, dm, ""},
		{"long namespace", long, dm, "k"},
		{"long dmap", ns, long, "k"},
		{"long key", ns, dm, long},
	}
	for _, tc := range cases {
		_, err := c.Get(ctx, tc.ns, tc.dm, tc.key)
		plugintest.WantCode(t, err, "Get with "+tc.what, sdk.CodeInvalid)
		err = c.Put(ctx, tc.ns, tc.dm, tc.key, []byte(`1`), 0)
		plugintest.WantCode(t, err, "Put with "+tc.what, sdk.CodeInvalid)
		err = c.Delete(ctx, tc.ns, tc.dm, tc.key)
		plugintest.WantCode(t, err, "Delete with "+tc.what, sdk.CodeInvalid)
		_, err = c.MGet(ctx, tc.ns, tc.dm, []string{"ok", tc.key})
		plugintest.WantCode(t, err, "MGet with "+tc.what, sdk.CodeInvalid)
		if tc.key == "k" {
			_, _, err = c.Scan(ctx, tc.ns, tc.dm, "", 0)
			plugintest.WantCode(t, err, "Scan with "+tc.what, sdk.CodeInvalid)
		}
	}

	// Names of exactly MaxNameLen bytes are fine.
	pad := func(p string) string { return p + strings.Repeat("m", cache.MaxNameLen-len(p)) }
	mns, mdm, mkey := pad(plugintest.Unique("ns")), pad(plugintest.Unique("dm")), pad("key")
	mustPut(t, c, mns, mdm, mkey, `"longest names"`)
	wantValue(t, c, mns, mdm, mkey, `"longest names"`)
	wantScan(t, c, mns, mdm, "", 0, []string{mkey}, false)
	if err := c.Delete(ctx, mns, mdm, mkey); err != nil {
		t.Errorf("Delete with names of MaxNameLen bytes: %v", err)
	}
}

func testValueSize(t *testing.T, c cache.Cache) {
	ctx := t.Context()
	ns, dm := plugintest.Unique("ns"), plugintest.Unique("dm")
	big := bytes.Repeat([]byte("x"), cache.MaxValueLen+1)
	err := c.Put(ctx, ns, dm, "big", big, 0)
	plugintest.WantCode(t, err, "Put of MaxValueLen+1 bytes", sdk.CodeTooLarge)
	_, err = c.Get(ctx, ns, dm, "big")
	wantNotFound(t, err, "Get after a rejected Put")

	largest := big[:cache.MaxValueLen]
	largest[0], largest[len(largest)-1] = '[', ']'
	if err := c.Put(ctx, ns, dm, "largest", largest, 0); err != nil {
		t.Fatalf("Put of MaxValueLen bytes: %v", err)
	}
	e, err := c.Get(ctx, ns, dm, "largest")
	if err != nil || !bytes.Equal(e.Value, largest) {
		t.Errorf("Get of MaxValueLen bytes: %d bytes, %v", len(e.Value), err)
	}

	if err := c.Put(ctx, ns, dm, "empty", nil, 0); err != nil {
		t.Fatalf("Put of an empty value: %v", err)
	}
	e, err = c.Get(ctx, ns, dm, "empty")
	if err != nil || len(e.Value) != 0 {
		t.Errorf("Get of an empty value = %q, %v", e.Value, err)
	}
}

func testConcurrent(t *testing.T, c cache.Cache) {
	ctx := t.Context()
	ns, dm := plugintest.Unique("ns"), plugintest.Unique("dm")
	const workers, rounds = 16, 50
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range rounds {
				own := fmt.Sprintf("w%d-k%d", w, i%5)
				val := fmt.Appendf(nil, `{"w":%d,"i":%d}`, w, i)
				if err := c.Put(ctx, ns, dm, own, val, 0); err != nil {
					t.Errorf("worker %d Put: %v", w, err)
					return
				}
				e, err := c.Get(ctx, ns, dm, own)
				if err != nil || !bytes.Equal(e.Value, val) {
					t.Errorf("worker %d Get own key = %q, %v; want %q", w, e.Value, err, val)
					return
				}
				// A key every worker writes: any worker's value is fine.
				if err := c.Put(ctx, ns, dm, "shared", val, 0); err != nil {
					t.Errorf("worker %d Put shared: %v", w, err)
					return
				}
				if _, err := c.Get(ctx, ns, dm, "shared"); err != nil {
					t.Errorf("worker %d Get shared: %v", w, err)
					return
				}
			}
		})
	}
	wg.Wait()
	keys, _, err := c.Scan(ctx, ns, dm, "", 0)
	if err != nil || len(keys) != workers*5+1 {
		t.Errorf("Scan after concurrent writes: %d keys, %v; want %d", len(keys), err, workers*5+1)
	}
}

func testHealth(t *testing.T, c cache.Cache) {
	h, err := c.Health(t.Context())
	if err != nil {
		t.Fatalf("Health: %v", err)
	}
	if !h.OK || h.Driver == "" {
		t.Errorf("Health = %+v, want OK with a driver name", h)
	}
}
