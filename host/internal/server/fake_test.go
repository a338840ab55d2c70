package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/orama-network/orama/host/internal/pluginmgr"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/plugin"
)

// fakeCache is a small in-memory cache.Cache for these tests.
type fakeCache struct {
	mu      sync.Mutex
	data    map[string]map[string]cache.Entry // "ns\x00dmap" → key → entry
	health  plugin.Health
	getGate chan struct{} // when set, Get waits for it (or ctx)
}

var _ cache.Cache = (*fakeCache)(nil)

func newFakeCache() *fakeCache {
	return &fakeCache{data: map[string]map[string]cache.Entry{}, health: plugin.Health{OK: true, Driver: "fake"}}
}

func (c *fakeCache) dmap(ns, dmap string) map[string]cache.Entry {
	k := ns + "\x00" + dmap
	m := c.data[k]
	if m == nil {
		m = map[string]cache.Entry{}
		c.data[k] = m
	}
	return m
}

func (c *fakeCache) Get(ctx context.Context, ns, dmap, key string) (cache.Entry, error) {
	if err := cache.CheckNames(ns, dmap, key); err != nil {
		return cache.Entry{}, err
	}
	c.mu.Lock()
	gate := c.getGate
	c.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return cache.Entry{}, sdk.AsError(ctx.Err())
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.dmap(ns, dmap)[key]
	if !ok || (!e.ExpiresAt.IsZero() && time.Now().After(e.ExpiresAt)) {
		return cache.Entry{}, sdk.Errorf(sdk.CodeNotFound, "key not found")
	}
	return e, nil
}

// setGate makes Get wait for gate (or its ctx).
func (c *fakeCache) setGate(gate chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.getGate = gate
}

func (c *fakeCache) MGet(ctx context.Context, ns, dmap string, keys []string) ([]cache.Entry, error) {
	var out []cache.Entry
	for _, k := range keys {
		e, err := c.Get(ctx, ns, dmap, k)
		if sdk.AsError(err) != nil && sdk.AsError(err).Code == sdk.CodeNotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func (c *fakeCache) Put(ctx context.Context, ns, dmap, key string, value []byte, ttl time.Duration) error {
	if err := cache.CheckPut(ns, dmap, key, value); err != nil {
		return err
	}
	e := cache.Entry{Key: key, Value: bytes.Clone(value)}
	if ttl > 0 {
		e.ExpiresAt = time.Now().Add(ttl)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dmap(ns, dmap)[key] = e
	return nil
}

func (c *fakeCache) Delete(ctx context.Context, ns, dmap, key string) error {
	if err := cache.CheckNames(ns, dmap, key); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	m := c.dmap(ns, dmap)
	if _, ok := m[key]; !ok {
		return sdk.Errorf(sdk.CodeNotFound, "key not found")
	}
	delete(m, key)
	return nil
}

func (c *fakeCache) Scan(ctx context.Context, ns, dmap, match string, limit int) ([]string, bool, error) {
	if err := cache.CheckNames(ns, dmap, "-"); err != nil {
		return nil, false, err
	}
	re, err := cache.CompileMatch(match)
	if err != nil {
		return nil, false, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var keys []string
	for k := range c.dmap(ns, dmap) {
		if re == nil || re.MatchString(k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	limit = cache.ScanLimit(limit)
	if len(keys) > limit {
		return keys[:limit], true, nil
	}
	return keys, false, nil
}

func (c *fakeCache) Health(ctx context.Context) (plugin.Health, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.health, nil
}

// fakePlugins implements Plugins over a fakeCache.
type fakePlugins struct {
	mu       sync.Mutex
	cache    *fakeCache
	down     bool // Cache answers unavailable
	statuses map[string]pluginmgr.Status
}

func (p *fakePlugins) Cache(ctx context.Context) (cache.Cache, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down || p.cache == nil {
		return nil, sdk.Errorf(sdk.CodeUnavailable, "cache plugin is restarting")
	}
	return p.cache, nil
}

func (p *fakePlugins) Statuses() map[string]pluginmgr.Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]pluginmgr.Status, len(p.statuses))
	for k, v := range p.statuses {
		out[k] = v
	}
	return out
}

func runningCache() pluginmgr.Status {
	return pluginmgr.Status{Name: "cache", Kind: "cache", State: pluginmgr.StateRunning, PID: 4242,
		Restarts: 2, Version: "1.2.3", Driver: "fake", Healthy: true, Since: time.Now()}
}

// testEnv is a Server over fakes.
type testEnv struct {
	srv     *Server
	plugins *fakePlugins
	cache   *fakeCache
	logs    *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func newTestEnv(t testing.TB, mod func(*Options)) *testEnv {
	t.Helper()
	c := newFakeCache()
	p := &fakePlugins{cache: c, statuses: map[string]pluginmgr.Status{"cache": runningCache()}}
	logs := &syncBuffer{}
	opts := Options{
		CORSOrigins:    []string{"https://app.example"},
		MaxBodyBytes:   1 << 16,
		RequestTimeout: 2 * time.Second,
		NodeID:         "node-1",
		Version:        "v0.1.0",
		Commit:         "abc123",
		BuildTime:      "2026-01-01T00:00:00Z",
		Logger:         hclog.New(&hclog.LoggerOptions{Output: logs, Level: hclog.Debug}),
		Plugins:        p,
	}
	if mod != nil {
		mod(&opts)
	}
	return &testEnv{srv: New(opts), plugins: p, cache: c, logs: logs}
}

// do sends a request through the full handler; hdr are name/value pairs.
func (e *testEnv) do(t testing.TB, method, path, body string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return rec
}

// jsonBody decodes a response body into a generic map.
func jsonBody(t testing.TB, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("response is not a JSON object: %v: %q", err, rec.Body.String())
	}
	return m
}

// wantError checks an error response of API.md.
func wantError(t testing.TB, rec *httptest.ResponseRecorder, status int, code sdk.Code, msg string) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d; body %s", rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	m := jsonBody(t, rec)
	if got, _ := m["error"].(string); !strings.Contains(got, msg) {
		t.Errorf("error %q, want it to contain %q", got, msg)
	}
	if code != "" && m["code"] != string(code) {
		t.Errorf("code %v, want %s", m["code"], code)
	}
	if id := rec.Header().Get("X-Request-ID"); id == "" || m["request_id"] != id {
		t.Errorf("request_id %v, header %q", m["request_id"], id)
	}
}

var hexID = regexp.MustCompile(`^[0-9a-f]{32}$`)
