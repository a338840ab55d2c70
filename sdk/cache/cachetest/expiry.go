package cachetest

import (
	"errors"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// slack absorbs the rounding of expiry times (milliseconds on the wire,
// possibly coarser in a backend). It bounds clock arithmetic, never how
// long an operation takes.
const slack = time.Second

func testTTL(t *testing.T, c cache.Cache) {
	ctx := t.Context()
	ns, dm := plugintest.Unique("ns"), plugintest.Unique("dm")
	const ttl = time.Hour
	before := time.Now()
	if err := c.Put(ctx, ns, dm, "k", []byte(`"v"`), ttl); err != nil {
		t.Fatalf("Put with ttl: %v", err)
	}
	after := time.Now()

	e, err := c.Get(ctx, ns, dm, "k")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	checkExpiresAt(t, "Get", e.ExpiresAt, before.Add(ttl), after.Add(ttl))

	es, err := c.MGet(ctx, ns, dm, []string{"k"})
	if err != nil || len(es) != 1 {
		t.Fatalf("MGet = %v, %v; want one entry", keysOf(es), err)
	}
	checkExpiresAt(t, "MGet", es[0].ExpiresAt, before.Add(ttl), after.Add(ttl))
}

func checkExpiresAt(t *testing.T, what string, got, earliest, latest time.Time) {
	t.Helper()
	if got.IsZero() {
		t.Errorf("%s: ExpiresAt is zero, want about now+ttl", what)
		return
	}
	if got.Before(earliest.Add(-slack)) || got.After(latest.Add(slack)) {
		t.Errorf("%s: ExpiresAt %v, want between %v and %v", what, got, earliest, latest)
	}
}

func testExpiry(t *testing.T, c cache.Cache) {
	ctx := t.Context()
	ns, dm := plugintest.Unique("ns"), plugintest.Unique("dm")
	if err := c.Put(ctx, ns, dm, "short", []byte(`1`), 150*time.Millisecond); err != nil {
		t.Fatalf("Put short: %v", err)
	}
	if err := c.Put(ctx, ns, dm, "long", []byte(`2`), time.Hour); err != nil {
		t.Fatalf("Put long: %v", err)
	}

	deadline := time.Now().Add(15 * time.Second)
	for {
		_, err := c.Get(ctx, ns, dm, "short")
		var e *sdk.Error
		if errors.As(err, &e) && e.Code == sdk.CodeNotFound {
			wantNotFound(t, err, "Get after expiry")
			break
		}
		if err != nil {
			t.Fatalf("Get while waiting for expiry: %v", err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("key with a 150ms ttl still present after 15s")
		}
		time.Sleep(20 * time.Millisecond)
	}

	es, err := c.MGet(ctx, ns, dm, []string{"short", "long"})
	if err != nil {
		t.Fatalf("MGet: %v", err)
	}
	if got := keysOf(es); len(got) != 1 || got[0] != "long" {
		t.Errorf("MGet after expiry returned %v, want [long]", got)
	}
	wantValue(t, c, ns, dm, "long", `2`)
}

func testNoExpiry(t *testing.T, c cache.Cache) {
	ctx := t.Context()
	ns, dm := plugintest.Unique("ns"), plugintest.Unique("dm")
	mustPut(t, c, ns, dm, "k", `"forever"`)
	e, err := c.Get(ctx, ns, dm, "k")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if !e.ExpiresAt.IsZero() {
		t.Errorf("Put with ttl 0: ExpiresAt %v, want zero", e.ExpiresAt)
	}

	// Overwriting an expiring entry with ttl 0 removes its expiry.
	if err := c.Put(ctx, ns, dm, "k2", []byte(`1`), time.Hour); err != nil {
		t.Fatalf("Put with ttl: %v", err)
	}
	mustPut(t, c, ns, dm, "k2", `2`)
	e, err = c.Get(ctx, ns, dm, "k2")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if !e.ExpiresAt.IsZero() || string(e.Value) != `2` {
		t.Errorf("overwrite with ttl 0 = {%q, %v}, want {2, no expiry}", e.Value, e.ExpiresAt)
	}
}
