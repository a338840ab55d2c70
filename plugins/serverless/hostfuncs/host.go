package hostfuncs

import (
	"context"
	"hash/maphash"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/plugins/serverless/engine"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/database"
)

// DMap is the cache dmap a function's cache_* calls use: what
// POST /v1/cache/get {"dmap":"default"} of the same namespace reads.
const DMap = "default"

// Publisher publishes to a namespace's topic (pubsub.Client, or the
// local pubsub.Broker).
type Publisher interface {
	Publish(ctx context.Context, namespace, topic string, data []byte) error
}

// SecretFunc returns a namespace's secret in clear. Errors: not_found.
type SecretFunc func(ctx context.Context, namespace, name string) ([]byte, error)

// Backends are what every invocation's Host shares. A nil domain makes
// its host functions fail (logged; the guest sees the ABI's error value).
type Backends struct {
	DB      database.Database
	Cache   cache.Cache
	PubSub  Publisher
	Secrets SecretFunc
	HTTP    Fetcher // the SSRF-safe client (netguard: time and body limits)
	Log     hclog.Logger

	seed  maphash.Seed
	once  sync.Once
	incrs [64]sync.Mutex // cache_incr locks, striped by (namespace, key)
}

// Invocation is what a Host knows of its call.
type Invocation struct {
	Namespace string
	Name      string
	Version   int
	RequestID string
	Wallet    string
	Env       map[string]string
}

// Host is the engine.Host of one invocation.
type Host struct {
	b   *Backends
	inv Invocation
}

var _ engine.Host = (*Host)(nil)

// New returns the Host of one invocation of inv over b.
func New(b *Backends, inv Invocation) *Host { return &Host{b: b, inv: inv} }

// CallerWallet is the signed-in wallet of the caller ("" if none).
func (h *Host) CallerWallet() string { return h.inv.Wallet }

// RequestID tags the invocation.
func (h *Host) RequestID() string { return h.inv.RequestID }

// Env returns one of the function's env vars.
func (h *Host) Env(key string) (string, bool) {
	v, ok := h.inv.Env[key]
	return v, ok
}

// Secret returns the namespace's secret name in clear.
func (h *Host) Secret(ctx context.Context, name string) ([]byte, error) {
	if h.b.Secrets == nil {
		return nil, unavailable("secrets")
	}
	v, err := h.b.Secrets(ctx, h.inv.Namespace, name)
	return v, h.logged("get_secret", err)
}

// Publish publishes data to topic of the function's namespace.
func (h *Host) Publish(ctx context.Context, topic string, data []byte) error {
	if h.b.PubSub == nil {
		return h.logged("pubsub_publish", unavailable("pubsub"))
	}
	return h.logged("pubsub_publish", h.b.PubSub.Publish(ctx, h.inv.Namespace, topic, data))
}

// logged logs a host function's failure (at debug: a guest's bad call is
// not the operator's problem) and returns err.
func (h *Host) logged(fn string, err error) error {
	if err != nil && h.b.Log != nil {
		h.b.Log.Debug("host function failed", "function", fn, "namespace", h.inv.Namespace,
			"name", h.inv.Name, "request_id", h.inv.RequestID, "error", err)
	}
	return err
}

// lock returns the cache_incr lock of (namespace, key).
func (b *Backends) lock(namespace, key string) *sync.Mutex {
	b.once.Do(func() { b.seed = maphash.MakeSeed() })
	var hh maphash.Hash
	hh.SetSeed(b.seed)
	hh.WriteString(namespace)
	hh.WriteByte(0)
	hh.WriteString(key)
	return &b.incrs[hh.Sum64()%uint64(len(b.incrs))]
}

// ttlOf is how long an entry has left (0: no expiry; never negative).
func ttlOf(e cache.Entry, now time.Time) time.Duration {
	if e.ExpiresAt.IsZero() {
		return 0
	}
	return max(e.ExpiresAt.Sub(now), time.Millisecond)
}
