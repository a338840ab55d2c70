package client

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/orama-network/orama/sdk"
)

// Cache is the /v1/cache part of the API. Values are any JSON value.
type Cache struct{ c *Client }

// KeyValue is one result of MGet; Value is the stored JSON.
type KeyValue struct {
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
}

// Get decodes the value of key into out. Errors: not_found.
func (x *Cache) Get(ctx context.Context, dmap, key string, out any) error {
	var resp struct {
		Value json.RawMessage `json:"value"`
	}
	if err := x.c.do(ctx, http.MethodPost, "/v1/cache/get", map[string]any{"dmap": dmap, "key": key}, &resp); err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(resp.Value, out); err != nil {
		return sdk.Errorf(sdk.CodeInvalid, "decode value of %q: %v", key, err)
	}
	return nil
}

// Put stores value (marshalled as JSON) under key; ttl 0 keeps it until
// deleted.
func (x *Cache) Put(ctx context.Context, dmap, key string, value any, ttl time.Duration) error {
	req := map[string]any{"dmap": dmap, "key": key, "value": value}
	if ttl > 0 {
		req["ttl"] = ttl.String()
	}
	return x.c.do(ctx, http.MethodPost, "/v1/cache/put", req, nil)
}

// MGet returns the keys that exist, in request order.
func (x *Cache) MGet(ctx context.Context, dmap string, keys []string) ([]KeyValue, error) {
	var resp struct {
		Results []KeyValue `json:"results"`
	}
	err := x.c.do(ctx, http.MethodPost, "/v1/cache/mget", map[string]any{"dmap": dmap, "keys": keys}, &resp)
	return resp.Results, err
}

// Delete removes key. Errors: not_found.
func (x *Cache) Delete(ctx context.Context, dmap, key string) error {
	return x.c.do(ctx, http.MethodPost, "/v1/cache/delete", map[string]any{"dmap": dmap, "key": key}, nil)
}

// Scan lists the keys of dmap matching the regular expression match ("" for all).
func (x *Cache) Scan(ctx context.Context, dmap, match string) ([]string, error) {
	var resp struct {
		Keys []string `json:"keys"`
	}
	err := x.c.do(ctx, http.MethodPost, "/v1/cache/scan", map[string]any{"dmap": dmap, "match": match}, &resp)
	return resp.Keys, err
}

// Health returns the cache backend's driver name. Errors: unavailable.
func (x *Cache) Health(ctx context.Context) (string, error) {
	var resp struct {
		Service string `json:"service"`
	}
	err := x.c.do(ctx, http.MethodGet, "/v1/cache/health", nil, &resp)
	return resp.Service, err
}
