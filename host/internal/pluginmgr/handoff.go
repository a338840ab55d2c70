package pluginmgr

import (
	"context"
	"errors"
	"time"

	"github.com/orama-network/orama/sdk/cache"
)

// The cache hand-off (cache.Handoff, optional in the contract): an upgrade
// of the cache plugin starts the new instance, sends traffic to it through
// a handoffCache (reads fall back to the old instance on a miss, deletes
// go to both), streams the old instance's Export into the new instance's
// Import within the hand-off timeout, and only then retires and stops the
// old instance. A plugin that does not implement it is upgraded as before,
// and the log says its entries did not move.

// defaultHandoffTimeout bounds a hand-off when Options leave it unset.
const defaultHandoffTimeout = time.Minute

// Hand-off results, as /v1/status shows the last one.
const (
	HandoffMoved       = "moved"       // every entry moved
	HandoffUnsupported = "unsupported" // the plugin cannot hand off; entries dropped
	HandoffTimeout     = "timeout"     // the bound passed; the rest dropped
	HandoffFailed      = "failed"      // an error ended it; the rest dropped
)

// beginHandoff makes the cache view of a hand-off from old to next the
// one callers get, when their kind has a hand-off; nil otherwise.
func (s *supervisor) beginHandoff(old, next *instance) *handoffCache {
	oldCache, ok1 := old.backend.(cache.Cache)
	newCache, ok2 := next.backend.(cache.Cache)
	_, ok3 := old.backend.(cache.Handoff)
	_, ok4 := next.backend.(cache.Handoff)
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return nil
	}
	view := &handoffCache{old: oldCache, next: newCache, oldInst: old, inst: next}
	s.mu.Lock()
	s.handoff = view
	s.mu.Unlock()
	return view
}

// handOff moves the entries of view's old instance to its new one; it
// returns once done, dropped or out of time, and then callers get the new
// instance alone.
func (s *supervisor) handOff(view *handoffCache) {
	old, next := view.oldInst, view.inst
	from := old.backend.(cache.Handoff)
	to := next.backend.(cache.Handoff)
	defer func() {
		s.mu.Lock()
		if s.handoff == view {
			s.handoff = nil
		}
		s.mu.Unlock()
	}()

	timeout := s.m.handoffTimeout
	ctx, cancel := context.WithTimeout(s.ctx, timeout)
	defer cancel()
	start := time.Now()
	quiesce(ctx, old)
	var total int64
	var moved cache.ImportCounts
	err := from.Export(ctx, 0, func(b cache.ExportBatch) error {
		if b.Total > total {
			total = b.Total
		}
		if len(b.Entries) == 0 {
			return nil
		}
		n, err := to.Import(ctx, b.Entries)
		moved = moved.Add(n)
		return err
	})
	dropped := max(total-moved.Moved(), 0)
	took := time.Since(start)
	result := HandoffMoved
	switch {
	case errors.Is(err, cache.ErrHandoffUnsupported):
		result = HandoffUnsupported
		s.log.Warn("the cache plugin does not hand off its entries (cache.Handoff): they did not move to the new instance and are gone with the old one",
			"old_pid", old.pid, "new_pid", next.pid)
	case err != nil && ctx.Err() != nil && s.ctx.Err() == nil:
		result = HandoffTimeout
		s.log.Warn("cache hand-off ran out of time; the old instance stops anyway and the entries it did not move are dropped",
			"handoff_timeout", timeout, "moved", moved.Moved(), "dropped", dropped, "total", total)
	case err != nil:
		result = HandoffFailed
		s.log.Error("cache hand-off failed; the old instance stops anyway and the entries it did not move are dropped",
			"error", err, "moved", moved.Moved(), "dropped", dropped, "total", total)
	default:
		dropped = 0
		s.log.Info("cache entries handed off to the new instance", "moved", moved.Moved(), "stored", moved.Stored,
			"existed", moved.Existed, "expired", moved.Expired, "took", took)
	}
	s.mu.Lock()
	s.status.Handoffs++
	s.status.HandoffResult, s.status.HandoffMoved = result, moved.Moved()
	s.status.HandoffDropped += dropped
	s.mu.Unlock()
}

// quiesceBound bounds the wait for a moment without calls on the old
// instance before its export starts.
const quiesceBound = time.Second

// quiesce waits (at most quiesceBound) until no call is in flight on old,
// so that writes sent to it just before traffic moved are in what it
// exports. Later calls on it are the hand-off view's reads and deletes.
func quiesce(ctx context.Context, old *instance) {
	ctx, cancel := context.WithTimeout(ctx, quiesceBound)
	defer cancel()
	t := time.NewTicker(time.Millisecond)
	defer t.Stop()
	for old.inflight.Load() > 0 {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// handoffView is the cache an upgrade in progress serves through, when
// inst is still the serving instance.
func (s *supervisor) handoffView(inst *instance) cache.Cache {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.handoff != nil && s.handoff.inst == inst {
		return s.handoff
	}
	return nil
}
