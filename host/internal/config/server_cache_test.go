package config

import (
	"testing"
	"time"
)

func TestParseCacheDefaults(t *testing.T) {
	_, file := testDir(t)
	c := mustParse(t, file, "server {}\n").Server.Cache
	want := Cache{NearCache: false, NearCacheBytes: 64 << 20, NearCacheMaxAge: time.Second, HandoffTimeout: time.Minute}
	if c != want {
		t.Errorf("defaults: %+v, want %+v", c, want)
	}
}

func TestParseCacheValues(t *testing.T) {
	_, file := testDir(t)
	c := mustParse(t, file, `server {
  cache {
    near_cache         = true
    near_cache_bytes   = 1048576
    near_cache_max_age = "250ms"
    handoff_timeout    = "5s"
  }
}
`).Server.Cache
	want := Cache{NearCache: true, NearCacheBytes: 1 << 20, NearCacheMaxAge: 250 * time.Millisecond, HandoffTimeout: 5 * time.Second}
	if c != want {
		t.Errorf("values: %+v, want %+v", c, want)
	}
}
