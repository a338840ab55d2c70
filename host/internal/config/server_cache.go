package config

import (
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Cache is the server's cache { } block: the host's near cache of cache
// gets (a bounded in-process copy of hot entries, kept correct by the
// cache plugin's invalidation stream; off by default), and the bound on
// moving the cache plugin's entries to its successor on an upgrade.
type Cache struct {
	NearCache       bool          // serve repeated gets from the host's memory
	NearCacheBytes  int64         // bound of the near cache (names, values, per-entry overhead)
	NearCacheMaxAge time.Duration // longest an entry is served without asking the plugin
	HandoffTimeout  time.Duration // longest an upgrade moves entries before the old instance stops anyway
}

// Bounds and defaults of the cache block.
const (
	defaultNearCacheBytes  = 64 << 20
	minNearCacheBytes      = 64 << 10
	maxNearCacheBytes      = 64 << 30
	defaultNearCacheMaxAge = time.Second
	maxNearCacheMaxAge     = time.Minute
	defaultHandoffTimeout  = time.Minute
	minHandoffTimeout      = 100 * time.Millisecond
	maxHandoffTimeout      = time.Hour
)

func defaultCache() Cache {
	return Cache{NearCacheBytes: defaultNearCacheBytes, NearCacheMaxAge: defaultNearCacheMaxAge, HandoffTimeout: defaultHandoffTimeout}
}

var cacheSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "near_cache"},
		{Name: "near_cache_bytes"},
		{Name: "near_cache_max_age"},
		{Name: "handoff_timeout"},
	},
}

// serverCache decodes the server's cache block (at most one).
func (p *parser) serverCache(content *hcl.BodyContent, s *Server) {
	if b := p.singleBlock(content, "cache"); b != nil {
		p.cache(b, &s.Cache)
	}
}

// cache decodes one cache block into c, which holds the defaults.
func (p *parser) cache(b *hcl.Block, c *Cache) {
	content, diags := b.Body.Content(cacheSchema)
	p.add(explain(diags, "cache block", cacheSchema)...)
	attrs := content.Attributes
	if a := attrs["near_cache"]; a != nil {
		if v, ok := p.typed(a, cty.Bool, "true or false"); ok {
			c.NearCache = v.True()
		}
	}
	if a := attrs["near_cache_bytes"]; a != nil {
		if v, ok := p.int64(a, "67108864"); ok {
			if v < minNearCacheBytes || v > maxNearCacheBytes {
				p.errorf(a.Expr.Range(), "Invalid near_cache_bytes",
					"near_cache_bytes must be from %d (64 KiB) to %d (64 GiB); the default is %d (64 MiB).", int64(minNearCacheBytes), int64(maxNearCacheBytes), int64(defaultNearCacheBytes))
			} else {
				c.NearCacheBytes = v
			}
		}
	}
	if a := attrs["near_cache_max_age"]; a != nil {
		if v, ok := p.duration(a, "1s"); ok {
			if v < time.Millisecond || v > maxNearCacheMaxAge {
				p.errorf(a.Expr.Range(), "Invalid near_cache_max_age",
					"near_cache_max_age is the longest a node serves a cached value without asking the cache plugin (the bound on staleness when an invalidation is lost); it must be from 1ms to 1m, such as \"1s\".")
			} else {
				c.NearCacheMaxAge = v
			}
		}
	}
	if a := attrs["handoff_timeout"]; a != nil {
		if v, ok := p.duration(a, "1m"); ok {
			if v < minHandoffTimeout || v > maxHandoffTimeout {
				p.errorf(a.Expr.Range(), "Invalid handoff_timeout",
					"handoff_timeout bounds how long an upgrade of the cache plugin moves its entries to the new instance before the old one stops anyway (the rest are dropped, logged and counted); it must be from 100ms to 1h, such as \"1m\".")
			} else {
				c.HandoffTimeout = v
			}
		}
	}
}
