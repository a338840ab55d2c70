package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/orama-network/orama/host/internal/pluginmgr"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/cache/cachetest"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/storage"
)

// fakeCache is cachetest.Memory with two test hooks: Get can be made to
// wait, and Health can be made to report a down backend.
type fakeCache struct {
	*cachetest.Memory

	mu      sync.Mutex
	health  *plugin.Health // nil: Memory's own
	getGate chan struct{}  // when set, Get waits for it (or ctx)
	waiting chan struct{}  // gets a value each time a Get starts waiting
}

var _ cache.Cache = (*fakeCache)(nil)

func newFakeCache() *fakeCache {
	return &fakeCache{Memory: cachetest.NewMemory(), waiting: make(chan struct{}, 64)}
}

// setGate makes Get wait for gate (or its ctx).
func (c *fakeCache) setGate(gate chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.getGate = gate
}

// setHealth makes Health report h.
func (c *fakeCache) setHealth(h plugin.Health) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.health = &h
}

func (c *fakeCache) Get(ctx context.Context, ns, dmap, key string) (cache.Entry, error) {
	c.mu.Lock()
	gate := c.getGate
	c.mu.Unlock()
	if gate != nil {
		select {
		case c.waiting <- struct{}{}:
		default:
		}
		select {
		case <-gate:
		case <-ctx.Done():
			return cache.Entry{}, sdk.AsError(ctx.Err())
		}
	}
	return c.Memory.Get(ctx, ns, dmap, key)
}

func (c *fakeCache) Health(ctx context.Context) (plugin.Health, error) {
	c.mu.Lock()
	h := c.health
	c.mu.Unlock()
	if h != nil {
		return *h, nil
	}
	return c.Memory.Health(ctx)
}

// fakePlugins implements Plugins over a fakeCache.
type fakePlugins struct {
	mu       sync.Mutex
	cache    *fakeCache
	down     bool // Cache answers unavailable
	db       *fakeDB
	dbDown   bool // Database answers unavailable
	auth     *fakeAuth
	authDown bool // Auth answers unavailable
	statuses map[string]pluginmgr.Status

	store storage.Storage // nil: Storage answers unavailable (see handlers_storage_test.go)
}

func (p *fakePlugins) Cache(ctx context.Context) (cache.Cache, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down || p.cache == nil {
		return nil, sdk.Errorf(sdk.CodeUnavailable, "cache plugin is restarting")
	}
	return p.cache, nil
}

func (p *fakePlugins) Database(ctx context.Context) (database.Database, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dbDown || p.db == nil {
		return nil, sdk.Errorf(sdk.CodeUnavailable, "database plugin is restarting")
	}
	return p.db, nil
}

func (p *fakePlugins) Auth(ctx context.Context) (auth.Auth, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.authDown || p.auth == nil {
		return nil, sdk.Errorf(sdk.CodeUnavailable, "auth plugin is restarting")
	}
	return p.auth, nil
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
		Restarts: 2, Version: "1.2.3", Driver: "memory", Healthy: true, Since: time.Now()}
}

// testEnv is a Server over fakes.
type testEnv struct {
	srv     *Server
	plugins *fakePlugins
	cache   *fakeCache
	db      *fakeDB
	auth    *fakeAuth
	jwt     *fakeVerifier
	clock   *fakeClock
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

// newTestEnv is a Server over fakes with authentication disabled (every
// request in namespace "default"); newAuthEnv turns it on.
func newTestEnv(t testing.TB, mod func(*Options)) *testEnv {
	t.Helper()
	c := newFakeCache()
	db := newFakeDB()
	a := newFakeAuth()
	v := newFakeVerifier()
	clock := newFakeClock()
	p := &fakePlugins{cache: c, db: db, auth: a, statuses: map[string]pluginmgr.Status{"cache": runningCache()}}
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
		Auth:           AuthOptions{Mode: AuthDisabled, Verifier: v},
		Now:            clock.Now,
	}
	if mod != nil {
		mod(&opts)
	}
	return &testEnv{srv: New(opts), plugins: p, cache: c, db: db, auth: a, jwt: v, clock: clock, logs: logs}
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
