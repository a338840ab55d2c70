package e2e

import (
	"errors"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
)

// TestCacheRoutes drives every /v1/cache route of API.md through the real
// host and the real Olric cache plugin.
func TestCacheRoutes(t *testing.T) {
	h := startHost(t, func(port int) string { return configText(port, cacheBlock(bins.cache, "")) })
	ctx := ctxT(t)
	c := h.Client.Cache()

	driver, err := c.Health(ctx)
	if err != nil || driver != "olric" {
		t.Fatalf("cache health: %q, %v", driver, err)
	}

	values := map[string]any{
		"str": "hello", "int": float64(12345), "obj": map[string]any{"a": []any{float64(1), "x"}},
		"arr": []any{true, nil, "y"}, "null": nil, "bool": false,
	}
	for k, v := range values {
		if err := c.Put(ctx, "e2e", k, v, 0); err != nil {
			t.Fatalf("put %s: %v", k, err)
		}
	}
	for k, want := range values {
		var got any
		if err := c.Get(ctx, "e2e", k, &got); err != nil {
			t.Fatalf("get %s: %v", k, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("get %s = %#v, want %#v", k, got, want)
		}
	}

	// Exact shapes of API.md.
	code, body, _ := h.post("/v1/cache/get", map[string]any{"dmap": "e2e", "key": "str"})
	if code != 200 || body["key"] != "str" || body["dmap"] != "e2e" || body["value"] != "hello" {
		t.Errorf("get shape: %d %v", code, body)
	}
	code, body, _ = h.post("/v1/cache/put", map[string]any{"dmap": "e2e", "key": "k2", "value": 7})
	if code != 200 || body["status"] != "ok" || body["key"] != "k2" || body["dmap"] != "e2e" {
		t.Errorf("put shape: %d %v", code, body)
	}
	code, body, _ = h.post("/v1/cache/get", map[string]any{"dmap": "e2e", "key": "absent"})
	if code != 404 || body["error"] != "key not found" {
		t.Errorf("get absent: %d %v", code, body)
	}
	for _, bad := range []map[string]any{{"key": "k"}, {"dmap": "d"}, {"dmap": "d", "key": "k", "value": 1, "ttl": "soon"}} {
		path := "/v1/cache/get"
		if _, ok := bad["value"]; ok {
			path = "/v1/cache/put"
		}
		if code, body, _ := h.post(path, bad); code != 400 || body["error"] == "" {
			t.Errorf("%s %v: %d %v, want 400", path, bad, code, body)
		}
	}

	kvs, err := c.MGet(ctx, "e2e", []string{"int", "absent", "str"})
	if err != nil || len(kvs) != 2 || kvs[0].Key != "int" || kvs[1].Key != "str" || string(kvs[1].Value) != `"hello"` {
		t.Errorf("mget: %+v %v", kvs, err)
	}
	code, body, _ = h.post("/v1/cache/mget", map[string]any{"dmap": "e2e", "keys": []string{"str"}})
	if code != 200 || body["dmap"] != "e2e" || len(body["results"].([]any)) != 1 {
		t.Errorf("mget shape: %d %v", code, body)
	}

	keys, err := c.Scan(ctx, "e2e", "^(str|int)$")
	if err != nil || !reflect.DeepEqual(keys, []string{"int", "str"}) {
		t.Errorf("scan match: %v %v", keys, err)
	}
	code, body, _ = h.post("/v1/cache/scan", map[string]any{"dmap": "e2e", "pattern": "^ob"})
	if code != 200 || body["count"] != float64(1) || body["dmap"] != "e2e" {
		t.Errorf("scan pattern shape: %d %v", code, body)
	}
	if code, _, _ := h.post("/v1/cache/scan", map[string]any{"dmap": "e2e", "match": "("}); code != 400 {
		t.Errorf("scan bad regexp: %d, want 400", code)
	}

	code, body, _ = h.post("/v1/cache/delete", map[string]any{"dmap": "e2e", "key": "str"})
	if code != 200 || body["status"] != "ok" || body["key"] != "str" {
		t.Errorf("delete: %d %v", code, body)
	}
	if err := c.Delete(ctx, "e2e", "str"); !isCode(err, sdk.CodeNotFound) {
		t.Errorf("delete absent: %v, want not_found", err)
	}

	// TTL is honoured.
	if err := c.Put(ctx, "e2e", "ttl", "soon gone", time.Second); err != nil {
		t.Fatal(err)
	}
	var v string
	if err := c.Get(ctx, "e2e", "ttl", &v); err != nil || v != "soon gone" {
		t.Fatalf("ttl key right after put: %q %v", v, err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		err := c.Get(ctx, "e2e", "ttl", &v)
		if isCode(err, sdk.CodeNotFound) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ttl key still readable after its TTL: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}

	resp, err := http.Get(h.URL + "/v1/cache/health")
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("GET /v1/cache/health: %v %v", resp, err)
	}
}

func isCode(err error, code sdk.Code) bool {
	var e *sdk.Error
	return errors.As(err, &e) && e.Code == code
}
