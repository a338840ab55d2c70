package config

import (
	"net/netip"
	"reflect"
	"slices"
	"testing"
	"time"
)

func TestAuthDefaults(t *testing.T) {
	_, file := testDir(t)
	// No auth plugin: authentication disabled (development), 5s key cache,
	// no proxies; the only rate limit is the auth routes' per-IP one.
	s := mustParse(t, file, "").Server
	wantLimits := map[string]RateLimit{"auth": {IPRequestsPerSecond: DefaultAuthIPRequestsPerSecond, IPBurst: DefaultAuthIPBurst}}
	if s.Auth != AuthDisabled || s.KeyCacheTTL != 5*time.Second || len(s.TrustedProxies) != 0 || !reflect.DeepEqual(s.RateLimits, wantLimits) {
		t.Errorf("defaults without auth plugin: %+v", s)
	}
	// An auth plugin makes it required.
	s = mustParse(t, file, "plugin \"auth\" {\n  path = \"bin/orama-plugin-cache\"\n}\n").Server
	if s.Auth != AuthRequired {
		t.Errorf("with an auth plugin: auth = %q", s.Auth)
	}
	// Disabled stays disabled when written, plugin or not.
	s = mustParse(t, file, "server {\n  auth = \"disabled\"\n}\nplugin \"auth\" {\n  path = \"bin/orama-plugin-cache\"\n}\n").Server
	if s.Auth != AuthDisabled {
		t.Errorf("explicit disabled: %q", s.Auth)
	}
}

func TestAuthValues(t *testing.T) {
	_, file := testDir(t)
	cfg := mustParse(t, file, `
server {
  auth            = "required"
  key_cache_ttl   = "1500ms"
  trusted_proxies = ["10.1.2.3/8", "192.0.2.1", "::1", "fd00::/8"]

  rate_limit "default" {
    requests_per_second = 100
    burst               = 200
  }
  rate_limit "auth" {
    requests_per_second    = 2.5
    ip_requests_per_second = 0.5
  }
  rate_limit "cache" {
    requests_per_second = 10
    ip_burst            = 7
  }
  rate_limit "pubsub" {
    requests_per_second    = 0
    ip_requests_per_second = 50
    ip_burst               = 60
  }
}
plugin "auth" {
  path = "bin/orama-plugin-cache"
}
`)
	s := cfg.Server
	if s.Auth != AuthRequired || s.KeyCacheTTL != 1500*time.Millisecond {
		t.Errorf("auth %q ttl %v", s.Auth, s.KeyCacheTTL)
	}
	wantProxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.1/32"),
		netip.MustParsePrefix("::1/128"), netip.MustParsePrefix("fd00::/8")}
	if !slices.Equal(s.TrustedProxies, wantProxies) {
		t.Errorf("proxies %v", s.TrustedProxies)
	}
	want := map[string]RateLimit{
		// ip_* default to the credential values.
		"default": {RequestsPerSecond: 100, Burst: 200, IPRequestsPerSecond: 100, IPBurst: 200},
		// burst defaults to one second's worth, at least 1; ip_burst to
		// one second's worth of ip_requests_per_second when that is set.
		"auth":   {RequestsPerSecond: 2.5, Burst: 3, IPRequestsPerSecond: 0.5, IPBurst: 1},
		"cache":  {RequestsPerSecond: 10, Burst: 10, IPRequestsPerSecond: 10, IPBurst: 7},
		"pubsub": {RequestsPerSecond: 0, Burst: 1, IPRequestsPerSecond: 50, IPBurst: 60},
	}
	if !reflect.DeepEqual(s.RateLimits, want) {
		t.Errorf("rate limits\n got %+v\nwant %+v", s.RateLimits, want)
	}
	if !slices.Equal(RateLimitGroups, []string{"default", "auth", "cache", "database", "storage", "pubsub", "functions"}) {
		t.Errorf("groups %v", RateLimitGroups)
	}
}

func TestAuthRateLimitOnByDefault(t *testing.T) {
	_, file := testDir(t)
	def := RateLimit{IPRequestsPerSecond: DefaultAuthIPRequestsPerSecond, IPBurst: DefaultAuthIPBurst}
	for name, c := range map[string]struct {
		text string
		want RateLimit
	}{
		"server block without limits": {"server {\n  listen = \":6001\"\n}\n", def},
		// The auth group takes a "default" block's per-credential limit
		// and keeps its own per-IP one unless that block sets one.
		"default block, credential limit only": {`server {
  rate_limit "default" {
    requests_per_second    = 50
    ip_requests_per_second = 0
  }
}
`, RateLimit{RequestsPerSecond: 50, Burst: 50, IPRequestsPerSecond: DefaultAuthIPRequestsPerSecond, IPBurst: DefaultAuthIPBurst}},
		"default block with an IP limit": {`server {
  rate_limit "default" {
    requests_per_second    = 50
    ip_requests_per_second = 3
  }
}
`, RateLimit{RequestsPerSecond: 50, Burst: 50, IPRequestsPerSecond: 3, IPBurst: 3}},
		// An auth block is the operator's word, off included.
		"auth block turning it off": {`server {
  rate_limit "auth" {
    requests_per_second    = 0
    ip_requests_per_second = 0
  }
}
`, RateLimit{Burst: 1, IPBurst: 1}},
	} {
		got := mustParse(t, file, c.text).Server.RateLimits["auth"]
		if got != c.want {
			t.Errorf("%s: auth limit %+v, want %+v", name, got, c.want)
		}
	}
}
