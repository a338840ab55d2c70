package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"
)

// fakeHost is a Host in memory that records what the functions ask of it.
type fakeHost struct {
	wallet, requestID string
	env               map[string]string
	secrets           map[string]string

	mu        sync.Mutex
	cache     map[string][]byte
	ttls      map[string]time.Duration
	counters  map[string]int64
	queries   []string // "sql|args"
	published []string // "topic|data"
	fetches   []string // "method url headers body"

	onRequestID func() // when set, called by RequestID
	onDBQuery   func() // when set, called by DBQuery before it answers

	block   chan struct{} // when set, RequestID waits for it to close
	entered chan struct{} // closed when RequestID is first called with block set
	once    sync.Once
}

var errBadSQL = errors.New(`near "BAD": syntax error`)

func newFakeHost() *fakeHost {
	return &fakeHost{
		wallet:    "0xAbC123",
		requestID: "req-1",
		env:       map[string]string{"GREETING": "hello there"},
		secrets:   map[string]string{"api_key": "s3cr3t"},
		cache:     map[string][]byte{},
		ttls:      map[string]time.Duration{},
		counters:  map[string]int64{},
	}
}

func (h *fakeHost) CallerWallet() string { return h.wallet }

func (h *fakeHost) RequestID() string {
	if h.onRequestID != nil {
		h.onRequestID()
	}
	if h.block != nil {
		h.once.Do(func() { close(h.entered) })
		<-h.block
	}
	return h.requestID
}

func (h *fakeHost) Env(key string) (string, bool) { v, ok := h.env[key]; return v, ok }

func (h *fakeHost) Secret(ctx context.Context, name string) ([]byte, error) {
	if v, ok := h.secrets[name]; ok {
		return []byte(v), nil
	}
	return nil, fmt.Errorf("no secret %q", name)
}

func (h *fakeHost) DBQuery(ctx context.Context, sql string, args []byte) ([]byte, error) {
	if h.onDBQuery != nil {
		h.onDBQuery()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.queries = append(h.queries, sql+"|"+string(args))
	if sql == "BAD SQL" {
		return nil, errBadSQL
	}
	return []byte(`[{"n":2},{"n":3}]`), nil
}

func (h *fakeHost) DBExecute(ctx context.Context, sql string, args []byte) (int64, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.queries = append(h.queries, sql+"|"+string(args))
	if sql == "BAD SQL" {
		return 0, errBadSQL
	}
	return 3, nil
}

func (h *fakeHost) CacheGet(ctx context.Context, key string) ([]byte, bool, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	v, ok := h.cache[key]
	return v, ok, nil
}

func (h *fakeHost) CacheSet(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.cache[key], h.ttls[key] = value, ttl
	return nil
}

func (h *fakeHost) CacheIncr(ctx context.Context, key string, delta int64) (int64, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.counters[key] += delta
	return h.counters[key], nil
}

func (h *fakeHost) HTTPFetch(ctx context.Context, method, url string, headers, body []byte) []byte {
	h.mu.Lock()
	h.fetches = append(h.fetches, fmt.Sprintf("%s %s %s %s", method, url, headers, body))
	h.mu.Unlock()
	b, _ := json.Marshal(map[string]any{"status": 200, "headers": map[string]string{}, "body": "pong"})
	return b
}

func (h *fakeHost) Publish(ctx context.Context, topic string, data []byte) error {
	if topic == "fails" {
		return errors.New("pubsub is down")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.published = append(h.published, topic+"|"+string(data))
	return nil
}
