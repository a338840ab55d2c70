package service

import (
	"context"
	"sync"
	"time"

	"github.com/orama-network/orama/plugins/serverless/store"
)

// metaCache caches function metadata for at most ttl: how stale a node's
// view may be after another node deploys or deletes. Deploy and Delete on
// this node drop the function's entries at once. Misses (not_found) are
// cached too, so a flood of calls to a missing function does not reach
// the database. Loads of one key are shared (one query however many
// callers wait).
type metaCache struct {
	ttl time.Duration

	mu      sync.Mutex
	entries map[metaKey]*metaEntry
}

// maxMetaEntries bounds the cache; when full, expired entries go first,
// then arbitrary ones.
const maxMetaEntries = 10_000

type metaKey struct {
	ns, name string
	version  int // 0: the latest
}

type metaEntry struct {
	at   time.Time
	row  store.Row
	err  error
	done chan struct{} // closed once row/err are set
}

func newMetaCache(ttl time.Duration) *metaCache {
	return &metaCache{ttl: ttl, entries: map[metaKey]*metaEntry{}}
}

// get returns the row for k, loading it with load when absent or older
// than ttl.
func (m *metaCache) get(ctx context.Context, k metaKey, now time.Time, load func(context.Context) (store.Row, error)) (store.Row, error) {
	m.mu.Lock()
	e := m.entries[k]
	if e != nil {
		select {
		case <-e.done:
			if now.Sub(e.at) >= m.ttl {
				e = nil // stale: load again
			}
		default: // a load is in flight: wait for it
		}
	}
	if e == nil {
		if len(m.entries) >= maxMetaEntries {
			m.evictLocked(now)
		}
		e = &metaEntry{done: make(chan struct{})}
		m.entries[k] = e
		m.mu.Unlock()
		// The load is not bound to one caller's ctx: others wait for it.
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		e.row, e.err = load(lctx)
		cancel()
		e.at = now
		close(e.done)
		if e.err != nil && !cacheable(e.err) {
			m.mu.Lock()
			if m.entries[k] == e {
				delete(m.entries, k)
			}
			m.mu.Unlock()
		}
		return e.row, e.err
	}
	m.mu.Unlock()
	select {
	case <-e.done:
		return e.row, e.err
	case <-ctx.Done():
		return store.Row{}, ctx.Err()
	}
}

// forget drops every entry of (ns, name).
func (m *metaCache) forget(ns, name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k := range m.entries {
		if k.ns == ns && k.name == name {
			delete(m.entries, k)
		}
	}
}

func (m *metaCache) evictLocked(now time.Time) {
	for k, e := range m.entries {
		select {
		case <-e.done:
			if now.Sub(e.at) >= m.ttl {
				delete(m.entries, k)
			}
		default:
		}
	}
	for k := range m.entries {
		if len(m.entries) < maxMetaEntries {
			return
		}
		delete(m.entries, k)
	}
}
