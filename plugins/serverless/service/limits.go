package service

import (
	"context"
	"sync"
	"time"

	"github.com/orama-network/orama/sdk"
)

// limitWait is how long an invocation waits for a free slot before it is
// refused rate_limited: long enough to ride out a burst's edge, too short
// to be a queue.
const limitWait = 50 * time.Millisecond

// limiter caps concurrent invocations per function (all its versions)
// and per namespace.
type limiter struct {
	perFn, perNS int

	mu   sync.Mutex
	sems map[string]*sem
}

type sem struct {
	ch    chan struct{}
	users int // holders and waiters; the sem is dropped at 0
}

func newLimiter(perFn, perNS int) *limiter {
	return &limiter{perFn: perFn, perNS: perNS, sems: map[string]*sem{}}
}

// acquire takes a slot of the namespace and one of the function, waiting
// at most limitWait for each; the returned release frees both. Errors:
// rate_limited, or ctx's error.
func (l *limiter) acquire(ctx context.Context, ns, name string) (release func(), err error) {
	nsKey, fnKey := "n\x00"+ns, "f\x00"+ns+"\x00"+name
	if err := l.take(ctx, nsKey, l.perNS); err != nil {
		return nil, rateLimited("namespace %q already runs %d invocations at once", ns, l.perNS, err)
	}
	if err := l.take(ctx, fnKey, l.perFn); err != nil {
		l.give(nsKey)
		return nil, rateLimited("function %q already runs %d invocations at once", name, l.perFn, err)
	}
	return func() { l.give(fnKey); l.give(nsKey) }, nil
}

func (l *limiter) take(ctx context.Context, key string, n int) error {
	l.mu.Lock()
	s := l.sems[key]
	if s == nil {
		s = &sem{ch: make(chan struct{}, n)}
		l.sems[key] = s
	}
	s.users++
	l.mu.Unlock()
	select {
	case s.ch <- struct{}{}:
		return nil
	default:
	}
	t := time.NewTimer(limitWait)
	defer t.Stop()
	select {
	case s.ch <- struct{}{}:
		return nil
	case <-t.C:
		l.drop(key, s)
		return errFull
	case <-ctx.Done():
		l.drop(key, s)
		return ctx.Err()
	}
}

func (l *limiter) give(key string) {
	l.mu.Lock()
	s := l.sems[key]
	l.mu.Unlock()
	<-s.ch
	l.drop(key, s)
}

func (l *limiter) drop(key string, s *sem) {
	l.mu.Lock()
	if s.users--; s.users == 0 {
		delete(l.sems, key)
	}
	l.mu.Unlock()
}

var errFull = sdk.Errorf(sdk.CodeRateLimited, "full")

func rateLimited(format string, what any, n int, cause error) error {
	if cause != errFull {
		return cause
	}
	return sdk.Errorf(sdk.CodeRateLimited, format, what, n)
}

// flight runs one load per key at a time; callers of a key in flight
// wait for its result.
type flight struct {
	mu    sync.Mutex
	calls map[string]*flightCall
}

type flightCall struct {
	done chan struct{}
	err  error
}

func newFlight() *flight { return &flight{calls: map[string]*flightCall{}} }

// do runs fn for key unless a run is in flight, whose result it then
// returns. fn runs under a context detached from any one caller's
// cancellation (bounded by timeout); a caller whose ctx ends stops
// waiting.
func (f *flight) do(ctx context.Context, key string, timeout time.Duration, fn func(context.Context) error) error {
	f.mu.Lock()
	c := f.calls[key]
	if c == nil {
		c = &flightCall{done: make(chan struct{})}
		f.calls[key] = c
		f.mu.Unlock()
		go func() {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
			c.err = fn(rctx)
			cancel()
			f.mu.Lock()
			delete(f.calls, key)
			f.mu.Unlock()
			close(c.done)
		}()
	} else {
		f.mu.Unlock()
	}
	select {
	case <-c.done:
		return c.err
	case <-ctx.Done():
		return ctx.Err()
	}
}
