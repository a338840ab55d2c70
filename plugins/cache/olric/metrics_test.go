package olric

import (
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

func TestMetricsMoveWithTraffic(t *testing.T) {
	s := startStore(t, nil)
	ctx := t.Context()
	hits, misses := plugintest.Metric(t, "orama_cache_hits_total"), plugintest.Metric(t, "orama_cache_misses_total")
	puts := plugintest.Metric(t, "orama_cache_op_duration_seconds", "op", "put")
	evicted := plugintest.Metric(t, "orama_cache_evictions_total")

	if err := s.Put(ctx, "ns", "d", "k", []byte("v"), 0); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, "ns", "d", "short", []byte("v"), time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "ns", "d", "k"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "ns", "d", "absent"); plugintest.Code(err) != "not_found" {
		t.Fatalf("get absent: %v", err)
	}
	if _, err := s.MGet(ctx, "ns", "d", []string{"k", "absent", "other"}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond) // let "short" expire; a get then evicts it
	_, _ = s.Get(ctx, "ns", "d", "short")

	if d := plugintest.Metric(t, "orama_cache_hits_total") - hits; d != 2 {
		t.Errorf("hits moved by %v, want 2", d)
	}
	if d := plugintest.Metric(t, "orama_cache_misses_total") - misses; d != 4 {
		t.Errorf("misses moved by %v, want 4", d)
	}
	if d := plugintest.Metric(t, "orama_cache_op_duration_seconds", "op", "put") - puts; d != 2 {
		t.Errorf("put durations moved by %v, want 2", d)
	}
	if d := plugintest.Metric(t, "orama_cache_evictions_total") - evicted; d < 1 {
		t.Errorf("evictions moved by %v, want ≥ 1 (an expired key was read)", d)
	}
	if plugintest.Metric(t, "orama_cache_entries") < 1 {
		t.Error("orama_cache_entries < 1 with a key stored")
	}
}
