package namespaced

import (
	"context"
	"sync"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
)

// slotWait is how long a call waits for one of its namespace's slots
// before it is refused with rate_limited. It is long enough for a burst
// of quick statements to queue (a point query holds a slot for tens of
// microseconds) and short enough that a namespace running slow
// statements is told at once to slow down.
const slotWait = time.Second

// slots caps the statements each namespace runs at once
// (max_concurrent_statements), so one namespace cannot hold every
// connection of the engine while the others wait. The system namespace
// is not capped: its statements are the gateway's own, made for every
// tenant.
type slots struct {
	max int
	mu  sync.Mutex
	ns  map[string]*nsSlots
}

// nsSlots are one namespace's slots; users counts the calls holding or
// waiting for one, and the entry is dropped when it falls to zero.
type nsSlots struct {
	sem   chan struct{}
	users int
}

func noRelease() {}

func newSlots(max int) *slots {
	return &slots{max: max, ns: map[string]*nsSlots{}}
}

// acquire takes a slot of ns, waiting up to slotWait (or until ctx ends)
// for one to be released. Call the returned function to release it.
// Errors: rate_limited when no slot came free in time, unavailable when
// ctx ended first.
func (s *slots) acquire(ctx context.Context, ns string) (func(), error) {
	if ns == database.SystemNamespace {
		// The gateway's own statements (auth's keys and sessions) serve
		// every tenant; clients never act in it (the host refuses it).
		return noRelease, nil
	}
	s.mu.Lock()
	e := s.ns[ns]
	if e == nil {
		e = &nsSlots{sem: make(chan struct{}, s.max)}
		s.ns[ns] = e
	}
	e.users++
	s.mu.Unlock()

	select {
	case e.sem <- struct{}{}: // the usual case: a slot is free
		return func() { <-e.sem; s.leave(ns, e) }, nil
	default:
	}
	t := time.NewTimer(slotWait)
	defer t.Stop()
	select {
	case e.sem <- struct{}{}:
		return func() { <-e.sem; s.leave(ns, e) }, nil
	case <-t.C:
		s.leave(ns, e)
		return nil, sdk.Errorf(sdk.CodeRateLimited,
			"namespace %q already runs %d statements at once (max_concurrent_statements) and none finished within %s; wait for them or make them cheaper, then retry",
			ns, s.max, slotWait)
	case <-ctx.Done():
		s.leave(ns, e)
		return nil, sdk.Errorf(sdk.CodeUnavailable, "the call was cancelled while it waited for a free slot of its namespace: %v", ctx.Err())
	}
}

func (s *slots) leave(ns string, e *nsSlots) {
	s.mu.Lock()
	e.users--
	if e.users == 0 {
		delete(s.ns, ns)
	}
	s.mu.Unlock()
}
