package pluginmgr

import (
	"context"
	"time"

	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/plugin"
)

// countedCache counts calls in progress on its instance, so an upgrade can
// drain the old instance before stopping it.
type countedCache struct {
	inst *instance
	c    cache.Cache
}

// enter picks the instance to call: this one, or, once it has been retired
// by an upgrade, the one serving now. The caller must release it.
func (c *countedCache) enter(ctx context.Context) (*instance, cache.Cache, error) {
	if c.inst.enter() {
		return c.inst, c.c, nil
	}
	next, err := c.inst.sup.current(ctx)
	if err != nil {
		return nil, nil, err
	}
	return next.domain.(*countedCache).enter(ctx)
}

var _ cache.Cache = (*countedCache)(nil)

func (c *countedCache) Get(ctx context.Context, ns, dmap, key string) (cache.Entry, error) {
	inst, cc, err := c.enter(ctx)
	if err != nil {
		return cache.Entry{}, err
	}
	defer inst.release()
	return cc.Get(ctx, ns, dmap, key)
}

func (c *countedCache) MGet(ctx context.Context, ns, dmap string, keys []string) ([]cache.Entry, error) {
	inst, cc, err := c.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer inst.release()
	return cc.MGet(ctx, ns, dmap, keys)
}

func (c *countedCache) Put(ctx context.Context, ns, dmap, key string, value []byte, ttl time.Duration) error {
	inst, cc, err := c.enter(ctx)
	if err != nil {
		return err
	}
	defer inst.release()
	return cc.Put(ctx, ns, dmap, key, value, ttl)
}

func (c *countedCache) Delete(ctx context.Context, ns, dmap, key string) error {
	inst, cc, err := c.enter(ctx)
	if err != nil {
		return err
	}
	defer inst.release()
	return cc.Delete(ctx, ns, dmap, key)
}

func (c *countedCache) Scan(ctx context.Context, ns, dmap, match string, limit int) ([]string, bool, error) {
	inst, cc, err := c.enter(ctx)
	if err != nil {
		return nil, false, err
	}
	defer inst.release()
	return cc.Scan(ctx, ns, dmap, match, limit)
}

func (c *countedCache) Health(ctx context.Context) (plugin.Health, error) {
	inst, cc, err := c.enter(ctx)
	if err != nil {
		return plugin.Health{}, err
	}
	defer inst.release()
	return cc.Health(ctx)
}
