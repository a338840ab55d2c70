package cache

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/cache/cachetest"
)

// fakePlugin is a cache plugin for the near cache's tests: its data is a
// cachetest.Memory, its Gets are counted (and may be held), and its
// invalidation stream is driven by the test.
type fakePlugin struct {
	*cachetest.Memory
	gets   atomic.Int64
	hold   chan chan struct{} // non-nil: each Get sends a channel and waits until it is closed
	mu     sync.Mutex
	stream chan cache.Invalidation // current stream's input; nil: none
	ended  chan error              // ends the current stream
	opened chan struct{}           // a stream opened
}

func newFakePlugin() *fakePlugin {
	return &fakePlugin{Memory: cachetest.NewMemory(), opened: make(chan struct{}, 16)}
}

func (f *fakePlugin) Get(ctx context.Context, ns, dmap, key string) (cache.Entry, error) {
	f.gets.Add(1)
	if f.hold != nil {
		release := make(chan struct{})
		f.hold <- release
		<-release
	}
	return f.Memory.Get(ctx, ns, dmap, key)
}

func (f *fakePlugin) WatchInvalidations(ctx context.Context, fn func(cache.Invalidation) error) error {
	in, ended := make(chan cache.Invalidation), make(chan error, 1)
	f.mu.Lock()
	f.stream, f.ended = in, ended
	f.mu.Unlock()
	f.opened <- struct{}{}
	for {
		select {
		case inv := <-in:
			if err := fn(inv); err != nil {
				return err
			}
		case err := <-ended:
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// send delivers inv on the current stream (and waits until taken).
func (f *fakePlugin) send(inv cache.Invalidation) {
	f.mu.Lock()
	in := f.stream
	f.mu.Unlock()
	in <- inv
}

// open waits for a stream and sends its opening flush; once it returns
// the near cache serves.
func (f *fakePlugin) open(t *testing.T, n *Near) {
	t.Helper()
	select {
	case <-f.opened:
	case <-time.After(10 * time.Second):
		t.Fatal("the near cache did not open a stream")
	}
	f.send(cache.Invalidation{All: true})
	f.sync()
	if n.active.Load() == nil {
		t.Fatal("not serving after the opening flush")
	}
}

// sync returns once every invalidation sent before was handled: the
// stream is unbuffered, so a second send completes only after the first
// was handled. A key nobody uses serves as the marker.
func (f *fakePlugin) sync() { f.send(cache.Invalidation{Namespace: "-", DMap: "-", Key: "-"}) }

// clock is a settable clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func newNear(t *testing.T, p cache.Cache, opts NearOptions) *Near {
	t.Helper()
	n := NewNear(func(context.Context) (cache.Cache, error) { return p, nil }, opts)
	t.Cleanup(n.Close)
	return n
}

func mustGet(t *testing.T, n *Near, c cache.Cache, ns, dm, key, want string) {
	t.Helper()
	e, err := n.Get(t.Context(), c, ns, dm, key)
	if err != nil || string(e.Value) != want {
		t.Fatalf("Get(%s, %s, %s) = %q, %v; want %q", ns, dm, key, e.Value, err, want)
	}
}

func put(t *testing.T, c cache.Cache, ns, dm, key, v string, ttl time.Duration) {
	t.Helper()
	if err := c.Put(t.Context(), ns, dm, key, []byte(v), ttl); err != nil {
		t.Fatal(err)
	}
}

func TestNearHitAfterMiss(t *testing.T) {
	p := newFakePlugin()
	n := newNear(t, p, NearOptions{MaxAge: time.Hour})
	put(t, p, "ns", "dm", "k", `1`, 0)
	mustGet(t, n, p, "ns", "dm", "k", `1`) // before the stream opened: bypass
	mustGet(t, n, p, "ns", "dm", "k", `1`)
	if got := p.gets.Load(); got != 2 {
		t.Fatalf("gets before the stream opened = %d, want 2 (no caching)", got)
	}
	p.open(t, n)
	mustGet(t, n, p, "ns", "dm", "k", `1`)
	mustGet(t, n, p, "ns", "dm", "k", `1`)
	mustGet(t, n, p, "ns", "dm", "k", `1`)
	if got := p.gets.Load(); got != 3 {
		t.Fatalf("gets = %d, want 3 (one miss, two hits)", got)
	}
}

func TestNearInvalidation(t *testing.T) {
	p := newFakePlugin()
	n := newNear(t, p, NearOptions{MaxAge: time.Hour})
	p.open(t, n)
	put(t, p, "a", "dm", "k", `"a1"`, 0)
	put(t, p, "b", "dm", "k", `"b1"`, 0)
	mustGet(t, n, p, "a", "dm", "k", `"a1"`)
	mustGet(t, n, p, "b", "dm", "k", `"b1"`)

	// Another node writes a's key: until its invalidation arrives the
	// old value may be served; once handled, never again.
	put(t, p, "a", "dm", "k", `"a2"`, 0)
	p.send(cache.Invalidation{Namespace: "a", DMap: "dm", Key: "k"})
	p.sync()
	mustGet(t, n, p, "a", "dm", "k", `"a2"`)
	// b's copy of the same dmap and key was not touched (a hit).
	before := p.gets.Load()
	mustGet(t, n, p, "b", "dm", "k", `"b1"`)
	if p.gets.Load() != before {
		t.Fatal("an invalidation in namespace a dropped namespace b's entry")
	}

	// A write through this host drops the key at once, stream or not.
	put(t, p, "b", "dm", "k", `"b2"`, 0)
	n.Written("b", "dm", "k")
	mustGet(t, n, p, "b", "dm", "k", `"b2"`)
}

func TestNearNotFound(t *testing.T) {
	p := newFakePlugin()
	n := newNear(t, p, NearOptions{MaxAge: time.Hour})
	p.open(t, n)
	for range 2 {
		if _, err := n.Get(t.Context(), p, "ns", "dm", "missing"); sdk.AsError(err).Code != sdk.CodeNotFound {
			t.Fatalf("Get of a missing key: %v", err)
		}
	}
	if got := p.gets.Load(); got != 1 {
		t.Fatalf("gets = %d, want 1 (not found is kept)", got)
	}
	put(t, p, "ns", "dm", "missing", `1`, 0)
	p.send(cache.Invalidation{Namespace: "ns", DMap: "dm", Key: "missing"})
	p.sync()
	mustGet(t, n, p, "ns", "dm", "missing", `1`)
}

// TestNearExpiry: an entry is never served at or after its own expiry,
// nor after MaxAge.
func TestNearExpiry(t *testing.T) {
	p := newFakePlugin()
	clk := &clock{now: time.Now()}
	n := newNear(t, p, NearOptions{MaxAge: time.Minute, Now: clk.Now})
	p.open(t, n)
	put(t, p, "ns", "dm", "ttl", `1`, 10*time.Second) // Memory expires it in real time
	put(t, p, "ns", "dm", "age", `2`, 0)
	e, err := p.Memory.Get(t.Context(), "ns", "dm", "ttl")
	if err != nil {
		t.Fatal(err)
	}
	clk.mu.Lock()
	clk.now = e.ExpiresAt.Add(-5 * time.Second)
	clk.mu.Unlock()
	mustGet(t, n, p, "ns", "dm", "ttl", `1`)
	mustGet(t, n, p, "ns", "dm", "age", `2`)
	mustGet(t, n, p, "ns", "dm", "ttl", `1`) // hit
	if got := p.gets.Load(); got != 2 {
		t.Fatalf("gets = %d, want 2", got)
	}
	clk.add(5 * time.Second) // exactly the entry's expiry
	_, _ = n.Get(t.Context(), p, "ns", "dm", "ttl")
	if got := p.gets.Load(); got != 3 {
		t.Fatal("an entry was served at its own expiry")
	}
	mustGet(t, n, p, "ns", "dm", "age", `2`) // still within MaxAge: hit
	clk.add(time.Minute)
	mustGet(t, n, p, "ns", "dm", "age", `2`)
	if got := p.gets.Load(); got != 4 {
		t.Fatalf("gets = %d, want 4 (served past MaxAge?)", got)
	}
}

// TestNearBounds: the bytes never exceed MaxBytes, the least recently
// used entries go first.
func TestNearBounds(t *testing.T) {
	p := newFakePlugin()
	const maxBytes = nearShards * 2000
	n := newNear(t, p, NearOptions{MaxBytes: maxBytes, MaxAge: time.Hour})
	p.open(t, n)
	value := fmt.Sprintf(`"%0100d"`, 0)
	put(t, p, "ns", "dm", "hot", value, 0)
	for i := range 2000 {
		k := fmt.Sprintf("k%d", i)
		put(t, p, "ns", "dm", k, value, 0)
		mustGet(t, n, p, "ns", "dm", k, value)
		mustGet(t, n, p, "ns", "dm", "hot", value)
		if b := n.bytes.Load(); b > maxBytes {
			t.Fatalf("bytes = %d > %d", b, maxBytes)
		}
	}
	if got := p.gets.Load(); got != 2001 {
		t.Fatalf("gets = %d, want 2001: the hot key was evicted", got)
	}
	if n.entries.Load() >= 2000 {
		t.Fatalf("entries = %d: nothing was evicted", n.entries.Load())
	}
	// A value larger than a shard's share is not kept.
	big := fmt.Sprintf(`"%04000d"`, 0)
	put(t, p, "ns", "dm", "big", big, 0)
	mustGet(t, n, p, "ns", "dm", "big", big)
	mustGet(t, n, p, "ns", "dm", "big", big)
	if got := p.gets.Load(); got != 2003 {
		t.Fatalf("gets = %d, want 2003", got)
	}
}

// TestNearStreamLoss: when the stream ends everything is forgotten and
// every Get goes to the plugin until a new stream has opened.
func TestNearStreamLoss(t *testing.T) {
	p := newFakePlugin()
	n := newNear(t, p, NearOptions{MaxAge: time.Hour})
	p.open(t, n)
	put(t, p, "ns", "dm", "k", `1`, 0)
	mustGet(t, n, p, "ns", "dm", "k", `1`)
	p.mu.Lock()
	p.ended <- sdk.Errorf(sdk.CodeUnavailable, "plugin killed")
	p.mu.Unlock()
	<-p.opened // re-subscribed (not yet opened: no flush sent)
	if n.active.Load() != nil || n.entries.Load() != 0 {
		t.Fatalf("after the stream ended: active %v, %d entries", n.active.Load(), n.entries.Load())
	}
	put(t, p, "ns", "dm", "k", `2`, 0) // a write nobody was told about
	mustGet(t, n, p, "ns", "dm", "k", `2`)
	mustGet(t, n, p, "ns", "dm", "k", `2`)
	if got := p.gets.Load(); got != 3 {
		t.Fatalf("gets = %d, want 3 (bypassed while down)", got)
	}
	p.send(cache.Invalidation{All: true})
	p.sync()
	mustGet(t, n, p, "ns", "dm", "k", `2`)
	mustGet(t, n, p, "ns", "dm", "k", `2`)
	if got := p.gets.Load(); got != 4 {
		t.Fatalf("gets = %d, want 4 (serving again)", got)
	}
}

// TestNearRace: an invalidation that arrives while a Get is fetching
// keeps its (maybe old) answer out of the cache.
func TestNearRace(t *testing.T) {
	p := newFakePlugin()
	n := newNear(t, p, NearOptions{MaxAge: time.Hour})
	p.open(t, n)
	put(t, p, "ns", "dm", "k", `1`, 0)
	p.hold = make(chan chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = n.Get(context.Background(), p, "ns", "dm", "k")
	}()
	release := <-p.hold
	p.send(cache.Invalidation{Namespace: "ns", DMap: "dm", Key: "k"})
	p.sync()
	close(release)
	<-done
	if n.entries.Load() != 0 {
		t.Fatal("an answer fetched across an invalidation was kept")
	}
}

// TestNearUnsupported: a plugin without the stream is always asked.
func TestNearUnsupported(t *testing.T) {
	type plain struct{ cache.Cache } // hides WatchInvalidations
	m := &countingCache{Cache: cachetest.NewMemory()}
	c := plain{m}
	n := newNear(t, c, NearOptions{})
	put(t, c, "ns", "dm", "k", `1`, 0)
	for range 3 {
		mustGet(t, n, c, "ns", "dm", "k", `1`)
	}
	if m.gets.Load() != 3 {
		t.Fatalf("gets = %d, want 3", m.gets.Load())
	}
}

type countingCache struct {
	cache.Cache
	gets atomic.Int64
}

func (c *countingCache) Get(ctx context.Context, ns, dmap, key string) (cache.Entry, error) {
	c.gets.Add(1)
	return c.Cache.Get(ctx, ns, dmap, key)
}

// TestNearOtherInstance: a Get through another plugin instance than the
// one whose stream is up is not served from memory.
func TestNearOtherInstance(t *testing.T) {
	p := newFakePlugin()
	n := newNear(t, p, NearOptions{MaxAge: time.Hour})
	p.open(t, n)
	put(t, p, "ns", "dm", "k", `1`, 0)
	mustGet(t, n, p, "ns", "dm", "k", `1`)
	other := newFakePlugin()
	put(t, other, "ns", "dm", "k", `2`, 0)
	mustGet(t, n, other, "ns", "dm", "k", `2`)
}
