// Command faultycache is a cache plugin for the e2e tests only: an
// in-memory map (no expiry, no namespaces beyond the key) whose Get panics
// for the key "panic", so the tests can show that a panic inside a plugin's
// handler takes only the plugin down, and the host brings it back. While
// the key "unhealthy" is stored (in any namespace or dmap) its Health
// answers at once but reports the backend not ok, as a plugin whose
// dependency is down does; the tests show the host keeps it serving.
package main

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/plugin"
)

func main() { plugin.Serve(cache.Kind, &cache.Plugin{Impl: &store{m: map[string][]byte{}}}) }

type store struct {
	mu        sync.Mutex
	m         map[string][]byte
	unhealthy int // stored keys named "unhealthy"
}

var _ cache.Backend = (*store)(nil)

func k(ns, dmap, key string) string { return ns + "\x00" + dmap + "\x00" + key }

func (s *store) Info(context.Context) (plugin.Info, error) {
	return plugin.Info{Kind: cache.Kind, Name: "faulty", Version: "faulty-1"}, nil
}
func (s *store) ValidateConfig(context.Context, plugin.Config) error { return nil }
func (s *store) Configure(context.Context, plugin.Config) error      { return nil }
func (s *store) Close(context.Context) error                         { return nil }
func (s *store) Health(context.Context) (plugin.Health, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.unhealthy > 0 {
		return plugin.Health{Driver: "faulty", Detail: "faultycache: backend unreachable (key \"unhealthy\" stored)"}, nil
	}
	return plugin.Health{OK: true, Driver: "faulty"}, nil
}

func (s *store) Get(_ context.Context, ns, dmap, key string) (cache.Entry, error) {
	if key == "panic" {
		panic("faultycache: asked to panic")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[k(ns, dmap, key)]
	if !ok {
		return cache.Entry{}, sdk.Errorf(sdk.CodeNotFound, "key not found")
	}
	return cache.Entry{Key: key, Value: v}, nil
}

func (s *store) MGet(ctx context.Context, ns, dmap string, keys []string) ([]cache.Entry, error) {
	var out []cache.Entry
	for _, key := range keys {
		if e, err := s.Get(ctx, ns, dmap, key); err == nil {
			out = append(out, e)
		}
	}
	return out, nil
}

func (s *store) Put(_ context.Context, ns, dmap, key string, v []byte, _ time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[k(ns, dmap, key)]; !ok && key == "unhealthy" {
		s.unhealthy++
	}
	s.m[k(ns, dmap, key)] = v
	return nil
}

func (s *store) Delete(_ context.Context, ns, dmap, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[k(ns, dmap, key)]; !ok {
		return sdk.Errorf(sdk.CodeNotFound, "key not found")
	}
	delete(s.m, k(ns, dmap, key))
	if key == "unhealthy" {
		s.unhealthy--
	}
	return nil
}

func (s *store) Scan(_ context.Context, ns, dmap, _ string, _ int) ([]string, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prefix := k(ns, dmap, "")
	keys := []string{}
	for full := range s.m {
		if len(full) > len(prefix) && full[:len(prefix)] == prefix {
			keys = append(keys, full[len(prefix):])
		}
	}
	sort.Strings(keys)
	return keys, false, nil
}
