package jwtverify

import (
	"crypto/sha256"
	"sync"
	"time"

	"github.com/orama-network/orama/sdk/auth"
)

// DefaultVerifiedCacheSize bounds the tokens a Verifier remembers as
// verified (0 in Verifier.VerifiedCacheSize means this value).
const DefaultVerifiedCacheSize = 10000

// verifiedCache remembers tokens that verified, keyed by their sha256, so
// a client repeating its token costs a hash and a map lookup instead of a
// signature check. An entry is only used while the token is unexpired, so
// answers are the same as a fresh verification: a token's signature, iss,
// aud and nbf never change, and its key stays in Keys until every token it
// signed has expired.
type verifiedCache struct {
	mu      sync.RWMutex
	entries map[[sha256.Size]byte]verified
}

type verified struct {
	principal auth.Principal
	claims    Claims
}

func (c *verifiedCache) get(sum [sha256.Size]byte, now time.Time, skew time.Duration) (verified, bool) {
	c.mu.RLock()
	e, ok := c.entries[sum]
	c.mu.RUnlock()
	if !ok || !now.Before(e.claims.ExpiresAt.Add(skew)) {
		return verified{}, false
	}
	return e, true
}

// put stores e; when the cache is full it first drops expired entries, then
// arbitrary ones (map order) until there is room.
func (c *verifiedCache) put(sum [sha256.Size]byte, e verified, size int, now time.Time, skew time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = make(map[[sha256.Size]byte]verified)
	}
	if len(c.entries) >= size {
		for k, old := range c.entries {
			if !now.Before(old.claims.ExpiresAt.Add(skew)) {
				delete(c.entries, k)
			}
		}
		for k := range c.entries {
			if len(c.entries) < size {
				break
			}
			delete(c.entries, k)
		}
	}
	c.entries[sum] = e
}
