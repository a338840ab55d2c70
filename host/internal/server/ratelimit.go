package server

import (
	"hash/maphash"
	"math"
	"net/netip"
	"sync"
	"time"
)

// RateLimit is the limit of one route group. Each bucket holds up to its
// burst of tokens and refills at its rate; a request takes one token.
type RateLimit struct {
	RequestsPerSecond   float64 // per credential; 0: no per-credential limit
	Burst               int     // per-credential bucket size (≥ 1 when limited)
	IPRequestsPerSecond float64 // per client IP; 0: no per-IP limit
	IPBurst             int     // per-IP bucket size (≥ 1 when limited)
}

// The route groups a RateLimit applies to, by path prefix (groupOf).
const (
	GroupAuth      = "auth"
	GroupCache     = "cache"
	GroupDatabase  = "database"
	GroupStorage   = "storage"
	GroupPubSub    = "pubsub"
	GroupFunctions = "functions"
	GroupDefault   = "default" // every other route, and the fallback of a group without its own limit
)

// RateLimitGroups lists the groups, in the order of their indexes.
var RateLimitGroups = []string{GroupDefault, GroupAuth, GroupCache, GroupDatabase, GroupStorage, GroupPubSub, GroupFunctions}

type group uint8

const (
	groupDefault group = iota
	groupAuth
	groupCache
	groupDatabase
	groupStorage
	groupPubSub
	groupFunctions
	groupCount
)

// groupOf maps a path to its route group.
func groupOf(p string) group {
	switch {
	case len(p) < 4 || p[:4] != "/v1/":
		if p == "/.well-known/jwks.json" {
			return groupAuth
		}
		return groupDefault
	case hasPrefix(p, "/v1/auth/"):
		return groupAuth
	case hasPrefix(p, "/v1/cache/"):
		return groupCache
	case hasPrefix(p, "/v1/rqlite/"):
		return groupDatabase
	case hasPrefix(p, "/v1/storage/"):
		return groupStorage
	case hasPrefix(p, "/v1/pubsub/"):
		return groupPubSub
	case p == "/v1/functions", hasPrefix(p, "/v1/functions/"), hasPrefix(p, "/v1/invoke/"),
		p == "/v1/secrets", hasPrefix(p, "/v1/secrets/"): // the functions' secrets
		return groupFunctions
	}
	return groupDefault
}

func hasPrefix(s, prefix string) bool { return len(s) >= len(prefix) && s[:len(prefix)] == prefix }

// Bounds of the bucket table.
const (
	defaultMaxBuckets = 100_000
	bucketShards      = 16
	sweepEvery        = time.Minute
)

// bucketLimit is a bucket's refill rate (tokens per second) and size.
type bucketLimit struct {
	rate, burst float64
}

func (l bucketLimit) on() bool { return l.rate > 0 }

// groupLimits are the effective limits of one group.
type groupLimits struct {
	cred, ip bucketLimit
}

// bucketKey names a bucket: per group, per client IP or per credential.
type bucketKey struct {
	group group
	ip    netip.Addr // per-IP buckets
	cred  string     // per-credential buckets ("key:<id>" or "jwt:<ns>:<sub>")
}

type bucket struct {
	tokens float64
	last   int64 // unix nanoseconds of the last refill
	limit  bucketLimit
}

// rateLimits holds the token buckets. Memory is bounded: a bucket that
// has refilled to its burst behaves exactly like a new one, so such idle
// buckets are dropped by a sweep every minute and whenever a shard is
// full. If a shard is still full of active buckets (a flood of distinct
// clients), an arbitrary one is dropped; that client gets a fresh, full
// bucket, which is the only way the bound can favour anyone.
type rateLimits struct {
	groups   [groupCount]groupLimits
	any      bool
	now      func() time.Time
	seed     maphash.Seed
	perShard int
	shards   [bucketShards]bucketShard
}

type bucketShard struct {
	mu        sync.Mutex
	m         map[bucketKey]*bucket
	lastSweep int64
}

func newRateLimits(cfg map[string]RateLimit, now func() time.Time) *rateLimits {
	return newRateLimitsSize(cfg, now, defaultMaxBuckets)
}

func newRateLimitsSize(cfg map[string]RateLimit, now func() time.Time, maxBuckets int) *rateLimits {
	l := &rateLimits{now: now, seed: maphash.MakeSeed(), perShard: max(1, maxBuckets/bucketShards)}
	def, hasDef := cfg[GroupDefault]
	for i, name := range RateLimitGroups {
		rl, ok := cfg[name]
		if !ok {
			if !hasDef {
				continue
			}
			rl = def
		}
		g := groupLimits{
			cred: bucketLimit{rate: rl.RequestsPerSecond, burst: float64(max(rl.Burst, 1))},
			ip:   bucketLimit{rate: rl.IPRequestsPerSecond, burst: float64(max(rl.IPBurst, 1))},
		}
		l.groups[i] = g
		l.any = l.any || g.cred.on() || g.ip.on()
	}
	now0 := now().UnixNano()
	for i := range l.shards {
		l.shards[i].m = make(map[bucketKey]*bucket)
		l.shards[i].lastSweep = now0
	}
	return l
}

// decision is the outcome of taking a token.
type decision struct {
	ok        bool
	limit     int           // the bucket's size
	remaining int           // whole tokens left
	reset     time.Duration // until the bucket is full again
	retry     time.Duration // until one token is available (when !ok)
}

// take takes one token from the bucket of key under lim.
func (l *rateLimits) take(key bucketKey, lim bucketLimit) decision {
	var h maphash.Hash
	h.SetSeed(l.seed)
	if key.cred != "" {
		h.WriteString(key.cred)
	} else {
		b := key.ip.As16()
		h.Write(b[:])
	}
	sh := &l.shards[h.Sum64()%bucketShards]
	now := l.now().UnixNano()

	sh.mu.Lock()
	defer sh.mu.Unlock()
	if now-sh.lastSweep >= int64(sweepEvery) {
		sh.sweep(now)
	}
	b := sh.m[key]
	if b == nil {
		if len(sh.m) >= l.perShard {
			sh.sweep(now)
			if len(sh.m) >= l.perShard {
				for k := range sh.m {
					delete(sh.m, k)
					break
				}
			}
		}
		b = &bucket{tokens: lim.burst, last: now, limit: lim}
		sh.m[key] = b
	}
	return b.take(now, lim)
}

// sweep drops every bucket that has refilled to its burst.
func (sh *bucketShard) sweep(now int64) {
	sh.lastSweep = now
	for k, b := range sh.m {
		if b.level(now) >= b.limit.burst {
			delete(sh.m, k)
		}
	}
}

// level is the bucket's tokens at now, without taking any.
func (b *bucket) level(now int64) float64 {
	elapsed := float64(max(now-b.last, 0)) / float64(time.Second)
	return math.Min(b.limit.burst, b.tokens+elapsed*b.limit.rate)
}

func (b *bucket) take(now int64, lim bucketLimit) decision {
	b.limit = lim
	b.tokens = b.level(now)
	b.last = max(now, b.last)
	d := decision{limit: int(lim.burst)}
	if b.tokens >= 1 {
		b.tokens--
		d.ok = true
	} else {
		d.retry = seconds((1 - b.tokens) / lim.rate)
	}
	d.remaining = int(b.tokens)
	d.reset = seconds((lim.burst - b.tokens) / lim.rate)
	return d
}

// seconds converts a float number of seconds to a Duration.
func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// count returns the number of buckets held (tests).
func (l *rateLimits) count() int {
	n := 0
	for i := range l.shards {
		l.shards[i].mu.Lock()
		n += len(l.shards[i].m)
		l.shards[i].mu.Unlock()
	}
	return n
}
