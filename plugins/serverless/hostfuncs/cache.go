package hostfuncs

import (
	"context"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/orama-network/orama/sdk"
)

// CacheGet reads key of the namespace's dmap "default".
func (h *Host) CacheGet(ctx context.Context, key string) ([]byte, bool, error) {
	if h.b.Cache == nil {
		return nil, false, h.logged("cache_get", unavailable("cache"))
	}
	e, err := h.b.Cache.Get(ctx, h.inv.Namespace, DMap, key)
	if err != nil {
		if sdk.AsError(err).Code == sdk.CodeNotFound {
			return nil, false, nil
		}
		return nil, false, h.logged("cache_get", err)
	}
	return e.Value, true, nil
}

// CacheSet stores value under key (ttl 0: no expiry).
func (h *Host) CacheSet(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if h.b.Cache == nil {
		return h.logged("cache_set", unavailable("cache"))
	}
	return h.logged("cache_set", h.b.Cache.Put(ctx, h.inv.Namespace, DMap, key, value, max(ttl, 0)))
}

// CacheIncr adds delta to the integer stored (as decimal text) under key,
// 0 when absent, keeping the entry's expiry, and returns the new value.
// See the package doc for how atomic it is. Errors: invalid when the
// value is not an integer or the sum overflows.
func (h *Host) CacheIncr(ctx context.Context, key string, delta int64) (int64, error) {
	if h.b.Cache == nil {
		return 0, h.logged("cache_incr", unavailable("cache"))
	}
	mu := h.b.lock(h.inv.Namespace, key)
	mu.Lock()
	defer mu.Unlock()
	var cur int64
	var ttl time.Duration
	e, err := h.b.Cache.Get(ctx, h.inv.Namespace, DMap, key)
	switch {
	case err == nil:
		cur, err = strconv.ParseInt(strings.TrimSpace(string(e.Value)), 10, 64)
		if err != nil {
			return 0, h.logged("cache_incr", sdk.Errorf(sdk.CodeInvalid, "cache_incr: the value of %q is not an integer", key))
		}
		ttl = ttlOf(e, time.Now())
	case sdk.AsError(err).Code != sdk.CodeNotFound:
		return 0, h.logged("cache_incr", err)
	}
	if (delta > 0 && cur > math.MaxInt64-delta) || (delta < 0 && cur < math.MinInt64-delta) {
		return 0, h.logged("cache_incr", sdk.Errorf(sdk.CodeInvalid, "cache_incr: %d + %d overflows", cur, delta))
	}
	cur += delta
	if err := h.b.Cache.Put(ctx, h.inv.Namespace, DMap, key, strconv.AppendInt(nil, cur, 10), ttl); err != nil {
		return 0, h.logged("cache_incr", err)
	}
	return cur, nil
}

func unavailable(domain string) error {
	return sdk.Errorf(sdk.CodeUnavailable, "the %s domain is not available to functions", domain)
}
