package pluginmgr

import (
	"context"
	"errors"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/plugin"
)

// handoffCache is the cache during a hand-off: the new instance serves,
// and the old one answers what the new one does not hold yet. Reads that
// miss on the new instance ask the old one; writes go to the new one
// (Import never overwrites them); deletes go to both, so a deleted key
// does not come back from the old instance. Scan lists the new instance's
// keys only (those moved so far).
type handoffCache struct {
	old, next     cache.Cache
	oldInst, inst *instance
}

var (
	_ cache.Cache   = (*handoffCache)(nil)
	_ cache.Watcher = (*handoffCache)(nil)
)

func isNotFound(err error) bool {
	var e *sdk.Error
	return errors.As(err, &e) && e.Code == sdk.CodeNotFound
}

func (h *handoffCache) Get(ctx context.Context, namespace, dmap, key string) (cache.Entry, error) {
	e, err := h.next.Get(ctx, namespace, dmap, key)
	if !isNotFound(err) {
		return e, err
	}
	if oe, oerr := h.old.Get(ctx, namespace, dmap, key); oerr == nil {
		return oe, nil
	}
	return e, err
}

func (h *handoffCache) MGet(ctx context.Context, namespace, dmap string, keys []string) ([]cache.Entry, error) {
	es, err := h.next.MGet(ctx, namespace, dmap, keys)
	if err != nil || len(es) == len(keys) {
		return es, err
	}
	have := make(map[string]cache.Entry, len(es))
	for _, e := range es {
		have[e.Key] = e
	}
	var missing []string
	for _, k := range keys {
		if _, ok := have[k]; !ok {
			missing = append(missing, k)
		}
	}
	olds, oerr := h.old.MGet(ctx, namespace, dmap, missing)
	if oerr != nil || len(olds) == 0 {
		return es, nil
	}
	for _, e := range olds {
		have[e.Key] = e
	}
	out := make([]cache.Entry, 0, len(have))
	for _, k := range keys {
		if e, ok := have[k]; ok {
			out = append(out, e)
		}
	}
	return out, nil
}

func (h *handoffCache) Put(ctx context.Context, namespace, dmap, key string, value []byte, ttl time.Duration) error {
	return h.next.Put(ctx, namespace, dmap, key, value, ttl)
}

// Delete removes key from both instances: not_found only when neither
// held it.
func (h *handoffCache) Delete(ctx context.Context, namespace, dmap, key string) error {
	oerr := h.old.Delete(ctx, namespace, dmap, key)
	err := h.next.Delete(ctx, namespace, dmap, key)
	if isNotFound(err) && oerr == nil {
		return nil
	}
	return err
}

func (h *handoffCache) Scan(ctx context.Context, namespace, dmap, match string, limit int) ([]string, bool, error) {
	return h.next.Scan(ctx, namespace, dmap, match, limit)
}

func (h *handoffCache) Health(ctx context.Context) (plugin.Health, error) {
	return h.next.Health(ctx)
}

// WatchInvalidations is the new instance's stream.
func (h *handoffCache) WatchInvalidations(ctx context.Context, fn func(cache.Invalidation) error) error {
	w, ok := h.next.(cache.Watcher)
	if !ok {
		return cache.ErrWatchUnsupported
	}
	return w.WatchInvalidations(ctx, fn)
}
