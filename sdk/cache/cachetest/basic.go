package cachetest

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// values are the bytes of JSON values of every kind, plus bytes that are
// not JSON at all: values are opaque to a cache.
var values = map[string][]byte{
	"string": []byte(`"héllo, wörld"`),
	"number": []byte(`-12.5e3`),
	"object": []byte(`{"a":1,"b":[true,null],"c":{"d":"e"}}`),
	"array":  []byte(`[1,"two",{"three":3},[]]`),
	"null":   []byte(`null`),
	"true":   []byte(`true`),
	"binary": {0x00, 0xff, 0x10, '\n', 0x00},
}

func testRoundTrip(t *testing.T, c cache.Cache) {
	ns, dm := plugintest.Unique("ns"), plugintest.Unique("dm")
	for name, v := range values {
		if err := c.Put(t.Context(), ns, dm, "k-"+name, v, 0); err != nil {
			t.Fatalf("Put %s: %v", name, err)
		}
	}
	for name, v := range values {
		e, err := c.Get(t.Context(), ns, dm, "k-"+name)
		if err != nil {
			t.Errorf("Get %s: %v", name, err)
			continue
		}
		if !bytes.Equal(e.Value, v) {
			t.Errorf("Get %s: value %q, want %q", name, e.Value, v)
		}
		if e.Key != "k-"+name {
			t.Errorf("Get %s: key %q, want %q", name, e.Key, "k-"+name)
		}
		if !e.ExpiresAt.IsZero() {
			t.Errorf("Get %s: ExpiresAt %v, want zero (no ttl)", name, e.ExpiresAt)
		}
	}
}

func testOverwrite(t *testing.T, c cache.Cache) {
	ns, dm := plugintest.Unique("ns"), plugintest.Unique("dm")
	mustPut(t, c, ns, dm, "k", `"first"`)
	mustPut(t, c, ns, dm, "k", `{"second":true}`)
	wantValue(t, c, ns, dm, "k", `{"second":true}`)
}

func testGetMissing(t *testing.T, c cache.Cache) {
	ns, dm := plugintest.Unique("ns"), plugintest.Unique("dm")
	_, err := c.Get(t.Context(), ns, dm, "never-written")
	wantNotFound(t, err, "Get of a key in an unknown dmap")

	mustPut(t, c, ns, dm, "present", `1`)
	_, err = c.Get(t.Context(), ns, dm, "absent")
	wantNotFound(t, err, "Get of an absent key")
}

func testMGet(t *testing.T, c cache.Cache) {
	ctx := t.Context()
	ns, dm := plugintest.Unique("ns"), plugintest.Unique("dm")
	for _, k := range []string{"a", "b", "c"} {
		mustPut(t, c, ns, dm, k, fmt.Sprintf(`"value of %s"`, k))
	}
	got, err := c.MGet(ctx, ns, dm, []string{"c", "missing", "a", "b", "also-missing"})
	if err != nil {
		t.Fatalf("MGet: %v", err)
	}
	want := []string{"c", "a", "b"}
	if len(got) != len(want) {
		t.Fatalf("MGet returned %d entries (%v), want %d (%v)", len(got), keysOf(got), len(want), want)
	}
	for i, k := range want {
		if got[i].Key != k || string(got[i].Value) != fmt.Sprintf(`"value of %s"`, k) {
			t.Errorf("MGet[%d] = {%q, %q}, want key %q", i, got[i].Key, got[i].Value, k)
		}
	}

	got, err = c.MGet(ctx, ns, dm, []string{"missing"})
	if err != nil || len(got) != 0 {
		t.Errorf("MGet of only missing keys = %v, %v; want no entries, no error", keysOf(got), err)
	}
	got, err = c.MGet(ctx, ns, dm, nil)
	if err != nil || len(got) != 0 {
		t.Errorf("MGet of no keys = %v, %v; want no entries, no error", keysOf(got), err)
	}

	many := make([]string, cache.MaxKeys+1)
	for i := range many {
		many[i] = fmt.Sprintf("k%d", i)
	}
	_, err = c.MGet(ctx, ns, dm, many)
	plugintest.WantCode(t, err, fmt.Sprintf("MGet of %d keys", len(many)), sdk.CodeInvalid)
	_, err = c.MGet(ctx, ns, dm, many[:cache.MaxKeys])
	if err != nil {
		t.Errorf("MGet of exactly MaxKeys keys: %v", err)
	}
}

func testDelete(t *testing.T, c cache.Cache) {
	ctx := t.Context()
	ns, dm := plugintest.Unique("ns"), plugintest.Unique("dm")
	mustPut(t, c, ns, dm, "k", `"v"`)
	mustPut(t, c, ns, dm, "other", `"stays"`)
	if err := c.Delete(ctx, ns, dm, "k"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	_, err := c.Get(ctx, ns, dm, "k")
	wantNotFound(t, err, "Get after Delete")
	wantValue(t, c, ns, dm, "other", `"stays"`)

	wantNotFound(t, c.Delete(ctx, ns, dm, "k"), "second Delete")
	wantNotFound(t, c.Delete(ctx, ns, dm, "never-written"), "Delete of an absent key")
	wantNotFound(t, c.Delete(ctx, ns, plugintest.Unique("dm"), "k"), "Delete in an unknown dmap")
}

func keysOf(es []cache.Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Key
	}
	return out
}
