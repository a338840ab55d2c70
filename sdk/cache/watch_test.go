package cache_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/cache/cachetest"
)

func TestWatchUnsupported(t *testing.T) {
	c := dial(t, t.Context(), failing{sdk.Errorf(sdk.CodeInternal, "x")})
	err := c.WatchInvalidations(t.Context(), func(cache.Invalidation) error { return nil })
	if !errors.Is(err, cache.ErrWatchUnsupported) {
		t.Fatalf("WatchInvalidations of a non-Watcher = %v, want ErrWatchUnsupported", err)
	}
}

// TestWatchDown: taking the Fanout down ends the stream (unavailable) over
// gRPC, holds new watchers back, and up again starts them with All.
func TestWatchDown(t *testing.T) {
	m := cachetest.NewMemory()
	c := dial(t, t.Context(), m)
	got := make(chan cache.Invalidation, 16)
	errc := make(chan error, 1)
	go func() {
		errc <- c.WatchInvalidations(t.Context(), func(inv cache.Invalidation) error { got <- inv; return nil })
	}()
	if inv := <-got; !inv.All {
		t.Fatalf("first = %+v, want All", inv)
	}
	m.Fanout.SetUp(false)
	if err := <-errc; sdk.AsError(err).Code != sdk.CodeUnavailable {
		t.Fatalf("stream ended with %v, want unavailable", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		errc <- c.WatchInvalidations(ctx, func(inv cache.Invalidation) error { got <- inv; return nil })
	}()
	select {
	case inv := <-got:
		t.Fatalf("watch while down got %+v", inv)
	case <-time.After(100 * time.Millisecond): // not a timing assertion: nothing may come at all
	}
	m.Fanout.SetUp(true)
	if inv := <-got; !inv.All {
		t.Fatalf("first after up = %+v, want All", inv)
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("after cancel: %v", err)
	}
}

// TestFanoutOverflow: a watcher that cannot keep up loses invalidations
// but is then told to flush everything, after what it had queued.
func TestFanoutOverflow(t *testing.T) {
	f := cache.NewFanout(2)
	release := make(chan struct{})
	var got []cache.Invalidation
	done := make(chan error, 1)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	started := make(chan struct{})
	go func() {
		done <- f.Watch(ctx, func(inv cache.Invalidation) error {
			got = append(got, inv)
			if len(got) == 1 {
				close(started)
				<-release // hold the watcher while the queue overflows
			}
			if len(got) == 4 {
				cancel()
			}
			return nil
		})
	}()
	<-started
	for _, k := range []string{"a", "b", "c", "d"} {
		f.Publish(cache.Invalidation{Namespace: "ns", DMap: "dm", Key: k})
	}
	close(release)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("watcher did not finish")
	}
	want := []cache.Invalidation{{All: true}, {Namespace: "ns", DMap: "dm", Key: "a"}, {Namespace: "ns", DMap: "dm", Key: "b"}, {All: true}}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %+v, want %+v", got, want)
		}
	}
}
