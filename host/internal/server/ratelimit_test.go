package server

import (
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/sdk"
)

// doFrom sends a request from remote (RemoteAddr) through the full chain.
func (e *testEnv) doFrom(t testing.TB, remote, method, path, body string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.RemoteAddr = remote
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return rec
}

func wantRateHeaders(t *testing.T, rec *httptest.ResponseRecorder, limit, remaining, reset string) {
	t.Helper()
	h := rec.Header()
	if h.Get("X-RateLimit-Limit") != limit || h.Get("X-RateLimit-Remaining") != remaining || h.Get("X-RateLimit-Reset") != reset {
		t.Errorf("rate headers limit=%q remaining=%q reset=%q, want %s %s %s", h.Get("X-RateLimit-Limit"),
			h.Get("X-RateLimit-Remaining"), h.Get("X-RateLimit-Reset"), limit, remaining, reset)
	}
}

func TestRateLimitPerIP(t *testing.T) {
	e := newAuthEnv(t, func(o *Options) {
		o.RateLimits = map[string]RateLimit{GroupDefault: {IPRequestsPerSecond: 1, IPBurst: 2}}
	})
	const ip = "198.51.100.7:5000"
	rec := e.doFrom(t, ip, "GET", "/v1/version", "")
	if rec.Code != 200 {
		t.Fatalf("first: %d", rec.Code)
	}
	wantRateHeaders(t, rec, "2", "1", "1")
	rec = e.doFrom(t, ip, "GET", "/v1/version", "")
	wantRateHeaders(t, rec, "2", "0", "2")
	rec = e.doFrom(t, ip, "GET", "/v1/version", "")
	apitest.WantError(t, rec, 429, sdk.CodeRateLimited, "rate limit exceeded")
	if got := rec.Header().Get("Retry-After"); got != "1" {
		t.Errorf("Retry-After %q", got)
	}
	wantRateHeaders(t, rec, "2", "0", "2")
	// Another IP has its own bucket; a port change is the same client.
	if rec := e.doFrom(t, "198.51.100.8:5000", "GET", "/v1/version", ""); rec.Code != 200 {
		t.Errorf("other IP: %d", rec.Code)
	}
	if rec := e.doFrom(t, "198.51.100.7:6000", "GET", "/v1/version", ""); rec.Code != 429 {
		t.Errorf("same IP, other port: %d", rec.Code)
	}
	// Refill: one token per second.
	e.clock.Advance(time.Second)
	if rec := e.doFrom(t, ip, "GET", "/v1/version", ""); rec.Code != 200 {
		t.Errorf("after 1s: %d", rec.Code)
	}
	if rec := e.doFrom(t, ip, "GET", "/v1/version", ""); rec.Code != 429 {
		t.Errorf("second after 1s: %d", rec.Code)
	}
	// The IP limit applies before authentication: a flood without a
	// credential is refused without asking the plugin.
	before := e.auth.ValidateCount()
	for range 3 {
		e.doFrom(t, ip, "GET", "/v1/network/status", "", "X-API-Key", apitest.TestKey(77, "alpha"))
	}
	if got := e.auth.ValidateCount() - before; got != 0 {
		t.Errorf("rate-limited requests reached the auth plugin %d times", got)
	}
}

func TestRateLimitPerCredentialIndependentOfIP(t *testing.T) {
	e := newAuthEnv(t, func(o *Options) {
		o.RateLimits = map[string]RateLimit{
			GroupCache: {RequestsPerSecond: 1, Burst: 1, IPRequestsPerSecond: 100, IPBurst: 100},
		}
	})
	const ip = "203.0.113.1:1"
	put := func(hdr ...string) *httptest.ResponseRecorder {
		return e.doFrom(t, ip, "POST", "/v1/cache/put", `{"dmap":"d","key":"k","value":1}`, hdr...)
	}
	if rec := put("X-API-Key", apitest.KeyAlpha); rec.Code != 200 {
		t.Fatalf("alpha: %d %s", rec.Code, rec.Body)
	}
	rec := put("X-API-Key", apitest.KeyAlpha)
	apitest.WantError(t, rec, 429, sdk.CodeRateLimited, "")
	wantRateHeaders(t, rec, "1", "0", "1")
	// Same IP, another credential: its own bucket.
	if rec := put("X-API-Key", apitest.KeyBeta); rec.Code != 200 {
		t.Errorf("beta after alpha was limited: %d", rec.Code)
	}
	// The same key from another IP shares its credential's bucket.
	if rec := e.doFrom(t, "203.0.113.99:1", "POST", "/v1/cache/put", `{"dmap":"d","key":"k","value":1}`, "X-API-Key", apitest.KeyAlpha); rec.Code != 429 {
		t.Errorf("alpha from another IP: %d", rec.Code)
	}
	// A JWT's bucket is its subject's.
	if rec := put("Authorization", "Bearer "+apitest.JWTBeta); rec.Code != 200 {
		t.Errorf("beta JWT: %d", rec.Code)
	}
	if rec := put("Authorization", "Bearer "+apitest.JWTBeta); rec.Code != 429 {
		t.Errorf("beta JWT again: %d", rec.Code)
	}
	// The tighter bucket's headers win: the IP bucket has 95 left, the
	// credential bucket 0.
	e.clock.Advance(time.Second)
	rec = put("X-API-Key", apitest.KeyAlpha)
	if rec.Code != 200 {
		t.Fatalf("alpha after refill: %d", rec.Code)
	}
	wantRateHeaders(t, rec, "1", "0", "1")
	// Other groups are unlimited: no headers.
	rec = e.doFrom(t, ip, "POST", "/v1/rqlite/query", `{"sql":"SELECT 1"}`, "X-API-Key", apitest.KeyAlpha)
	if rec.Header().Get("X-RateLimit-Limit") != "" {
		t.Errorf("unlimited group carries rate headers: %v", rec.Header())
	}
}

func TestRateLimitGroupsFallBackToDefault(t *testing.T) {
	e := newAuthEnv(t, func(o *Options) {
		o.RateLimits = map[string]RateLimit{
			GroupDefault: {IPRequestsPerSecond: 1, IPBurst: 5},
			GroupAuth:    {IPRequestsPerSecond: 1, IPBurst: 1},
		}
	})
	ip := "192.0.2.50:1"
	if rec := e.doFrom(t, ip, "POST", "/v1/auth/challenge", `{"wallet":"0xw"}`); rec.Code != 200 {
		t.Fatalf("challenge: %d", rec.Code)
	}
	if rec := e.doFrom(t, ip, "GET", "/.well-known/jwks.json", ""); rec.Code != 429 {
		t.Errorf("jwks shares the auth group: %d", rec.Code)
	}
	rec := e.doFrom(t, ip, "POST", "/v1/cache/get", `{}`, "X-API-Key", apitest.KeyAlpha)
	wantRateHeaders(t, rec, "5", "4", "1")
	rec = e.doFrom(t, ip, "GET", "/health", "")
	wantRateHeaders(t, rec, "5", "4", "1") // default and cache (falling back) are separate buckets
}

func TestTrustedProxies(t *testing.T) {
	e := newAuthEnv(t, func(o *Options) {
		o.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
		o.RateLimits = map[string]RateLimit{GroupDefault: {IPRequestsPerSecond: 1, IPBurst: 1}}
	})
	via := func(remote, xff string) int {
		return e.doFrom(t, remote, "GET", "/v1/version", "", "X-Forwarded-For", xff).Code
	}
	if via("10.0.0.1:1", "198.51.100.1") != 200 || via("10.0.0.2:1", "198.51.100.2, 10.0.0.9") != 200 {
		t.Fatal("clients behind trusted proxies share a bucket")
	}
	if via("10.0.0.3:1", "198.51.100.1") != 429 {
		t.Error("the client behind the proxy was not limited by its own address")
	}
	// An untrusted peer's X-Forwarded-For is ignored: it cannot claim
	// fresh addresses.
	if via("192.0.2.1:1", "198.51.100.3") != 200 || via("192.0.2.1:1", "198.51.100.4") != 429 {
		t.Error("X-Forwarded-For of an untrusted peer was believed")
	}
}

func TestClientIP(t *testing.T) {
	c := newClientIP([]netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")})
	cases := []struct {
		remote string
		xff    []string
		want   string
	}{
		{"192.0.2.1:80", nil, "192.0.2.1"},
		{"192.0.2.1:80", []string{"1.1.1.1"}, "192.0.2.1"},
		{"10.1.1.1:80", nil, "10.1.1.1"},
		{"10.1.1.1:80", []string{"1.1.1.1"}, "1.1.1.1"},
		{"10.1.1.1:80", []string{"6.6.6.6, 1.1.1.1, 10.2.2.2"}, "1.1.1.1"},
		{"10.1.1.1:80", []string{"6.6.6.6", "1.1.1.1"}, "1.1.1.1"},
		{"10.1.1.1:80", []string{"10.3.3.3, 10.2.2.2"}, "10.3.3.3"},
		{"10.1.1.1:80", []string{"1.1.1.1, garbage"}, "10.1.1.1"},
		{"[fd00::1]:80", []string{"2001:db8:1:2:3:4:5:6"}, "2001:db8:1:2::"},
		{"[::ffff:192.0.2.9]:80", nil, "192.0.2.9"},
		{"[2001:db8::1]:80", nil, "2001:db8::"},
		{"not-an-address", nil, "invalid IP"},
	}
	for _, tc := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.remote
		if tc.xff != nil {
			r.Header["X-Forwarded-For"] = tc.xff
		}
		if got := c.of(r).String(); got != tc.want {
			t.Errorf("%s %v: %s, want %s", tc.remote, tc.xff, got, tc.want)
		}
	}
	// No trusted proxies: always the peer.
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "10.1.1.1:1"
	r.Header.Set("X-Forwarded-For", "1.1.1.1")
	if got := newClientIP(nil).of(r).String(); got != "10.1.1.1" {
		t.Errorf("untrusted: %s", got)
	}
}

func TestBucketEviction(t *testing.T) {
	clock := apitest.NewFakeClock()
	l := newRateLimitsSize(map[string]RateLimit{GroupDefault: {IPRequestsPerSecond: 10, IPBurst: 10}}, clock.Now, bucketShards*4)
	lim := l.groups[groupDefault].ip
	addr := func(i int) netip.Addr { return netip.AddrFrom4([4]byte{192, 0, byte(i >> 8), byte(i)}) }
	for i := range 1000 {
		if d := l.take(bucketKey{ip: addr(i)}, lim); !d.ok {
			t.Fatalf("fresh bucket %d refused", i)
		}
	}
	if n := l.count(); n > bucketShards*4 {
		t.Fatalf("%d buckets held, bound %d", n, bucketShards*4)
	}
	// Active buckets (not yet refilled) survive a sweep; idle (full) ones go.
	l2 := newRateLimitsSize(map[string]RateLimit{GroupDefault: {IPRequestsPerSecond: 10, IPBurst: 10}}, clock.Now, 1000)
	for i := range 100 {
		l2.take(bucketKey{ip: addr(i)}, lim)
	}
	clock.Advance(50 * time.Millisecond) // half a token back: none full
	for i := range l2.shards {
		l2.shards[i].mu.Lock()
		l2.shards[i].sweep(clock.Now().UnixNano())
		l2.shards[i].mu.Unlock()
	}
	if n := l2.count(); n != 100 {
		t.Errorf("sweep dropped active buckets: %d left of 100", n)
	}
	// A minute later every bucket is full; the next take sweeps its shard.
	clock.Advance(sweepEvery)
	for i := 100; i < 100+bucketShards*8; i++ {
		l2.take(bucketKey{ip: addr(i)}, lim)
	}
	if n := l2.count(); n > bucketShards*8 {
		t.Errorf("idle buckets not evicted: %d held", n)
	}
	// An evicted idle bucket is the same as a fresh one: full.
	if d := l2.take(bucketKey{ip: addr(0)}, lim); !d.ok || d.remaining != 9 {
		t.Errorf("re-created bucket: %+v", d)
	}
}

func TestGroupOf(t *testing.T) {
	for path, want := range map[string]group{
		"/v1/auth/verify": groupAuth, "/.well-known/jwks.json": groupAuth, "/v1/cache/get": groupCache,
		"/v1/rqlite/query": groupDatabase, "/v1/storage/upload": groupStorage, "/v1/pubsub/ws": groupPubSub,
		"/v1/functions": groupFunctions, "/v1/functions/f/invoke": groupFunctions, "/v1/invoke/ns/f": groupFunctions,
		"/v1/secrets": groupFunctions, "/v1/secrets/k": groupFunctions, "/v1/secretsx": groupDefault,
		"/v1/functionsx": groupDefault, "/health": groupDefault, "/v1/authx": groupDefault, "/": groupDefault, "": groupDefault,
	} {
		if got := groupOf(path); got != want {
			t.Errorf("%q: %s, want %s", path, RateLimitGroups[got], RateLimitGroups[want])
		}
	}
}
