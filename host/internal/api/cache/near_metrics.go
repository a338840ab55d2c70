package cache

import (
	"github.com/prometheus/client_golang/prometheus"
)

// nearMetrics are the near cache's metrics (no namespace labels).
type nearMetrics struct {
	hits, misses, bypass prometheus.Counter
	evictions            prometheus.Counter
	invalidations        *prometheus.CounterVec // source: stream, local
	flushes              *prometheus.CounterVec // reason: stream_all, stream_down
	streaming            prometheus.Gauge
}

func newNearMetrics(reg prometheus.Registerer, n *Near) *nearMetrics {
	m := &nearMetrics{
		hits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "orama_cache_near_hits_total", Help: "Cache gets answered by the host's near cache."}),
		misses: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "orama_cache_near_misses_total", Help: "Cache gets the near cache passed to the plugin while it was serving."}),
		bypass: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "orama_cache_near_bypassed_total", Help: "Cache gets passed to the plugin because the invalidation stream was down (or the plugin offers none)."}),
		evictions: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "orama_cache_near_evictions_total", Help: "Near cache entries evicted (least recently used) to stay within near_cache_bytes."}),
		invalidations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "orama_cache_near_invalidations_total", Help: "Keys invalidated in the near cache, by source: stream (the plugin's invalidation stream, any node's write), local (a write through this host)."},
			[]string{"source"}),
		flushes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "orama_cache_near_flushes_total", Help: "Near cache flushes, by reason: stream_all (the plugin asked: stream opened or invalidations lost), stream_down (the stream ended)."},
			[]string{"reason"}),
		streaming: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "orama_cache_near_streaming", Help: "1 while the near cache serves (the plugin's invalidation stream is up), 0 while it is bypassed."}),
	}
	if reg != nil {
		reg.MustRegister(m.hits, m.misses, m.bypass, m.evictions, m.invalidations, m.flushes, m.streaming,
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "orama_cache_near_bytes", Help: "Bytes held by the near cache (names, values and per-entry overhead)."},
				func() float64 { return float64(n.bytes.Load()) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "orama_cache_near_entries", Help: "Entries held by the near cache."},
				func() float64 { return float64(n.entries.Load()) }))
	}
	for _, s := range []string{"stream", "local"} {
		m.invalidations.WithLabelValues(s)
	}
	for _, r := range []string{"stream_all", "stream_down"} {
		m.flushes.WithLabelValues(r)
	}
	return m
}
