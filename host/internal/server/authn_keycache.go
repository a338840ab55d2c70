package server

import (
	"crypto/sha256"
	"sync"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
)

// keyCache remembers what the auth plugin said about API keys, so a warm
// key costs no RPC. It is keyed by the SHA-256 of the key, never the key
// itself, so a heap dump shows no usable secret.
//
// Bounds. A positive answer is trusted for ttl (server key_cache_ttl,
// default 5 s): a key revoked on any node stops working on every node
// within ttl. A refusal is remembered for negTTL (1 s, or ttl if shorter),
// so a key created just after a failed try works within a second, while a
// flood of one bad key costs one RPC per second per node. At most size
// entries are held; when full, expired entries go first, then arbitrary
// ones (Go's map order), which only costs the evicted key one more RPC.
type keyCache struct {
	ttl, negTTL time.Duration
	now         func() time.Time
	shards      [keyCacheShards]keyShard
	perShard    int
}

const keyCacheShards = 16

type keyShard struct {
	mu sync.Mutex
	m  map[[sha256.Size]byte]keyEntry
}

type keyEntry struct {
	p       auth.Principal
	err     *sdk.Error // set for a refused key
	expires int64      // unix nanoseconds
}

func newKeyCache(ttl, negTTL time.Duration, size int, now func() time.Time) *keyCache {
	c := &keyCache{ttl: ttl, negTTL: negTTL, now: now, perShard: max(1, size/keyCacheShards)}
	for i := range c.shards {
		c.shards[i].m = make(map[[sha256.Size]byte]keyEntry)
	}
	return c
}

func hashKey(key string) [sha256.Size]byte { return sha256.Sum256([]byte(key)) }

func (c *keyCache) shard(h [sha256.Size]byte) *keyShard {
	return &c.shards[h[0]%keyCacheShards]
}

// get returns the cached answer for the key hashed to h; ok is false on a
// miss (or an expired entry, which it drops).
func (c *keyCache) get(h [sha256.Size]byte) (p auth.Principal, err error, ok bool) {
	sh := c.shard(h)
	now := c.now().UnixNano()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	e, found := sh.m[h]
	if !found {
		return auth.Principal{}, nil, false
	}
	if now >= e.expires {
		delete(sh.m, h)
		return auth.Principal{}, nil, false
	}
	if e.err != nil {
		return auth.Principal{}, e.err, true
	}
	return e.p, nil, true
}

// put remembers a valid key for ttl.
func (c *keyCache) put(h [sha256.Size]byte, p auth.Principal) {
	c.store(h, keyEntry{p: p}, c.ttl)
}

// putNegative remembers a refused key for negTTL.
func (c *keyCache) putNegative(h [sha256.Size]byte, err *sdk.Error) {
	c.store(h, keyEntry{err: err}, c.negTTL)
}

func (c *keyCache) store(h [sha256.Size]byte, e keyEntry, ttl time.Duration) {
	sh := c.shard(h)
	now := c.now().UnixNano()
	e.expires = now + int64(ttl)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if _, exists := sh.m[h]; !exists && len(sh.m) >= c.perShard {
		sh.evict(now)
	}
	sh.m[h] = e
}

// evict makes room for one entry: every expired entry goes; if none had
// expired, one arbitrary entry does.
func (sh *keyShard) evict(now int64) {
	removed := false
	for k, e := range sh.m {
		if now >= e.expires {
			delete(sh.m, k)
			removed = true
		}
	}
	if removed {
		return
	}
	for k := range sh.m {
		delete(sh.m, k)
		return
	}
}

// len returns the number of cached entries (tests).
func (c *keyCache) len() int {
	n := 0
	for i := range c.shards {
		c.shards[i].mu.Lock()
		n += len(c.shards[i].m)
		c.shards[i].mu.Unlock()
	}
	return n
}
