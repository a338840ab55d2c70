package cachetest

import (
	"bytes"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/plugin"
)

// Memory is an in-memory cache.Backend for unit tests: a map with expiry
// that keeps the whole contract (it passes Run). Its Base methods accept
// any config. It is a cache.Watcher too: every Put and Delete is streamed
// to its watchers (Fanout, exported so that tests can take it down). The
// zero value is not usable; call NewMemory.
type Memory struct {
	Fanout *cache.Fanout

	mu    sync.Mutex
	dmaps map[dmapID]map[string]memEntry
}

type dmapID struct{ namespace, dmap string }

type memEntry struct {
	value     []byte
	expiresAt time.Time
}

var (
	_ cache.Backend = (*Memory)(nil)
	_ cache.Watcher = (*Memory)(nil)
)

// NewMemory returns an empty Memory.
func NewMemory() *Memory {
	return &Memory{Fanout: cache.NewFanout(0), dmaps: make(map[dmapID]map[string]memEntry)}
}

// WatchInvalidations streams the invalidations of m's writes.
func (m *Memory) WatchInvalidations(ctx context.Context, fn func(cache.Invalidation) error) error {
	return m.Fanout.Watch(ctx, fn)
}

func live(e memEntry) bool {
	return e.expiresAt.IsZero() || time.Now().Before(e.expiresAt)
}

// lookup returns the live entry of key; m.mu must be held.
func (m *Memory) lookup(id dmapID, key string) (memEntry, bool) {
	e, ok := m.dmaps[id][key]
	if ok && !live(e) {
		delete(m.dmaps[id], key)
		return memEntry{}, false
	}
	return e, ok
}

func (m *Memory) Get(_ context.Context, namespace, dmap, key string) (cache.Entry, error) {
	if err := cache.CheckNames(namespace, dmap, key); err != nil {
		return cache.Entry{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.lookup(dmapID{namespace, dmap}, key)
	if !ok {
		return cache.Entry{}, errNotFound()
	}
	return cache.Entry{Key: key, Value: bytes.Clone(e.value), ExpiresAt: e.expiresAt}, nil
}

func (m *Memory) MGet(_ context.Context, namespace, dmap string, keys []string) ([]cache.Entry, error) {
	if err := cache.CheckNames(namespace, dmap, "-"); err != nil {
		return nil, err
	}
	if len(keys) > cache.MaxKeys {
		return nil, sdk.Errorf(sdk.CodeInvalid, "more than %d keys", cache.MaxKeys)
	}
	for _, k := range keys {
		if err := cache.CheckName("key", k); err != nil {
			return nil, err
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]cache.Entry, 0, len(keys))
	for _, k := range keys {
		if e, ok := m.lookup(dmapID{namespace, dmap}, k); ok {
			out = append(out, cache.Entry{Key: k, Value: bytes.Clone(e.value), ExpiresAt: e.expiresAt})
		}
	}
	return out, nil
}

func (m *Memory) Put(_ context.Context, namespace, dmap, key string, value []byte, ttl time.Duration) error {
	if err := cache.CheckPut(namespace, dmap, key, value); err != nil {
		return err
	}
	if ttl < 0 {
		return sdk.Errorf(sdk.CodeInvalid, "ttl must not be negative")
	}
	e := memEntry{value: bytes.Clone(value)}
	if ttl > 0 {
		e.expiresAt = time.Now().Add(ttl)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	id := dmapID{namespace, dmap}
	if m.dmaps[id] == nil {
		m.dmaps[id] = make(map[string]memEntry)
	}
	m.dmaps[id][key] = e
	m.Fanout.Publish(cache.Invalidation{Namespace: namespace, DMap: dmap, Key: key})
	return nil
}

func (m *Memory) Delete(_ context.Context, namespace, dmap, key string) error {
	if err := cache.CheckNames(namespace, dmap, key); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	id := dmapID{namespace, dmap}
	if _, ok := m.lookup(id, key); !ok {
		return errNotFound()
	}
	delete(m.dmaps[id], key)
	m.Fanout.Publish(cache.Invalidation{Namespace: namespace, DMap: dmap, Key: key})
	return nil
}

func (m *Memory) Scan(_ context.Context, namespace, dmap, match string, limit int) ([]string, bool, error) {
	if err := cache.CheckNames(namespace, dmap, "-"); err != nil {
		return nil, false, err
	}
	re, err := cache.CompileMatch(match)
	if err != nil {
		return nil, false, err
	}
	m.mu.Lock()
	var keys []string
	for k, e := range m.dmaps[dmapID{namespace, dmap}] {
		if live(e) && (re == nil || re.MatchString(k)) {
			keys = append(keys, k)
		}
	}
	m.mu.Unlock()
	slices.Sort(keys)
	if n := cache.ScanLimit(limit); len(keys) > n {
		return keys[:n], true, nil
	}
	return keys, false, nil
}

func (m *Memory) Health(context.Context) (plugin.Health, error) {
	return plugin.Health{OK: true, Driver: "memory"}, nil
}

func (m *Memory) Info(context.Context) (plugin.Info, error) {
	return plugin.Info{Kind: cache.Kind, Name: "memory", Version: "test"}, nil
}

func (m *Memory) ValidateConfig(context.Context, plugin.Config) error { return nil }

func (m *Memory) Configure(context.Context, plugin.Config) error { return nil }

func (m *Memory) Close(context.Context) error { return nil }

func errNotFound() error { return &sdk.Error{Code: sdk.CodeNotFound, Message: "key not found"} }
