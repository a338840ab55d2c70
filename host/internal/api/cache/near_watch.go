package cache

import (
	"context"
	"errors"
	"time"

	"github.com/orama-network/orama/sdk/cache"
)

// Bounds of the watch loop.
const (
	watchBackoffMin = 100 * time.Millisecond
	watchBackoffMax = 5 * time.Second
	watchFind       = 10 * time.Second // bound of finding the plugin once
	watchHealthy    = 10 * time.Second // a stream up this long resets the backoff
	// watchUnsupported is the pause before asking again a plugin that
	// does not stream (an upgrade may bring one that does).
	watchUnsupported = 30 * time.Second
)

// watch keeps the invalidation stream of the current plugin instance up:
// subscribe, serve from memory from its opening flush on, and on any end
// of the stream forget everything and bypass until it is back
// (re-subscribing with backoff).
func (n *Near) watch() {
	defer close(n.done)
	defer n.flush()
	backoff := watchBackoffMin
	for n.ctx.Err() == nil {
		started := time.Now()
		err := n.watchOnce()
		n.active.Store(nil)
		n.flush()
		n.metrics.streaming.Set(0)
		if n.ctx.Err() != nil {
			return
		}
		n.metrics.flushes.WithLabelValues("stream_down").Inc()
		wait := backoff
		if errors.Is(err, cache.ErrWatchUnsupported) {
			n.log.Info("cache plugin streams no invalidations: near cache off for it", "error", err)
			wait = watchUnsupported
		} else {
			n.log.Debug("cache invalidation stream ended", "error", err)
			if time.Since(started) >= watchHealthy {
				backoff = watchBackoffMin
			}
			backoff = min(2*backoff, watchBackoffMax)
		}
		select {
		case <-n.ctx.Done():
			return
		case <-n.changed: // a new instance serves: try it at once
		case <-time.After(wait):
		}
	}
}

// watchOnce runs one stream of the current instance until it ends, or
// until Get sees that another instance serves.
func (n *Near) watchOnce() error {
	fctx, cancel := context.WithTimeout(n.ctx, watchFind)
	c, err := n.plugin(fctx)
	cancel()
	if err != nil {
		return err
	}
	w, ok := c.(cache.Watcher)
	if !ok {
		return cache.ErrWatchUnsupported
	}
	ctx, cancel := context.WithCancel(n.ctx)
	defer cancel()
	go func() {
		select {
		case <-n.changed:
			cancel()
		case <-ctx.Done():
		}
	}()
	return w.WatchInvalidations(ctx, func(inv cache.Invalidation) error {
		if inv.All {
			n.flush()
			n.metrics.flushes.WithLabelValues("stream_all").Inc()
			if n.active.Load() == nil {
				n.active.Store(&activeWatch{c: c})
				n.metrics.streaming.Set(1)
			}
			return nil
		}
		n.metrics.invalidations.WithLabelValues("stream").Inc()
		n.Invalidate(inv.Namespace, inv.DMap, inv.Key)
		return nil
	})
}
