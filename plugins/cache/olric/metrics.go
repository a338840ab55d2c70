package olric

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/prometheus/client_golang/prometheus"
)

// The cache plugin's metrics, served by the host on /metrics with
// plugin="cache". No namespace or dmap labels (unbounded).
var (
	metricHits = plugin.Register(prometheus.NewCounter(prometheus.CounterOpts{
		Name: "orama_cache_hits_total", Help: "Keys found by get and mget."}))
	metricMisses = plugin.Register(prometheus.NewCounter(prometheus.CounterOpts{
		Name: "orama_cache_misses_total", Help: "Keys not found by get and mget."}))
	metricOpDuration = plugin.Register(prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "orama_cache_op_duration_seconds",
		Help:    "Time of a cache operation against Olric, by op (get, mget, put, delete, scan).",
		Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"op"}))
	metricErrors = plugin.Register(prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "orama_cache_errors_total",
		Help: "Cache operations that failed in Olric (not counting not_found and invalid requests), by op.",
	}, []string{"op"}))
)

// opMetrics are one op's series, looked up once.
type opMetrics struct {
	duration prometheus.Observer
	errors   prometheus.Counter
}

func newOpMetrics(op string) *opMetrics {
	return &opMetrics{duration: metricOpDuration.WithLabelValues(op), errors: metricErrors.WithLabelValues(op)}
}

// The ops, by their op label.
var (
	opGet    = newOpMetrics("get")
	opMGet   = newOpMetrics("mget")
	opPut    = newOpMetrics("put")
	opDelete = newOpMetrics("delete")
	opScan   = newOpMetrics("scan")
)

func init() {
	plugin.Register(statsCollector{}) // here: its descs are initialised by now
}

// observe records one operation that reached Olric, started at start.
func observe(op *opMetrics, start time.Time, err error) {
	op.duration.Observe(time.Since(start).Seconds())
	if err != nil {
		switch sdk.AsError(err).Code {
		case sdk.CodeNotFound, sdk.CodeInvalid:
		default:
			op.errors.Inc()
		}
	}
}

// statsStore is the Store whose embedded member statsCollector reads: the
// last one configured (a plugin process has one).
var statsStore atomic.Pointer[Store]

var (
	descEvictions = prometheus.NewDesc("orama_cache_evictions_total",
		"Entries the embedded Olric member removed because they expired or to free memory (Olric's evicted_total; embedded mode only).", nil, nil)
	descEntries = prometheus.NewDesc("orama_cache_entries",
		"Entries held by the embedded Olric member, replicas included (embedded mode only).", nil, nil)
)

// statsCollector reads the embedded member's Olric stats at scrape time.
// In client mode it exports nothing: the servers' stats are theirs.
type statsCollector struct{}

func (statsCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descEvictions
	ch <- descEntries
}

func (statsCollector) Collect(ch chan<- prometheus.Metric) {
	s := statsStore.Load()
	if s == nil {
		return
	}
	b := s.cur.Load()
	if b == nil || b.db == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	st, err := b.client.Stats(ctx, b.addr)
	if err != nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(descEvictions, prometheus.CounterValue, float64(st.DMaps.EvictedTotal))
	ch <- prometheus.MustNewConstMetric(descEntries, prometheus.GaugeValue, float64(st.DMaps.EntriesTotal))
}
