package cache

import (
	"container/list"
	"context"
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/cache"
)

// Defaults of NearOptions.
const (
	DefaultNearBytes  = 64 << 20
	DefaultNearMaxAge = time.Second
)

// nearShards splits the near cache (and its lock) by key hash.
const nearShards = 16

// entryOverhead is what one entry costs beyond its names and value (map
// slot, list element, struct), counted against MaxBytes.
const entryOverhead = 160

// NearOptions configure a Near cache.
type NearOptions struct {
	MaxBytes   int64         // bound of names + values + overhead (DefaultNearBytes when ≤ 0)
	MaxAge     time.Duration // longest an entry is served from memory (DefaultNearMaxAge when ≤ 0)
	Logger     hclog.Logger  // nil: discard
	Registerer prometheus.Registerer
	Now        func() time.Time // nil: time.Now
}

// Near is the host's near cache of cache Gets: a bounded in-process copy
// of recent answers (found or not found), keyed by (namespace, dmap, key),
// kept correct by the plugin's invalidation stream (cache.Watcher).
//
// It serves an answer only while the stream of the very plugin instance
// that is current is up: a plugin that does not stream (Unimplemented), a
// plugin being restarted or upgraded and a broken stream all mean every
// Get goes to the plugin and nothing is kept. An entry is served for at
// most MaxAge after it was asked for, and never at or after its own
// ExpiresAt. A write through this host (Invalidate) drops its key at once;
// a write through another node drops it when its invalidation arrives
// (the writing plugin publishes it right after the write, batched with
// others under load: normally within milliseconds; MaxAge bounds every
// case where an invalidation is lost: a member unreachable, the cluster
// still forming).
type Near struct {
	opts    NearOptions
	plugin  func(context.Context) (cache.Cache, error)
	log     hclog.Logger
	metrics *nearMetrics
	seed    maphash.Seed

	shards [nearShards]nearShard

	// active is the plugin instance whose stream is up (nil: bypass).
	active  atomic.Pointer[activeWatch]
	changed chan struct{} // 1-buffered: a Get saw another instance than active's

	bytes, entries atomic.Int64

	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
}

type activeWatch struct{ c cache.Cache }

type nearKey struct{ ns, dmap, key string }

type nearEntry struct {
	k      nearKey
	value  []byte
	found  bool
	expiry time.Time // the entry's own ExpiresAt (zero: none)
	until  time.Time // min(expiry, asked + MaxAge)
	size   int64
	elem   *list.Element
}

// nearShard is one LRU list under its own lock. seq counts the
// invalidations and flushes of the shard: an answer is kept only if seq
// did not move while it was being fetched (it may be stale otherwise).
type nearShard struct {
	mu    sync.Mutex
	m     map[nearKey]*nearEntry
	lru   list.List // front: most recent
	bytes int64
	seq   uint64
}

// NewNear returns a running near cache over the domain plugin returns;
// Close stops it.
func NewNear(plugin func(context.Context) (cache.Cache, error), opts NearOptions) *Near {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultNearBytes
	}
	if opts.MaxAge <= 0 {
		opts.MaxAge = DefaultNearMaxAge
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	n := &Near{opts: opts, plugin: plugin, log: opts.Logger, seed: maphash.MakeSeed(),
		changed: make(chan struct{}, 1), done: make(chan struct{})}
	if n.log == nil {
		n.log = hclog.NewNullLogger()
	}
	for i := range n.shards {
		n.shards[i].m = map[nearKey]*nearEntry{}
	}
	n.metrics = newNearMetrics(opts.Registerer, n)
	n.ctx, n.cancel = context.WithCancel(context.Background())
	go n.watch()
	return n
}

// Close stops the watch and forgets everything.
func (n *Near) Close() {
	n.cancel()
	<-n.done
}

func (n *Near) shard(k nearKey) *nearShard {
	return &n.shards[maphash.Comparable(n.seed, k)%nearShards]
}

// Get answers from memory when it can, and asks c otherwise, keeping the
// answer (the entry, or not_found) when that is safe.
func (n *Near) Get(ctx context.Context, c cache.Cache, ns, dmap, key string) (cache.Entry, error) {
	a := n.active.Load()
	if a == nil || a.c != c {
		if a != nil {
			n.instanceChanged()
		}
		n.metrics.bypass.Inc()
		return c.Get(ctx, ns, dmap, key)
	}
	k := nearKey{ns, dmap, key}
	sh := n.shard(k)
	now := n.opts.Now()
	sh.mu.Lock()
	if e, ok := sh.m[k]; ok {
		if now.Before(e.until) {
			sh.lru.MoveToFront(e.elem)
			value, found := e.value, e.found
			exp := e.expiry
			sh.mu.Unlock()
			n.metrics.hits.Inc()
			if !found {
				return cache.Entry{}, errNotFound()
			}
			return cache.Entry{Key: key, Value: value, ExpiresAt: exp}, nil
		}
		n.remove(sh, e)
	}
	seq := sh.seq
	sh.mu.Unlock()
	n.metrics.misses.Inc()

	e, err := c.Get(ctx, ns, dmap, key)
	found := err == nil
	if err != nil && sdk.AsError(err).Code != sdk.CodeNotFound {
		return e, err
	}
	n.keep(sh, k, seq, now, e, found)
	return e, err
}

// keep stores an answer fetched at asked, unless the shard changed since
// (seq) or the answer is already too old to serve.
func (n *Near) keep(sh *nearShard, k nearKey, seq uint64, asked time.Time, e cache.Entry, found bool) {
	until := asked.Add(n.opts.MaxAge)
	if found && !e.ExpiresAt.IsZero() && e.ExpiresAt.Before(until) {
		until = e.ExpiresAt
	}
	if !n.opts.Now().Before(until) {
		return
	}
	ne := &nearEntry{k: k, found: found, until: until,
		size: int64(len(k.ns)+len(k.dmap)+len(k.key)) + entryOverhead}
	if found {
		ne.value, ne.expiry = e.Value, e.ExpiresAt
		ne.size += int64(len(e.Value))
	}
	limit := n.opts.MaxBytes / nearShards
	if ne.size > limit {
		return
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.seq != seq || n.active.Load() == nil {
		return
	}
	if old, ok := sh.m[k]; ok {
		n.remove(sh, old)
	}
	for sh.bytes+ne.size > limit {
		n.remove(sh, sh.lru.Back().Value.(*nearEntry))
		n.metrics.evictions.Inc()
	}
	ne.elem = sh.lru.PushFront(ne)
	sh.m[k] = ne
	sh.bytes += ne.size
	n.bytes.Add(ne.size)
	n.entries.Add(1)
}

// remove drops e; sh.mu must be held.
func (n *Near) remove(sh *nearShard, e *nearEntry) {
	sh.lru.Remove(e.elem)
	delete(sh.m, e.k)
	sh.bytes -= e.size
	n.bytes.Add(-e.size)
	n.entries.Add(-1)
}

// Written drops key after a write through this host: call it once the
// write returned, whatever its result.
func (n *Near) Written(ns, dmap, key string) {
	n.metrics.invalidations.WithLabelValues("local").Inc()
	n.Invalidate(ns, dmap, key)
}

// Invalidate drops key.
func (n *Near) Invalidate(ns, dmap, key string) {
	k := nearKey{ns, dmap, key}
	sh := n.shard(k)
	sh.mu.Lock()
	sh.seq++
	if e, ok := sh.m[k]; ok {
		n.remove(sh, e)
	}
	sh.mu.Unlock()
}

// flush drops everything.
func (n *Near) flush() {
	for i := range n.shards {
		sh := &n.shards[i]
		sh.mu.Lock()
		sh.seq++
		for _, e := range sh.m {
			n.remove(sh, e)
		}
		sh.mu.Unlock()
	}
}

func (n *Near) instanceChanged() {
	select {
	case n.changed <- struct{}{}:
	default:
	}
}

func errNotFound() error { return &sdk.Error{Code: sdk.CodeNotFound, Message: "key not found"} }
