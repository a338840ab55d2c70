package ipfs

import "sync"

// keyedMutex serialises work on one key (a CID) and lets other keys run.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[string]*keyLock
}

type keyLock struct {
	mu   sync.Mutex
	refs int
}

// lock locks key and returns its unlock.
func (k *keyedMutex) lock(key string) (unlock func()) {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyLock{}
	}
	l := k.locks[key]
	if l == nil {
		l = &keyLock{}
		k.locks[key] = l
	}
	l.refs++
	k.mu.Unlock()

	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		k.mu.Lock()
		if l.refs--; l.refs == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
}

// flight counts calls in flight so Close can wait for them; once closed
// it admits no new call.
type flight struct {
	mu     sync.Mutex
	n      int
	closed bool
	zero   chan struct{} // closed when closed and n is 0
}

func newFlight() *flight { return &flight{zero: make(chan struct{})} }

// enter admits a call unless the flight is closed.
func (f *flight) enter() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return false
	}
	f.n++
	return true
}

// leave ends a call admitted by enter.
func (f *flight) leave() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n--; f.n == 0 && f.closed {
		close(f.zero)
	}
}

// close stops admitting calls; the channel closes when the last ends.
func (f *flight) close() <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.closed {
		f.closed = true
		if f.n == 0 {
			close(f.zero)
		}
	}
	return f.zero
}
