package cachetest

import (
	"testing"

	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

func testNamespaceIsolation(t *testing.T, c cache.Cache) {
	ctx := t.Context()
	a, b, dm := plugintest.Unique("ns-a"), plugintest.Unique("ns-b"), plugintest.Unique("dm")
	mustPut(t, c, a, dm, "k", `"in a"`)
	mustPut(t, c, b, dm, "k", `"in b"`)
	mustPut(t, c, b, dm, "only-b", `1`)
	wantValue(t, c, a, dm, "k", `"in a"`)
	wantValue(t, c, b, dm, "k", `"in b"`)

	_, err := c.Get(ctx, a, dm, "only-b")
	wantNotFound(t, err, "Get of another namespace's key")
	es, err := c.MGet(ctx, a, dm, []string{"only-b", "k"})
	if err != nil || len(es) != 1 || string(es[0].Value) != `"in a"` {
		t.Errorf("MGet in namespace a = %v, %v; want only a's k", keysOf(es), err)
	}
	wantScan(t, c, a, dm, "", 0, []string{"k"}, false)
	wantScan(t, c, b, dm, "", 0, []string{"k", "only-b"}, false)

	if err := c.Delete(ctx, a, dm, "k"); err != nil {
		t.Fatalf("Delete in a: %v", err)
	}
	wantValue(t, c, b, dm, "k", `"in b"`)
	wantNotFound(t, c.Delete(ctx, a, dm, "only-b"), "Delete of another namespace's key")
	wantValue(t, c, b, dm, "only-b", `1`)

	// Names that run together when joined naively stay apart:
	// (x:y, z) is not (x, y:z).
	base := plugintest.Unique("x")
	mustPut(t, c, base+":y", "z", "k", `"first"`)
	mustPut(t, c, base, "y:z", "k", `"second"`)
	wantValue(t, c, base+":y", "z", "k", `"first"`)
	wantValue(t, c, base, "y:z", "k", `"second"`)
}

func testDMapIsolation(t *testing.T, c cache.Cache) {
	ctx := t.Context()
	ns, d1, d2 := plugintest.Unique("ns"), plugintest.Unique("dm-1"), plugintest.Unique("dm-2")
	mustPut(t, c, ns, d1, "k", `"in d1"`)
	mustPut(t, c, ns, d2, "k", `"in d2"`)
	mustPut(t, c, ns, d2, "only-d2", `1`)
	wantValue(t, c, ns, d1, "k", `"in d1"`)
	wantValue(t, c, ns, d2, "k", `"in d2"`)

	_, err := c.Get(ctx, ns, d1, "only-d2")
	wantNotFound(t, err, "Get of another dmap's key")
	wantScan(t, c, ns, d1, "", 0, []string{"k"}, false)

	if err := c.Delete(ctx, ns, d1, "k"); err != nil {
		t.Fatalf("Delete in d1: %v", err)
	}
	wantValue(t, c, ns, d2, "k", `"in d2"`)
}
