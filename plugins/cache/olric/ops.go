package olric

import (
	"context"
	"slices"
	"time"

	"github.com/buraksezer/olric"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/cache"
)

// scanCount is the number of keys Olric returns per partition and request.
const scanCount = 1000

func (s *Store) open(namespace, dmap string) (*backend, olric.DMap, error) {
	b, err := s.cur.Current("cache")
	if err != nil {
		return nil, nil, err
	}
	dm, err := b.dmap(namespace, dmap)
	return b, dm, err
}

// Get returns the entry of key. Errors: not_found, invalid, unavailable.
func (s *Store) Get(ctx context.Context, namespace, dmap, key string) (cache.Entry, error) {
	if err := cache.CheckNames(namespace, dmap, key); err != nil {
		return cache.Entry{}, err
	}
	b, dm, err := s.open(namespace, dmap)
	if err != nil {
		return cache.Entry{}, err
	}
	ctx, cancel := b.callCtx(ctx)
	defer cancel()
	start := time.Now()
	ctx, span := startSpan(ctx, "get", namespace, dmap)
	e, err := get(ctx, dm, key)
	endSpan(span, err)
	observe(opGet, start, err)
	switch {
	case err == nil:
		metricHits.Inc()
	case sdkCode(err) == sdk.CodeNotFound:
		metricMisses.Inc()
	}
	return e, err
}

func get(ctx context.Context, dm olric.DMap, key string) (cache.Entry, error) {
	var r *olric.GetResponse
	err := retryDeparted(ctx, func() (err error) {
		r, err = dm.Get(ctx, key)
		return err
	})
	if err != nil {
		return cache.Entry{}, backendError("get", err)
	}
	v, err := r.Byte()
	if err != nil {
		return cache.Entry{}, backendError("get", err)
	}
	e := cache.Entry{Key: key, Value: v}
	if ms := r.TTL(); ms > 0 { // absolute, in Unix milliseconds
		e.ExpiresAt = time.UnixMilli(ms)
	}
	return e, nil
}

// MGet returns the entries of keys that exist, in order; request_timeout
// bounds the whole batch. Errors: invalid, unavailable.
func (s *Store) MGet(ctx context.Context, namespace, dmap string, keys []string) ([]cache.Entry, error) {
	if err := cache.CheckNames(namespace, dmap, "-"); err != nil {
		return nil, err
	}
	if len(keys) > cache.MaxKeys {
		return nil, sdk.Errorf(sdk.CodeInvalid, "more than %d keys", cache.MaxKeys)
	}
	for _, k := range keys {
		if err := cache.CheckName("key", k); err != nil {
			return nil, err
		}
	}
	b, dm, err := s.open(namespace, dmap)
	if err != nil {
		return nil, err
	}
	ctx, cancel := b.callCtx(ctx)
	defer cancel()
	start := time.Now()
	ctx, span := startSpan(ctx, "mget", namespace, dmap)
	out, err := mget(ctx, dm, keys)
	endSpan(span, err)
	observe(opMGet, start, err)
	if err == nil {
		metricHits.Add(float64(len(out)))
		metricMisses.Add(float64(len(keys) - len(out)))
	}
	return out, err
}

func mget(ctx context.Context, dm olric.DMap, keys []string) ([]cache.Entry, error) {
	out := make([]cache.Entry, 0, len(keys))
	for _, k := range keys {
		e, err := get(ctx, dm, k)
		if sdkCode(err) == sdk.CodeNotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// Put stores value under key, expiring after ttl (0: never). Errors:
// invalid, too_large, unavailable.
func (s *Store) Put(ctx context.Context, namespace, dmap, key string, value []byte, ttl time.Duration) error {
	if err := cache.CheckPut(namespace, dmap, key, value); err != nil {
		return err
	}
	if ttl < 0 {
		return sdk.Errorf(sdk.CodeInvalid, "ttl must not be negative")
	}
	b, dm, err := s.open(namespace, dmap)
	if err != nil {
		return err
	}
	ctx, cancel := b.callCtx(ctx)
	defer cancel()
	start := time.Now()
	var opts []olric.PutOption
	ctx, span := startSpan(ctx, "put", namespace, dmap)
	if ttl > 0 {
		opts = append(opts, olric.PX(max(ttl, time.Millisecond)))
	}
	err = retryDeparted(ctx, func() error { return dm.Put(ctx, key, value, opts...) })
	endSpan(span, err)
	if err != nil {
		err = backendError("put", err)
	}
	observe(opPut, start, err)
	if err != nil {
		return err
	}
	b.inv.publish(namespace, dmap, key)
	return nil
}

// Delete removes key. Olric's Delete does not tell whether the key
// existed, so a Get asks first. Errors: not_found, invalid, unavailable.
func (s *Store) Delete(ctx context.Context, namespace, dmap, key string) error {
	if err := cache.CheckNames(namespace, dmap, key); err != nil {
		return err
	}
	b, dm, err := s.open(namespace, dmap)
	if err != nil {
		return err
	}
	ctx, cancel := b.callCtx(ctx)
	defer cancel()
	start := time.Now()
	ctx, span := startSpan(ctx, "delete", namespace, dmap)
	err = del(ctx, b, dm, namespace, dmap, key)
	endSpan(span, err)
	observe(opDelete, start, err)
	return err
}

func del(ctx context.Context, b *backend, dm olric.DMap, namespace, dmap, key string) error {
	if _, err := dm.Get(ctx, key); err != nil {
		return backendError("get", err)
	}
	_, err := dm.Delete(ctx, key)
	// Even a failed Delete may have removed the key from some replica.
	b.inv.publish(namespace, dmap, key)
	if err != nil {
		return backendError("delete", err)
	}
	return nil
}

// Scan lists the keys of dmap matching match, sorted, at most limit.
// Errors: invalid, unavailable.
func (s *Store) Scan(ctx context.Context, namespace, dmap, match string, limit int) ([]string, bool, error) {
	if err := cache.CheckNames(namespace, dmap, "-"); err != nil {
		return nil, false, err
	}
	if _, err := cache.CompileMatch(match); err != nil {
		return nil, false, err
	}
	b, err := s.cur.Current("cache")
	if err != nil {
		return nil, false, err
	}
	start := time.Now()
	keys, truncated, err := scan(ctx, b, namespace, dmap, match, limit)
	observe(opScan, start, err)
	return keys, truncated, err
}

func scan(ctx context.Context, b *backend, namespace, dmap, match string, limit int) ([]string, bool, error) {
	dm, err := b.cluster.NewDMap(olricName(namespace, dmap))
	if err != nil {
		return nil, false, backendError("scan", err)
	}
	ctx, cancel := b.callCtx(ctx)
	defer cancel()
	ctx, span := startSpan(ctx, "scan", namespace, dmap)
	defer span.End()
	opts := []olric.ScanOption{olric.Count(scanCount)}
	if match != "" {
		opts = append(opts, olric.Match(match))
	}
	it, err := dm.Scan(ctx, opts...)
	if err != nil {
		return nil, false, backendError("scan", err)
	}
	defer it.Close()
	limit = cache.ScanLimit(limit)
	var keys []string
	truncated := false
	for it.Next() {
		keys = append(keys, it.Key())
		if len(keys) >= 2*limit {
			keys, truncated = smallest(keys, limit, truncated)
		}
	}
	// The iterator logs and swallows its errors; a deadline is the one
	// failure it lets us see.
	if err := ctx.Err(); err != nil {
		return nil, false, backendError("scan", err)
	}
	keys, truncated = smallest(keys, limit, truncated)
	return keys, truncated, nil
}

// smallest sorts keys, drops duplicates and keeps the first limit;
// truncated becomes true when it dropped any distinct key.
func smallest(keys []string, limit int, truncated bool) ([]string, bool) {
	slices.Sort(keys)
	keys = slices.Compact(keys)
	if len(keys) > limit {
		return keys[:limit], true
	}
	return keys, truncated
}

func sdkCode(err error) sdk.Code {
	if e, ok := err.(*sdk.Error); ok {
		return e.Code
	}
	return ""
}
