package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/client"
)

// exampleKey is the API key the example gateway accepts.
const exampleKey = "ak_ZXhhbXBsZWtleWV4YW1wbGU:demo"

// newExampleGateway starts a stand-in for an Orama gateway: /v1/health
// and the /v1/cache API of API.md over an in-memory map, behind an API key.
func newExampleGateway() *httptest.Server {
	var mu sync.Mutex
	dmaps := map[string]map[string]json.RawMessage{}
	reply := func(w http.ResponseWriter, status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	fail := func(w http.ResponseWriter, code sdk.Code, msg string) {
		reply(w, code.HTTPStatus(), map[string]string{"error": msg, "code": string(code)})
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/health", func(w http.ResponseWriter, _ *http.Request) {
		reply(w, 200, map[string]any{"status": "ok", "plugins": map[string]any{"cache": map[string]any{"status": "running"}}})
	})
	mux.HandleFunc("GET /v1/cache/health", func(w http.ResponseWriter, _ *http.Request) {
		reply(w, 200, map[string]string{"status": "ok", "service": "olric"})
	})
	mux.HandleFunc("POST /v1/cache/{op}", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			DMap  string          `json:"dmap"`
			Key   string          `json:"key"`
			Keys  []string        `json:"keys"`
			Value json.RawMessage `json:"value"`
			TTL   string          `json:"ttl"`
			Match string          `json:"match"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			fail(w, sdk.CodeInvalid, "invalid JSON body")
			return
		}
		mu.Lock()
		defer mu.Unlock()
		m := dmaps[req.DMap]
		if m == nil {
			m = map[string]json.RawMessage{}
			dmaps[req.DMap] = m
		}
		switch r.PathValue("op") {
		case "put":
			if _, err := time.ParseDuration(req.TTL); req.TTL != "" && err != nil {
				fail(w, sdk.CodeInvalid, "invalid ttl")
				return
			}
			m[req.Key] = req.Value
			reply(w, 200, map[string]string{"status": "ok", "key": req.Key, "dmap": req.DMap})
		case "get":
			v, ok := m[req.Key]
			if !ok {
				fail(w, sdk.CodeNotFound, "key not found")
				return
			}
			reply(w, 200, map[string]any{"key": req.Key, "value": v, "dmap": req.DMap})
		case "mget":
			results := []map[string]any{}
			for _, k := range req.Keys {
				if v, ok := m[k]; ok {
					results = append(results, map[string]any{"key": k, "value": v})
				}
			}
			reply(w, 200, map[string]any{"results": results, "dmap": req.DMap})
		case "delete":
			if _, ok := m[req.Key]; !ok {
				fail(w, sdk.CodeNotFound, "key not found")
				return
			}
			delete(m, req.Key)
			reply(w, 200, map[string]string{"status": "ok", "key": req.Key, "dmap": req.DMap})
		case "scan":
			re, err := regexp.Compile(req.Match)
			if err != nil {
				fail(w, sdk.CodeInvalid, "invalid match")
				return
			}
			keys := []string{}
			for k := range m {
				if re.MatchString(k) {
					keys = append(keys, k)
				}
			}
			slices.Sort(keys)
			reply(w, 200, map[string]any{"keys": keys, "count": len(keys), "dmap": req.DMap})
		default:
			fail(w, sdk.CodeNotFound, "not found")
		}
	})
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/health" && r.Header.Get("X-API-Key") != exampleKey {
			fail(w, sdk.CodeUnauthorized, "missing API key")
			return
		}
		mux.ServeHTTP(w, r)
	}))
}

func ExampleNew() {
	gw := newExampleGateway()
	defer gw.Close()
	ctx := context.Background()

	c := client.New(gw.URL, client.WithAPIKey(exampleKey))
	driver, err := c.Cache().Health(ctx)
	fmt.Println(driver, err)

	// Without the key the gateway refuses, and the error carries its code.
	_, err = client.New(gw.URL).Cache().Health(ctx)
	var e *sdk.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code, e.Message)
	}
	// Output:
	// olric <nil>
	// unauthorized missing API key
}

func ExampleCache_Put() {
	gw := newExampleGateway()
	defer gw.Close()
	ctx := context.Background()
	cache := client.New(gw.URL, client.WithAPIKey(exampleKey)).Cache()

	type session struct {
		User   string `json:"user"`
		Visits int    `json:"visits"`
	}
	// Any value that marshals to JSON; expires after 30 minutes.
	if err := cache.Put(ctx, "sessions", "s-1", session{User: "ada", Visits: 1}, 30*time.Minute); err != nil {
		log.Fatal(err)
	}
	var got session
	if err := cache.Get(ctx, "sessions", "s-1", &got); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%+v\n", got)
	// Output: {User:ada Visits:1}
}

func ExampleCache_Get() {
	gw := newExampleGateway()
	defer gw.Close()
	ctx := context.Background()
	cache := client.New(gw.URL, client.WithAPIKey(exampleKey)).Cache()

	if err := cache.Put(ctx, "counters", "hits", 41, 0); err != nil {
		log.Fatal(err)
	}
	var hits int
	if err := cache.Get(ctx, "counters", "hits", &hits); err != nil {
		log.Fatal(err)
	}
	fmt.Println("hits:", hits)

	// A missing key is an *sdk.Error with code not_found.
	err := cache.Get(ctx, "counters", "misses", &hits)
	var e *sdk.Error
	if errors.As(err, &e) && e.Code == sdk.CodeNotFound {
		fmt.Println("misses:", e.Message)
	}
	// Output:
	// hits: 41
	// misses: key not found
}

func ExampleCache_MGet() {
	gw := newExampleGateway()
	defer gw.Close()
	ctx := context.Background()
	cache := client.New(gw.URL, client.WithAPIKey(exampleKey)).Cache()

	_ = cache.Put(ctx, "users", "u1", map[string]string{"name": "ada"}, 0)
	_ = cache.Put(ctx, "users", "u3", map[string]string{"name": "grace"}, 0)

	// Keys that do not exist are left out; the rest keep request order.
	results, err := cache.MGet(ctx, "users", []string{"u1", "u2", "u3"})
	if err != nil {
		log.Fatal(err)
	}
	for _, kv := range results {
		fmt.Println(kv.Key, string(kv.Value))
	}
	// Output:
	// u1 {"name":"ada"}
	// u3 {"name":"grace"}
}

func ExampleCache_Scan() {
	gw := newExampleGateway()
	defer gw.Close()
	ctx := context.Background()
	cache := client.New(gw.URL, client.WithAPIKey(exampleKey)).Cache()

	for _, k := range []string{"user:1", "user:2", "order:9"} {
		_ = cache.Put(ctx, "app", k, true, 0)
	}
	keys, err := cache.Scan(ctx, "app", "^user:") // a regular expression
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(keys)
	// Output: [user:1 user:2]
}

func ExampleCache_Delete() {
	gw := newExampleGateway()
	defer gw.Close()
	ctx := context.Background()
	cache := client.New(gw.URL, client.WithAPIKey(exampleKey)).Cache()

	_ = cache.Put(ctx, "sessions", "s-1", "token", time.Hour)
	fmt.Println(cache.Delete(ctx, "sessions", "s-1"))
	fmt.Println(cache.Delete(ctx, "sessions", "s-1"))
	// Output:
	// <nil>
	// not_found: key not found
}

func ExampleClient_Health() {
	gw := newExampleGateway()
	defer gw.Close()

	doc, err := client.New(gw.URL).Health(context.Background())
	if err != nil {
		// A degraded gateway answers 503: err is unavailable and doc still
		// says which plugin is down.
		fmt.Println("degraded:", err)
	}
	fmt.Println(doc["status"])
	// Output: ok
}
