package ipfs

import (
	"context"
	"time"

	"github.com/orama-network/orama/plugins/storage/driver"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/prometheus/client_golang/prometheus"
)

// The storage plugin's metrics, served by the host on /metrics with
// plugin="storage", whatever the driver. No namespace labels.
var (
	metricBytesIn = plugin.Register(prometheus.NewCounter(prometheus.CounterOpts{
		Name: "orama_storage_bytes_in_total", Help: "Bytes received in uploads (those cut off at a limit included).",
	}))
	metricBytesOut = plugin.Register(prometheus.NewCounter(prometheus.CounterOpts{
		Name: "orama_storage_bytes_out_total", Help: "Bytes of content sent in downloads.",
	}))
	metricUploads = plugin.Register(prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "orama_storage_uploads_total", Help: "Uploads by result (ok, error).",
	}, []string{"result"}))
	metricPins = plugin.Register(prometheus.NewCounter(prometheus.CounterOpts{
		Name: "orama_storage_pins_total", Help: "Pins made for a namespace (by an upload or a pin call).",
	}))
	metricUnpins = plugin.Register(prometheus.NewCounter(prometheus.CounterOpts{
		Name: "orama_storage_unpins_total", Help: "Pins a namespace removed.",
	}))
	metricGCRuns = plugin.Register(prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "orama_storage_gc_runs_total", Help: "Garbage collections of the embedded blockstore, by result (ok, error).",
	}, []string{"result"}))
	metricGCRemoved = plugin.Register(prometheus.NewCounter(prometheus.CounterOpts{
		Name: "orama_storage_gc_removed_blocks_total", Help: "Blocks garbage collection deleted.",
	}))
	metricGCDuration = plugin.Register(prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "orama_storage_gc_duration_seconds", Help: "Time of one garbage collection.",
		Buckets: prometheus.ExponentialBuckets(0.001, 4, 10),
	}))
)

func init() {
	for _, r := range []string{"ok", "error"} {
		metricUploads.WithLabelValues(r)
		metricGCRuns.WithLabelValues(r)
	}
}

func resultOf(err error) string {
	if err != nil {
		return "error"
	}
	return "ok"
}

// runGC runs col's garbage collection and records it.
func runGC(ctx context.Context, col driver.Collector) (driver.GCResult, error) {
	start := time.Now()
	res, err := col.GC(ctx)
	metricGCDuration.Observe(time.Since(start).Seconds())
	metricGCRuns.WithLabelValues(resultOf(err)).Inc()
	metricGCRemoved.Add(float64(res.Removed))
	return res, err
}
