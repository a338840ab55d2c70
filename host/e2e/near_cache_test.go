package e2e

import (
	"context"
	"fmt"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
)

// nearServer turns the near cache on with a max_age far above every
// wait of these tests: a fresh value seen in time proves an invalidation,
// not an expiry.
const nearServer = `  cache {
    near_cache         = true
    near_cache_max_age = "1m"
  }
`

// startNearPair starts two hosts with the near cache on whose cache
// plugins are peered Olric members, and waits until both near caches
// serve (their invalidation streams are up).
func startNearPair(t *testing.T) (a, b *host) {
	t.Helper()
	mlA := freePort(t)
	a = startHost(t, func(port int) string {
		return serverConfig(port, "node-a", "5s", nearServer, cacheBlock(bins.cache, fmt.Sprintf("    memberlist_port = %d", mlA)))
	})
	b = startHost(t, func(port int) string {
		return serverConfig(port, "node-b", "5s", nearServer, cacheBlock(bins.cache, fmt.Sprintf("    peers = [\"127.0.0.1:%d\"]", mlA)))
	})
	waitStreaming(t, a)
	waitStreaming(t, b)
	return a, b
}

func waitStreaming(t *testing.T, h *host) {
	t.Helper()
	eventually(t, "near cache streaming on "+h.URL, func() bool { return h.metric("orama_cache_near_streaming") == 1 })
}

// getValue reads dmap/key on h: the value, or "" with found false on 404.
func getValue(t *testing.T, ctx context.Context, h *host, dmap, key string) (string, bool) {
	t.Helper()
	var v string
	err := h.Client.Cache().Get(ctx, dmap, key, &v)
	if isCode(err, sdk.CodeNotFound) {
		return "", false
	}
	if err != nil {
		t.Fatalf("get %s/%s on %s: %v", dmap, key, h.URL, err)
	}
	return v, true
}

// waitValue polls h until dmap/key reads want (found false: until 404),
// failing if it reads old after having read want... and reads it a few
// more times: the old value never comes back.
func waitValue(t *testing.T, ctx context.Context, h *host, dmap, key, want string, found bool) {
	t.Helper()
	eventually(t, fmt.Sprintf("%s/%s = %q (found %v) on %s", dmap, key, want, found, h.URL), func() bool {
		v, ok := getValue(t, ctx, h, dmap, key)
		return ok == found && v == want
	})
	for range 20 {
		if v, ok := getValue(t, ctx, h, dmap, key); ok != found || v != want {
			t.Fatalf("%s/%s on %s read %q (found %v) after it had read %q (found %v)", dmap, key, h.URL, v, ok, want, found)
		}
	}
}

// TestNearCacheTwoHosts: a write on A reaches B's near cache; so does a
// delete; an entry is never served after its TTL.
func TestNearCacheTwoHosts(t *testing.T) {
	a, b := startNearPair(t)
	ctx := ctxT(t)
	if err := a.Client.Cache().Put(ctx, "near", "k", "v1", 0); err != nil {
		t.Fatal(err)
	}
	waitValue(t, ctx, b, "near", "k", "v1", true)
	if b.metric("orama_cache_near_hits_total") == 0 {
		t.Fatal("B served no get from its near cache")
	}
	for i := 2; i <= 4; i++ {
		v := fmt.Sprintf("v%d", i)
		if err := a.Client.Cache().Put(ctx, "near", "k", v, 0); err != nil {
			t.Fatal(err)
		}
		waitValue(t, ctx, b, "near", "k", v, true)
	}
	if b.metric(`orama_cache_near_invalidations_total{source="stream"}`) == 0 {
		t.Fatal("B counted no invalidation from its stream")
	}
	// A write through B itself is read back at once on B.
	if err := b.Client.Cache().Put(ctx, "near", "k", "from-b", 0); err != nil {
		t.Fatal(err)
	}
	if v, ok := getValue(t, ctx, b, "near", "k"); !ok || v != "from-b" {
		t.Fatalf("B reads %q (found %v) right after its own put", v, ok)
	}
	waitValue(t, ctx, a, "near", "k", "from-b", true)

	if err := a.Client.Cache().Delete(ctx, "near", "k"); err != nil {
		t.Fatal(err)
	}
	waitValue(t, ctx, b, "near", "k", "", false)

	// TTL: B caches the entry, yet no read that starts after the entry
	// expired returns it.
	const ttl = 1500 * time.Millisecond
	if err := a.Client.Cache().Put(ctx, "near", "short", "soon-gone", ttl); err != nil {
		t.Fatal(err)
	}
	expired := time.Now().Add(ttl) // the plugin set the expiry before Put returned
	waitValue(t, ctx, b, "near", "short", "soon-gone", true)
	for time.Now().Before(expired.Add(500 * time.Millisecond)) {
		start := time.Now()
		v, ok := getValue(t, ctx, b, "near", "short")
		if ok && start.After(expired) {
			t.Fatalf("B served %q after its TTL", v)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, ok := getValue(t, ctx, b, "near", "short"); ok {
		t.Fatal("B served an expired entry")
	}
}

// TestNearCacheKillPlugin: kill -9 of B's cache plugin: B flushes its
// near cache and bypasses it until the plugin and its stream are back;
// it never serves the value it had before a write made meanwhile.
func TestNearCacheKillPlugin(t *testing.T) {
	a, b := startNearPair(t)
	ctx := ctxT(t)
	if err := a.Client.Cache().Put(ctx, "near", "k", "before", 0); err != nil {
		t.Fatal(err)
	}
	waitValue(t, ctx, b, "near", "k", "before", true) // cached on B
	_, doc := b.health()
	pid := doc.Plugins["cache"].PID
	if pid == 0 {
		t.Fatalf("no cache plugin pid: %+v", doc)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	// While B's plugin is down, A writes: B's member cannot be told.
	eventually(t, "A writes while B's plugin is down", func() bool {
		return a.Client.Cache().Put(ctx, "near", "k", "after", 0) == nil
	})
	waitRestarted(t, b, pid, 1)
	// B answers errors (503) or the new value, never the old one.
	eventually(t, "B reads the new value", func() bool {
		var v string
		err := b.Client.Cache().Get(ctx, "near", "k", &v)
		if err == nil && v == "before" {
			t.Fatal("B served the value from before its plugin was killed")
		}
		if err == nil && v == "after" {
			return true
		}
		// Olric rebalancing after the member came back may briefly
		// answer not found; anything else than the old value is fine.
		if err := a.Client.Cache().Put(ctx, "near", "k", "after", 0); err != nil {
			t.Logf("re-put on A: %v", err)
		}
		return false
	})
	waitStreaming(t, b)
	if b.metric(`orama_cache_near_flushes_total{reason="stream_down"}`) == 0 {
		t.Fatal("B did not count the flush of its stream going down")
	}
	if err := a.Client.Cache().Put(ctx, "near", "k", "later", 0); err != nil {
		t.Fatal(err)
	}
	waitValue(t, ctx, b, "near", "k", "later", true)
}

// TestNearCacheNamespaces: the near cache never answers one namespace
// with another's entry, nor drops one namespace's entry for another's
// write.
func TestNearCacheNamespaces(t *testing.T) {
	h := startHost(t, func(port int) string {
		return authConfig(port, "e2e", nearServer, cacheBlock(bins.cache, "")+sqliteBlock()+
			authBlock(`    allow_simple_keys = true`))
	})
	waitStreaming(t, h)
	key := func(wallet, ns string) []string {
		r := h.send(http.MethodPost, "/v1/auth/simple-key", map[string]string{"wallet": wallet, "namespace": ns})
		if r.code != http.StatusOK || r.str("api_key") == "" {
			t.Fatalf("simple-key for %s: %s", ns, r)
		}
		return apiKey(r.str("api_key"))
	}
	alpha := key("0x1111111111111111111111111111111111111111", "alpha")
	beta := key("0x2222222222222222222222222222222222222222", "beta")
	put := func(cred []string, v string) {
		if r := h.send(http.MethodPost, "/v1/cache/put", map[string]any{"dmap": "d", "key": "k", "value": v}, cred...); r.code != http.StatusOK {
			t.Fatalf("put: %s", r)
		}
	}
	get := func(cred []string) any {
		r := h.send(http.MethodPost, "/v1/cache/get", map[string]any{"dmap": "d", "key": "k"}, cred...)
		if r.code == http.StatusNotFound {
			return nil
		}
		if r.code != http.StatusOK {
			t.Fatalf("get: %s", r)
		}
		return r.body["value"]
	}
	put(alpha, "in alpha")
	if v := get(beta); v != nil {
		t.Fatalf("beta reads alpha's key: %v", v)
	}
	for range 3 { // cached
		if v := get(alpha); v != "in alpha" {
			t.Fatalf("alpha reads %v", v)
		}
		if v := get(beta); v != nil {
			t.Fatalf("beta reads %v", v)
		}
	}
	put(beta, "in beta")
	if v := get(beta); v != "in beta" {
		t.Fatalf("beta reads %v after its put", v)
	}
	hits := h.metric("orama_cache_near_hits_total")
	if v := get(alpha); v != "in alpha" {
		t.Fatalf("alpha reads %v after beta's put", v)
	}
	if h.metric("orama_cache_near_hits_total") != hits+1 {
		t.Fatal("beta's put dropped alpha's entry")
	}
}
