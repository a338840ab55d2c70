package service_test

import (
	"context"
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orama-network/orama/plugins/database/namespaced"
	"github.com/orama-network/orama/plugins/serverless/service"
	"github.com/orama-network/orama/plugins/storage/ipfs"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/pubsub"
	"github.com/orama-network/orama/sdk/storage"
)

const testSecret = "serverless-test-secret-0123456789abcdef"

// backends are what a node's Service runs on: the real SQLite database
// backend, the real embedded storage backend, the local pubsub broker and
// a fake cache. Two Services given the same backends are two gateway
// nodes sharing a cluster's database and storage.
type backends struct {
	db     database.Database
	store  storage.Storage
	cache  *fakeCache
	pubsub *pubsub.Broker
}

func newBackends(t testing.TB) *backends {
	t.Helper()
	db := namespaced.New(nil)
	if err := db.Configure(t.Context(), plugin.Config{Name: "database", NodeID: "test", DataDir: t.TempDir()}); err != nil {
		t.Fatalf("configure the sqlite database: %v", err)
	}
	t.Cleanup(func() { _ = db.Close(context.Background()) })
	st := ipfs.New(nil)
	if err := st.Configure(t.Context(), plugin.Config{Name: "storage", NodeID: "test", DataDir: t.TempDir()}); err != nil {
		t.Fatalf("configure the embedded storage: %v", err)
	}
	t.Cleanup(func() { _ = st.Close(context.Background()) })
	ps := pubsub.NewBroker(pubsub.BrokerOptions{})
	t.Cleanup(func() { _ = ps.Close() })
	return &backends{db: db, store: st, cache: newFakeCache(), pubsub: ps}
}

// rawConfig returns attrs as a config block, key_secret included unless
// attrs sets it (nil values delete).
func rawConfig(attrs map[string]any) json.RawMessage {
	m := map[string]any{"key_secret": testSecret}
	for k, v := range attrs {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, _ := json.Marshal(m)
	return b
}

// node is a configured Service over b with its own data directory (its
// own compilation cache), closed at cleanup.
func node(t testing.TB, b *backends, dataDir string, attrs map[string]any) *service.Service {
	t.Helper()
	s := service.New(plugintest.Logger(t, "serverless"), service.WithDatabase(b.db), service.WithStorage(b.store),
		service.WithCache(b.cache), service.WithPubSub(b.pubsub))
	if err := s.Configure(t.Context(), plugin.Config{Name: "serverless", NodeID: "test", DataDir: dataDir, Raw: rawConfig(attrs)}); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

// fakeCache is an in-memory cache.Cache (unit tests; the e2e tests use
// the real cache plugin).
type fakeCache struct {
	mu sync.Mutex
	m  map[string]cache.Entry
}

var _ cache.Cache = (*fakeCache)(nil)

func newFakeCache() *fakeCache { return &fakeCache{m: map[string]cache.Entry{}} }

func ck(ns, dmap, key string) string { return ns + "\x00" + dmap + "\x00" + key }

func (c *fakeCache) Get(_ context.Context, ns, dmap, key string) (cache.Entry, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[ck(ns, dmap, key)]
	if !ok || (!e.ExpiresAt.IsZero() && time.Now().After(e.ExpiresAt)) {
		return cache.Entry{}, sdk.Errorf(sdk.CodeNotFound, "key not found")
	}
	return e, nil
}

func (c *fakeCache) MGet(ctx context.Context, ns, dmap string, keys []string) ([]cache.Entry, error) {
	var out []cache.Entry
	for _, k := range keys {
		if e, err := c.Get(ctx, ns, dmap, k); err == nil {
			out = append(out, e)
		}
	}
	return out, nil
}

func (c *fakeCache) Put(_ context.Context, ns, dmap, key string, value []byte, ttl time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := cache.Entry{Key: key, Value: append([]byte(nil), value...)}
	if ttl > 0 {
		e.ExpiresAt = time.Now().Add(ttl)
	}
	c.m[ck(ns, dmap, key)] = e
	return nil
}

func (c *fakeCache) Delete(_ context.Context, ns, dmap, key string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[ck(ns, dmap, key)]; !ok {
		return sdk.Errorf(sdk.CodeNotFound, "key not found")
	}
	delete(c.m, ck(ns, dmap, key))
	return nil
}

func (c *fakeCache) Scan(_ context.Context, ns, dmap, match string, _ int) ([]string, bool, error) {
	re, err := regexp.Compile(match)
	if err != nil {
		return nil, false, sdk.Errorf(sdk.CodeInvalid, "bad expression")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var keys []string
	prefix := ck(ns, dmap, "")
	for k := range c.m {
		if rest, ok := strings.CutPrefix(k, prefix); ok && re.MatchString(rest) {
			keys = append(keys, rest)
		}
	}
	sort.Strings(keys)
	return keys, false, nil
}

func (c *fakeCache) Health(context.Context) (plugin.Health, error) {
	return plugin.Health{OK: true, Driver: "fake"}, nil
}
