package pubsub

import (
	"time"
)

// renew joins every member of every topic again each PresenceTTL/3, so
// their leases hold while their sockets are open.
func (h *Hub) renew() {
	tick := time.NewTicker(h.opts.PresenceTTL / 3)
	defer tick.Stop()
	for {
		select {
		case <-h.ctx.Done():
			return
		case <-tick.C:
		}
		h.mu.Lock()
		topics := make([]*topic, 0, len(h.topics))
		for _, t := range h.topics {
			topics = append(topics, t)
		}
		h.mu.Unlock()
		for _, t := range topics {
			h.rejoin(t)
		}
	}
}

// rejoin joins the topic's members (a renewal of their leases, or a join
// on a plugin that restarted and lost them). Failures are logged: the
// next round tries again.
func (h *Hub) rejoin(t *topic) {
	t.mu.RLock()
	if len(t.members) == 0 {
		t.mu.RUnlock()
		return
	}
	ms := make([]*member, 0, len(t.members))
	for _, mb := range t.members {
		ms = append(ms, mb)
	}
	t.mu.RUnlock()
	ctx, cancel := h.d.Context(t.ctx)
	defer cancel()
	ps, err := h.d.Plugin(ctx)
	if err != nil {
		h.log.Debug("presence renewal: plugin unavailable", "error", err)
		return
	}
	for _, mb := range ms {
		if err := ps.Join(ctx, t.key.ns, t.key.topic, mb.m, h.opts.PresenceTTL); err != nil && ctx.Err() == nil {
			h.log.Debug("presence renewal failed", "error", err)
		}
		if ctx.Err() != nil {
			return
		}
	}
}
