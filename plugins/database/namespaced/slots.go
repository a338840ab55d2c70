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
// connection of the engine while the others wait. Statements the driver
// merges with other callers' (driver.Merger: rqlite's group commit) are
// capped apart, at mergedFactor times as many: the driver keeps at most
// max_concurrent_statements of one namespace's merged statements on their
// way at once (rqlite.Options.Share) and the rest wait in its queue, so
// what a namespace makes the engine compute at once, and what another
// namespace's statement waits behind, stay bounded by the smaller cap,
// while a busy namespace's waiting statements fill the requests. With
// SQLite, which has one writer, a namespace also writes one statement at a
// time: the others then wait for the writer behind at most one of its
// statements, which statement_timeout bounds. The system namespace is not capped: its
// statements are the gateway's own, made for every tenant.
type slots struct {
	max     int
	writers int // writes of one namespace at once; 0: not capped apart
	merged  int // merged statements of one namespace at once
	mu      sync.Mutex
	ns      map[string]*nsSlots
}

// nsSlots are one namespace's slots; users counts the calls holding or
// waiting for one, and the entry is dropped when it falls to zero.
type nsSlots struct {
	sem   chan struct{} // every statement the driver does not merge
	msem  chan struct{} // statements the driver merges
	wsem  chan struct{} // writes (nil when not capped apart)
	users int
}

func noRelease() {}

// tenantOf is the driver.Stmt.Tenant of a statement of ns: the namespace,
// or none for the system namespace, which is not capped.
func tenantOf(ns string) string {
	if ns == database.SystemNamespace {
		return ""
	}
	return ns
}

// mergedFactor is how many more statements one namespace may have at
// once when the driver merges them (see slots).
const mergedFactor = 4

func newSlots(max, writers int) *slots {
	return &slots{max: max, writers: writers, merged: mergedFactor * max, ns: map[string]*nsSlots{}}
}

// acquire takes a slot of ns (a merged one when merged; for a write also
// a write slot), waiting up to slotWait (or until ctx ends) for one to be
// released. Call the returned function to release it. Errors:
// rate_limited when no slot came free in time, unavailable when ctx ended
// first.
func (s *slots) acquire(ctx context.Context, ns string, write, merged bool) (func(), error) {
	if ns == database.SystemNamespace {
		// The gateway's own statements (auth's keys and sessions) serve
		// every tenant; clients never act in it (the host refuses it).
		return noRelease, nil
	}
	s.mu.Lock()
	e := s.ns[ns]
	if e == nil {
		e = &nsSlots{sem: make(chan struct{}, s.max), msem: make(chan struct{}, s.merged)}
		if s.writers > 0 {
			e.wsem = make(chan struct{}, s.writers)
		}
		s.ns[ns] = e
	}
	e.users++
	s.mu.Unlock()

	deadline := time.Now().Add(slotWait)
	sem, n, what := e.sem, s.max, "statements"
	if merged {
		sem, n, what = e.msem, s.merged, "statements merged into shared engine requests"
	}
	if err := take(ctx, sem, deadline, ns, n, what); err != nil {
		s.leave(ns, e)
		return nil, err
	}
	if !write || e.wsem == nil {
		return func() { <-sem; s.leave(ns, e) }, nil
	}
	if err := take(ctx, e.wsem, deadline, ns, s.writers, "writes (SQLite has one writer)"); err != nil {
		<-sem
		s.leave(ns, e)
		return nil, err
	}
	return func() { <-e.wsem; <-sem; s.leave(ns, e) }, nil
}

// take puts a token into sem, waiting until deadline or until ctx ends.
func take(ctx context.Context, sem chan struct{}, deadline time.Time, ns string, n int, what string) error {
	select {
	case sem <- struct{}{}: // the usual case: a slot is free
		return nil
	default:
	}
	t := time.NewTimer(time.Until(deadline))
	defer t.Stop()
	select {
	case sem <- struct{}{}:
		return nil
	case <-t.C:
		return sdk.Errorf(sdk.CodeRateLimited,
			"namespace %q already runs %d %s at once (max_concurrent_statements) and none finished within %s; wait for them or make them cheaper, then retry",
			ns, n, what, slotWait)
	case <-ctx.Done():
		return sdk.Errorf(sdk.CodeUnavailable, "the call was cancelled while it waited for a free slot of its namespace: %v", ctx.Err())
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
