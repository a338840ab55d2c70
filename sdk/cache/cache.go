// Package cache is the contract of the cache domain: the Cache interface,
// its gRPC adapters (Plugin, Client, server) and, in cachetest, the
// conformance suite every implementation must pass.
//
// Every call names a namespace; an implementation keeps namespaces apart
// (a dmap "users" of namespace a is not the dmap "users" of namespace b).
// Values are opaque bytes; the host stores JSON values in them.
//
// Near caching (optional capability): an implementation that is also a
// Watcher streams an invalidation for every Put and Delete made through
// any node of its cluster. The host then keeps a small copy of hot
// entries in its own process and serves repeated Gets without calling the
// plugin; it never does so for a plugin that does not implement the
// stream (its gRPC server answers Unimplemented), nor while the stream is
// down. Third-party plugins opt in by implementing Watcher (Fanout does
// the per-watcher queues); see Watcher for the exact promise.
//
// Hand-off on upgrades (optional capability): an implementation that is
// also a Handoff keeps its entries when the host replaces it by another
// instance (new binary, new config): the host streams the old instance's
// Export into the new one's Import before the old one stops. One that does
// not is upgraded all the same, and its entries are lost; see Handoff.
package cache

import (
	"context"
	"time"

	"github.com/orama-network/orama/sdk/plugin"
)

// Limits every implementation enforces (invalid when exceeded).
const (
	MaxNameLen  = 255     // namespace, dmap and key length in bytes (Olric keys are < 256)
	MaxValueLen = 1 << 20 // value size in bytes
	MaxKeys     = 1000    // keys in one MGet
	MaxScan     = 10000   // keys one Scan returns at most
)

// Cache is a namespaced key/value cache with expiry. An implementation may
// also implement Watcher (optional) to let hosts near-cache its entries.
type Cache interface {
	// Get returns the entry. Errors: not_found "key not found", invalid.
	Get(ctx context.Context, namespace, dmap, key string) (Entry, error)
	// MGet returns the entries that exist, in the order of keys; missing
	// keys are left out. Errors: invalid.
	MGet(ctx context.Context, namespace, dmap string, keys []string) ([]Entry, error)
	// Put stores value under key; ttl 0 means no expiry. Errors: invalid.
	Put(ctx context.Context, namespace, dmap, key string, value []byte, ttl time.Duration) error
	// Delete removes key. Errors: not_found "key not found", invalid.
	Delete(ctx context.Context, namespace, dmap, key string) error
	// Scan lists the keys of dmap matching the RE2 expression match (all
	// when empty), sorted, at most limit (MaxScan when 0); truncated tells
	// whether more matched. Errors: invalid (bad expression).
	Scan(ctx context.Context, namespace, dmap, match string, limit int) (keys []string, truncated bool, err error)
	// Health reports the backend's state.
	Health(ctx context.Context) (plugin.Health, error)
}

// Entry is one cached value.
type Entry struct {
	Key       string
	Value     []byte
	ExpiresAt time.Time // zero: no expiry
}

// Backend is what a cache plugin implements: the Base lifecycle plus Cache.
type Backend interface {
	plugin.Base
	Cache
}
