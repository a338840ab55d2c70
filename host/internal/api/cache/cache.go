// Package cache is the HTTP adapter of the cache domain: the /v1/cache/*
// routes of API.md translated to calls on sdk/cache's Cache, in the
// caller's namespace, and the host's optional near cache of Gets (Near:
// near*.go), kept correct by the plugin's invalidation stream.
package cache

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/cache"
)

// Handlers serves the cache routes.
type Handlers struct {
	api.Domain[cache.Cache]
	near *Near // nil: no near cache
}

// New returns the cache handlers over the domain get returns, each plugin
// call bounded by timeout. With near not nil, Get goes through it and Put
// and Delete invalidate it.
func New(get func(context.Context) (cache.Cache, error), timeout time.Duration, near *Near) *Handlers {
	return &Handlers{Domain: api.Domain[cache.Cache]{Plugin: get, Timeout: timeout}, near: near}
}

type cacheKeyRequest struct {
	DMap string `json:"dmap"`
	Key  string `json:"key"`
}

type cachePutRequest struct {
	DMap  string          `json:"dmap"`
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
	TTL   string          `json:"ttl"`
}

type cacheMGetRequest struct {
	DMap string   `json:"dmap"`
	Keys []string `json:"keys"`
}

type cacheScanRequest struct {
	DMap    string `json:"dmap"`
	Match   string `json:"match"`
	Pattern string `json:"pattern"` // synonym of match
}

type cacheEntryResponse struct {
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
	DMap  string          `json:"dmap,omitempty"`
}

type cacheMGetResponse struct {
	Results []cacheEntryResponse `json:"results"`
	DMap    string               `json:"dmap"`
}

type cacheOKResponse struct {
	Status string `json:"status"`
	Key    string `json:"key"`
	DMap   string `json:"dmap"`
}

type cacheScanResponse struct {
	Keys      []string `json:"keys"`
	Count     int      `json:"count"`
	DMap      string   `json:"dmap"`
	Truncated bool     `json:"truncated,omitempty"`
}

type cacheHealthResponse struct {
	Status  string `json:"status"`
	Service string `json:"service"`
}

// Health is GET /v1/cache/health: 200 when the backend is up.
func (h *Handlers) Health(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel, c, err := h.Open(r)
	if err != nil {
		return err
	}
	defer cancel()
	health, err := c.Health(ctx)
	if err != nil {
		return err
	}
	if !health.OK {
		return sdk.Errorf(sdk.CodeUnavailable, "cache backend %s is down: %s", health.Driver, health.Detail)
	}
	return api.WriteJSON(w, http.StatusOK, cacheHealthResponse{Status: "ok", Service: health.Driver})
}

// Get is POST /v1/cache/get: one key's value.
func (h *Handlers) Get(w http.ResponseWriter, r *http.Request) error {
	return h.withKey(r, func(ctx context.Context, c cache.Cache, ns string, req *cacheKeyRequest) error {
		var e cache.Entry
		var err error
		if h.near != nil {
			e, err = h.near.Get(ctx, c, ns, req.DMap, req.Key)
		} else {
			e, err = c.Get(ctx, ns, req.DMap, req.Key)
		}
		if err != nil {
			return err
		}
		return api.WriteJSON(w, http.StatusOK, cacheEntryResponse{Key: req.Key, Value: jsonValue(e.Value), DMap: req.DMap})
	})
}

// MGet is POST /v1/cache/mget: the values of the keys that exist.
func (h *Handlers) MGet(w http.ResponseWriter, r *http.Request) error {
	var req cacheMGetRequest
	if err := api.DecodeJSON(r, &req); err != nil {
		return err
	}
	if err := cache.CheckName("dmap", req.DMap); err != nil {
		return err
	}
	if len(req.Keys) == 0 {
		return api.Invalidf("keys is required")
	}
	if len(req.Keys) > cache.MaxKeys {
		return api.Invalidf("at most %d keys per request", cache.MaxKeys)
	}
	for _, k := range req.Keys {
		if err := cache.CheckName("key", k); err != nil {
			return err
		}
	}
	ctx, cancel, ns, c, err := h.open(r)
	if err != nil {
		return err
	}
	defer cancel()
	entries, err := c.MGet(ctx, ns, req.DMap, req.Keys)
	if err != nil {
		return err
	}
	resp := cacheMGetResponse{Results: make([]cacheEntryResponse, 0, len(entries)), DMap: req.DMap}
	for _, e := range entries {
		resp.Results = append(resp.Results, cacheEntryResponse{Key: e.Key, Value: jsonValue(e.Value)})
	}
	return api.WriteJSON(w, http.StatusOK, resp)
}

// Put is POST /v1/cache/put: stores a JSON value, with an optional ttl.
func (h *Handlers) Put(w http.ResponseWriter, r *http.Request) error {
	var req cachePutRequest
	if err := api.DecodeJSON(r, &req); err != nil {
		return err
	}
	if err := checkDMapKey(req.DMap, req.Key); err != nil {
		return err
	}
	if len(req.Value) == 0 {
		return api.Invalidf("value is required")
	}
	ttl, err := parseTTL(req.TTL)
	if err != nil {
		return err
	}
	var value bytes.Buffer
	value.Grow(len(req.Value))
	if err := json.Compact(&value, req.Value); err != nil {
		return api.Invalidf("invalid JSON body: value: %v", err)
	}
	ns, err := api.Namespace(r.Context())
	if err != nil {
		return err
	}
	if err := cache.CheckPut(ns, req.DMap, req.Key, value.Bytes()); err != nil {
		return err
	}
	ctx, cancel, c, err := h.Open(r)
	if err != nil {
		return err
	}
	defer cancel()
	err = c.Put(ctx, ns, req.DMap, req.Key, value.Bytes(), ttl)
	if h.near != nil {
		h.near.Written(ns, req.DMap, req.Key)
	}
	if err != nil {
		return err
	}
	return api.WriteJSON(w, http.StatusOK, cacheOKResponse{Status: "ok", Key: req.Key, DMap: req.DMap})
}

// Delete is POST /v1/cache/delete: removes a key.
func (h *Handlers) Delete(w http.ResponseWriter, r *http.Request) error {
	return h.withKey(r, func(ctx context.Context, c cache.Cache, ns string, req *cacheKeyRequest) error {
		err := c.Delete(ctx, ns, req.DMap, req.Key)
		if h.near != nil {
			h.near.Written(ns, req.DMap, req.Key)
		}
		if err != nil {
			return err
		}
		return api.WriteJSON(w, http.StatusOK, cacheOKResponse{Status: "ok", Key: req.Key, DMap: req.DMap})
	})
}

// Scan is POST /v1/cache/scan: the keys of a dmap matching a glob.
func (h *Handlers) Scan(w http.ResponseWriter, r *http.Request) error {
	var req cacheScanRequest
	if err := api.DecodeJSON(r, &req); err != nil {
		return err
	}
	if err := cache.CheckName("dmap", req.DMap); err != nil {
		return err
	}
	match := req.Match
	if match == "" {
		match = req.Pattern
	}
	ctx, cancel, ns, c, err := h.open(r)
	if err != nil {
		return err
	}
	defer cancel()
	keys, truncated, err := c.Scan(ctx, ns, req.DMap, match, 0)
	if err != nil {
		return err
	}
	if keys == nil {
		keys = []string{}
	}
	return api.WriteJSON(w, http.StatusOK, cacheScanResponse{Keys: keys, Count: len(keys), DMap: req.DMap, Truncated: truncated})
}

// withKey decodes and checks a {dmap, key} request, then calls fn with the
// plugin call's context, the cache domain and the request's namespace.
func (h *Handlers) withKey(r *http.Request, fn func(ctx context.Context, c cache.Cache, ns string, req *cacheKeyRequest) error) error {
	var req cacheKeyRequest
	if err := api.DecodeJSON(r, &req); err != nil {
		return err
	}
	if err := checkDMapKey(req.DMap, req.Key); err != nil {
		return err
	}
	ctx, cancel, ns, c, err := h.open(r)
	if err != nil {
		return err
	}
	defer cancel()
	return fn(ctx, c, ns, &req)
}

func checkDMapKey(dmap, key string) error {
	if err := cache.CheckName("dmap", dmap); err != nil {
		return err
	}
	return cache.CheckName("key", key)
}

// parseTTL parses the optional ttl, a Go duration string; "" is no expiry.
func parseTTL(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, api.Invalidf("invalid ttl %q: want a duration such as \"90s\" or \"1h\"", s)
	}
	if d < 0 {
		return 0, api.Invalidf("invalid ttl %q: must not be negative", s)
	}
	return d, nil
}

// jsonValue returns a stored value as JSON. Values put through this API are
// JSON already; bytes stored by other means (e.g. a function's cache_set)
// come back as a JSON string.
func jsonValue(b []byte) json.RawMessage {
	if json.Valid(b) {
		return b
	}
	s, _ := json.Marshal(string(b))
	return s
}

// open returns what most cache handlers start with: the plugin call's
// context (bounded by the request timeout; cancel it), the request's
// namespace and the cache domain.
func (h *Handlers) open(r *http.Request) (context.Context, context.CancelFunc, string, cache.Cache, error) {
	ns, err := api.Namespace(r.Context())
	if err != nil {
		return nil, nil, "", nil, err
	}
	ctx, cancel, c, err := h.Open(r)
	if err != nil {
		return nil, nil, "", nil, err
	}
	return ctx, cancel, ns, c, nil
}
