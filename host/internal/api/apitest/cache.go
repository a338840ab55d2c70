package apitest

import (
	"context"
	"sync"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/cache/cachetest"
	"github.com/orama-network/orama/sdk/plugin"
)

// FakeCache is cachetest.Memory with two test hooks: Get can be made to
// wait, and Health can be made to report a down backend.
type FakeCache struct {
	*cachetest.Memory

	mu      sync.Mutex
	health  *plugin.Health // nil: Memory's own
	getGate chan struct{}  // when set, Get waits for it (or ctx)
	Waiting chan struct{}  // gets a value each time a Get starts waiting
}

var _ cache.Cache = (*FakeCache)(nil)

func NewFakeCache() *FakeCache {
	return &FakeCache{Memory: cachetest.NewMemory(), Waiting: make(chan struct{}, 64)}
}

// setGate makes Get wait for gate (or its ctx).
func (c *FakeCache) SetGate(gate chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.getGate = gate
}

// setHealth makes Health report h.
func (c *FakeCache) SetHealth(h plugin.Health) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.health = &h
}

func (c *FakeCache) Get(ctx context.Context, ns, dmap, key string) (cache.Entry, error) {
	c.mu.Lock()
	gate := c.getGate
	c.mu.Unlock()
	if gate != nil {
		select {
		case c.Waiting <- struct{}{}:
		default:
		}
		select {
		case <-gate:
		case <-ctx.Done():
			return cache.Entry{}, sdk.AsError(ctx.Err())
		}
	}
	return c.Memory.Get(ctx, ns, dmap, key)
}

func (c *FakeCache) Health(ctx context.Context) (plugin.Health, error) {
	c.mu.Lock()
	h := c.health
	c.mu.Unlock()
	if h != nil {
		return *h, nil
	}
	return c.Memory.Health(ctx)
}
