package cachetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// watchWait bounds the wait for one invalidation (generous: a cluster
// carries it between members).
const watchWait = 20 * time.Second

// watch starts c's invalidation stream and waits for its opening
// Invalidation{All: true}. It skips the test when c does not offer the
// optional stream.
func watch(t *testing.T, c cache.Cache) <-chan cache.Invalidation {
	t.Helper()
	w, ok := c.(cache.Watcher)
	if !ok {
		t.Skip("not a cache.Watcher (the invalidation stream is optional)")
	}
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan cache.Invalidation, 1<<16)
	errc := make(chan error, 1)
	go func() {
		errc <- w.WatchInvalidations(ctx, func(inv cache.Invalidation) error {
			select {
			case ch <- inv:
			default: // the test stopped reading
			}
			return nil
		})
	}()
	t.Cleanup(func() {
		cancel()
		<-errc
	})
	select {
	case inv := <-ch:
		if !inv.All {
			t.Fatalf("first invalidation = %+v, want All", inv)
		}
	case err := <-errc:
		if errors.Is(err, cache.ErrWatchUnsupported) {
			t.Skip("the plugin does not stream invalidations (optional)")
		}
		t.Fatalf("WatchInvalidations ended before its first message: %v", err)
	case <-time.After(watchWait):
		t.Fatal("no opening invalidation within", watchWait)
	}
	return ch
}

// wantInvalidation waits for the invalidation of (ns, dm, key), failing on
// any invalidation of a namespace in never on the way.
func wantInvalidation(t *testing.T, ch <-chan cache.Invalidation, ns, dm, key string, never ...string) {
	t.Helper()
	deadline := time.After(watchWait)
	for {
		select {
		case inv := <-ch:
			for _, n := range never {
				if !inv.All && inv.Namespace == n {
					t.Fatalf("invalidation %+v names namespace %s, which was not written", inv, short(n))
				}
			}
			if !inv.All && inv.Namespace == ns && inv.DMap == dm && inv.Key == key {
				return
			}
		case <-deadline:
			t.Fatalf("no invalidation of (%s, %s, %s) within %v", short(ns), short(dm), short(key), watchWait)
		}
	}
}

func testWatchPut(t *testing.T, c cache.Cache) {
	ch := watch(t, c)
	a, b, dm := plugintest.Unique("ns-a"), plugintest.Unique("ns-b"), plugintest.Unique("dm")
	mustPut(t, c, a, dm, "k", `1`)
	wantInvalidation(t, ch, a, dm, "k", b)
	mustPut(t, c, a, dm, "k", `2`) // an overwrite too
	wantInvalidation(t, ch, a, dm, "k", b)
	mustPut(t, c, b, dm, "k", `3`)
	wantInvalidation(t, ch, b, dm, "k")

	// Names that run together when joined naively stay apart.
	x := plugintest.Unique("x")
	mustPut(t, c, x+":y", "z", "k", `4`)
	wantInvalidation(t, ch, x+":y", "z", "k", x)
	mustPut(t, c, x, "y:z", "k", `5`)
	wantInvalidation(t, ch, x, "y:z", "k")
}

func testWatchDelete(t *testing.T, c cache.Cache) {
	a, b, dm := plugintest.Unique("ns-a"), plugintest.Unique("ns-b"), plugintest.Unique("dm")
	mustPut(t, c, a, dm, "k", `1`)
	mustPut(t, c, b, dm, "k", `1`)
	ch := watch(t, c)
	if err := c.Delete(t.Context(), a, dm, "k"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	wantInvalidation(t, ch, a, dm, "k", b)
	wantValue(t, c, b, dm, "k", `1`)
}

// testWatchOrder checks that an invalidation comes after its write is
// visible: a Get made on receiving it sees the new value.
func testWatchOrder(t *testing.T, c cache.Cache) {
	ch := watch(t, c)
	ns, dm := plugintest.Unique("ns"), plugintest.Unique("dm")
	for _, v := range []string{`"one"`, `"two"`, `"three"`} {
		mustPut(t, c, ns, dm, "k", v)
		wantInvalidation(t, ch, ns, dm, "k")
		wantValue(t, c, ns, dm, "k", v)
	}
}
