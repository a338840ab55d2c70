package cache

import (
	"context"
	"sync"

	"github.com/orama-network/orama/sdk"
)

// DefaultWatchQueue is the queue length of one watcher of a Fanout when
// NewFanout is given 0.
const DefaultWatchQueue = 4096

// Fanout is the delivery half of a Watcher for implementations: Publish
// hands an invalidation to every current watcher through a bounded queue
// per watcher; a watcher whose queue is full loses it and gets
// Invalidation{All: true} instead as soon as its queue has room, so
// nothing is lost silently and a slow watcher never slows a writer.
// While the implementation cannot see every write it calls SetUp(false):
// every watcher ends with unavailable and new ones wait until SetUp(true).
// The zero value is not usable; call NewFanout.
type Fanout struct {
	queue int

	mu       sync.Mutex
	up       bool
	upCh     chan struct{} // closed while up
	watchers map[*fanWatcher]struct{}
}

type fanWatcher struct {
	ch       chan Invalidation
	overflow bool          // lost one; owes an All (under Fanout.mu)
	wake     chan struct{} // 1-buffered: overflow was set
	gone     chan struct{} // closed when the Fanout went down
}

// NewFanout returns a Fanout whose watchers queue up to queue
// invalidations each (DefaultWatchQueue when ≤ 0), initially up.
func NewFanout(queue int) *Fanout {
	if queue <= 0 {
		queue = DefaultWatchQueue
	}
	upCh := make(chan struct{})
	close(upCh)
	return &Fanout{queue: queue, up: true, upCh: upCh, watchers: map[*fanWatcher]struct{}{}}
}

// Publish queues inv for every watcher; it never blocks.
func (f *Fanout) Publish(inv Invalidation) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for w := range f.watchers {
		if w.overflow {
			continue
		}
		select {
		case w.ch <- inv:
		default:
			w.overflow = true
			select {
			case w.wake <- struct{}{}:
			default:
			}
		}
	}
}

// SetUp tells whether the implementation sees every write. Going down
// ends every watcher (unavailable); going up lets waiting and new
// watchers in, each starting with Invalidation{All: true}.
func (f *Fanout) SetUp(up bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.up == up {
		return
	}
	f.up = up
	if up {
		close(f.upCh)
	} else {
		f.upCh = make(chan struct{})
		for w := range f.watchers {
			close(w.gone)
			delete(f.watchers, w)
		}
	}
}

// Watchers returns the number of current watchers.
func (f *Fanout) Watchers() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.watchers)
}

// Watch implements Watcher.WatchInvalidations over the Fanout; while the
// Fanout is down it first waits (bounded by ctx) until it is up.
func (f *Fanout) Watch(ctx context.Context, fn func(Invalidation) error) error {
	w := &fanWatcher{ch: make(chan Invalidation, f.queue), wake: make(chan struct{}, 1), gone: make(chan struct{})}
	for {
		f.mu.Lock()
		if f.up {
			f.watchers[w] = struct{}{}
			f.mu.Unlock()
			break
		}
		upCh := f.upCh
		f.mu.Unlock()
		select {
		case <-upCh:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	defer func() {
		f.mu.Lock()
		delete(f.watchers, w)
		f.mu.Unlock()
	}()
	if err := fn(Invalidation{All: true}); err != nil {
		return err
	}
	for {
		select {
		case inv := <-w.ch:
			if err := fn(inv); err != nil {
				return err
			}
			continue
		default:
		}
		// The queue is empty: settle a pending overflow, then wait.
		f.mu.Lock()
		owed := w.overflow
		w.overflow = false
		f.mu.Unlock()
		if owed {
			if err := fn(Invalidation{All: true}); err != nil {
				return err
			}
			continue
		}
		select {
		case inv := <-w.ch:
			if err := fn(inv); err != nil {
				return err
			}
		case <-w.wake:
		case <-w.gone:
			return errWatchDown()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func errWatchDown() error {
	return sdk.Errorf(sdk.CodeUnavailable, "cache backend cannot see every write now")
}
