package e2e

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/auth/authtest"
)

// TestAuthTwoHostsOneDatabase: two gateways whose database plugins point
// at one real rqlited node, with the same key_secret, started at the same
// time (their auth plugins race to make the first signing key). A token or
// key issued through one works on the other, a refresh token rotated on
// one is spent on both, and a key revoked through one host's config stops
// working on the other.
func TestAuthTwoHostsOneDatabase(t *testing.T) {
	n := startRqliteSingle(t)
	mk := func(id string) func(port int) string {
		return func(port int) string {
			return authConfig(port, id, `  key_cache_ttl = "2s"`, rqliteBlock(n)+authBlock(""))
		}
	}
	h1, h2 := newHost(t, mk("node-a")), newHost(t, mk("node-b"))
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, h := range []*host{h1, h2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = h.launch()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	h1.waitHealthy(60 * time.Second)
	h2.waitHealthy(60 * time.Second)

	// Both publish the same verification keys.
	if k1, k2 := kids(t, h1), kids(t, h2); k1 == "" || k1 != k2 {
		t.Errorf("JWKS kids differ: host 1 %q, host 2 %q", k1, k2)
	}

	eth := authtest.NewETHWallet()
	s := h1.signIn(eth, "shared")
	for name, hdr := range map[string][]string{"host 1's JWT": bearer(s.access), "host 1's key": apiKey(s.key)} {
		who := h2.send(http.MethodGet, "/v1/auth/whoami", nil, hdr...)
		if !wantStatus(t, name+" on host 2", who, http.StatusOK) || who.str("namespace") != "shared" {
			t.Errorf("%s on host 2: %s", name, who)
		}
	}

	// One database behind both: what one writes, the other reads.
	wantStatus(t, "create-table on host 1", h1.send(http.MethodPost, "/v1/rqlite/create-table",
		map[string]any{"schema": "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"}, bearer(s.access)...), http.StatusCreated)
	wantStatus(t, "insert on host 2 with host 1's key", h2.send(http.MethodPost, "/v1/rqlite/exec",
		map[string]any{"sql": "INSERT INTO notes (body) VALUES (?)", "args": []any{"from host 2"}}, apiKey(s.key)...), http.StatusOK)
	rows := h1.send(http.MethodPost, "/v1/rqlite/query", map[string]any{"sql": "SELECT body FROM notes"}, bearer(s.access)...)
	if !jsonEqual(rows.body["items"], `[{"body":"from host 2"}]`) {
		t.Errorf("query on host 1: %s", rows)
	}

	// A refresh token rotated on host 2 is spent on host 1 too.
	r := h2.send(http.MethodPost, "/v1/auth/refresh", map[string]string{"refresh_token": s.refresh, "namespace": "shared"})
	wantStatus(t, "refresh on host 2 of host 1's token", r, http.StatusOK)
	wantStatus(t, "its reuse on host 1", h1.send(http.MethodPost, "/v1/auth/refresh",
		map[string]string{"refresh_token": s.refresh, "namespace": "shared"}), http.StatusUnauthorized)

	// An operator key made through host 1's config works on host 2;
	// revoked through host 2's config, host 1 refuses it.
	code, out, stderr := orama(t, nil, "keys", "create", "-config", h1.config, "-namespace", "shared", "-json")
	var k cliKey
	if code != 0 || json.Unmarshal([]byte(out), &k) != nil {
		t.Fatalf("keys create on host 1's config: exit %d\n%s\n%s", code, out, stderr)
	}
	wantStatus(t, "the CLI's key on host 2", h2.send(http.MethodGet, "/v1/auth/whoami", nil, apiKey(k.Key)...), http.StatusOK)
	wantStatus(t, "the CLI's key on host 1", h1.send(http.MethodGet, "/v1/auth/whoami", nil, apiKey(k.Key)...), http.StatusOK)
	if code, out, stderr := orama(t, nil, "keys", "revoke", "-config", h2.config, "-namespace", "shared", "-id", k.ID); code != 0 {
		t.Fatalf("keys revoke on host 2's config: exit %d\n%s\n%s", code, out, stderr)
	}
	waitFor(t, 10*time.Second, "host 1 refusing the key revoked through host 2", func() bool {
		return h1.send(http.MethodGet, "/v1/auth/whoami", nil, apiKey(k.Key)...).code == http.StatusUnauthorized
	})
}

// kids lists the kids of a host's JWKS, sorted and joined.
func kids(t *testing.T, h *host) string {
	t.Helper()
	r := h.send(http.MethodGet, "/v1/auth/jwks", nil)
	list, _ := r.body["keys"].([]any)
	var out []string
	for _, k := range list {
		m, _ := k.(map[string]any)
		kid, _ := m["kid"].(string)
		out = append(out, kid)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

// TestAuthExpiryAndRateLimit: a host whose tokens live 1 s (clock_skew
// 1 ms) and whose cache routes allow two requests in all.
func TestAuthExpiryAndRateLimit(t *testing.T) {
	h := startAuthHost(t, `  rate_limit "cache" {
    requests_per_second = 0.001
    burst               = 2
  }`, `    token_ttl  = "1s"
    clock_skew = "1ms"`)
	eth := authtest.NewETHWallet()
	s := h.signIn(eth, "short")

	t.Run("expired JWT", func(t *testing.T) {
		_, claims := jwtParts(t, s.access)
		iat, _ := claims["iat"].(float64)
		exp, _ := claims["exp"].(float64)
		if exp-iat != 1 {
			t.Fatalf("token lifetime %v s, want 1 (token_ttl)", exp-iat)
		}
		var last reply
		waitFor(t, 10*time.Second, "the token refused once expired", func() bool {
			last = h.send(http.MethodGet, "/v1/auth/whoami", nil, bearer(s.access)...)
			return last.code == http.StatusUnauthorized
		})
		if now := time.Now(); !now.After(time.Unix(int64(exp), 0)) {
			t.Errorf("refused at %s, before its exp %s", now, time.Unix(int64(exp), 0))
		}
		if last.str("error") != "invalid or expired token" || !strings.Contains(last.header.Get("WWW-Authenticate"), "invalid_token") {
			t.Errorf("expired token: %s %q", last, last.header.Get("WWW-Authenticate"))
		}
		// The refresh token outlives the access token.
		r := h.send(http.MethodPost, "/v1/auth/refresh", map[string]string{"refresh_token": s.refresh, "namespace": "short"})
		wantStatus(t, "refresh after the access token expired", r, http.StatusOK)
	})

	t.Run("rate limit", func(t *testing.T) {
		get := func() reply {
			return h.send(http.MethodPost, "/v1/cache/get", map[string]any{"dmap": "d", "key": "k"}, apiKey(s.key)...)
		}
		for i := 1; i <= 2; i++ {
			r := get()
			wantStatus(t, "request "+strconv.Itoa(i), r, http.StatusNotFound) // let through: the key is absent
			if r.header.Get("X-RateLimit-Limit") != "2" || r.header.Get("X-RateLimit-Remaining") != strconv.Itoa(2-i) {
				t.Errorf("request %d: X-RateLimit-Limit %q, Remaining %q", i, r.header.Get("X-RateLimit-Limit"), r.header.Get("X-RateLimit-Remaining"))
			}
		}
		r := get()
		if wantStatus(t, "third request", r, http.StatusTooManyRequests) {
			retry, err := strconv.Atoi(r.header.Get("Retry-After"))
			reset, err2 := strconv.Atoi(r.header.Get("X-RateLimit-Reset"))
			if err != nil || retry < 1 || err2 != nil || reset < 1 || r.header.Get("X-RateLimit-Limit") != "2" ||
				r.header.Get("X-RateLimit-Remaining") != "0" || r.str("code") != "rate_limited" {
				t.Errorf("429: headers %v, body %s", r.header, r.raw)
			}
		}
		// Other groups are not limited.
		wantStatus(t, "whoami (auth group)", h.send(http.MethodGet, "/v1/auth/whoami", nil, apiKey(s.key)...), http.StatusOK)
		wantStatus(t, "database group", h.send(http.MethodPost, "/v1/rqlite/query", map[string]any{"sql": "SELECT 1 AS one"}, apiKey(s.key)...), http.StatusOK)
	})
}
