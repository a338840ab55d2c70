package service

import (
	"github.com/orama-network/orama/plugins/serverless/engine"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/serverless"
	"github.com/prometheus/client_golang/prometheus"
)

// The serverless plugin's metrics, served by the host on /metrics with
// plugin="serverless". No namespace or function labels.
var (
	metricInvocations = plugin.Register(prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "orama_functions_invocations_total",
		Help: "Invocations by outcome: success, error, timeout (the function's result, after its retries), refused (no result: not found, forbidden, over a concurrency cap, module unavailable, …).",
	}, []string{"outcome"}))
	metricDuration = plugin.Register(prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "orama_functions_duration_seconds",
		Help:    "Time of an invocation that ran, from its first run to its result (retries included).",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
	}))
	metricCompileHits = plugin.Register(prometheus.NewCounter(prometheus.CounterOpts{
		Name: "orama_functions_compile_cache_hits_total", Help: "Runs whose module was compiled in memory already.",
	}))
	metricCompileMisses = plugin.Register(prometheus.NewCounter(prometheus.CounterOpts{
		Name: "orama_functions_compile_cache_misses_total", Help: "Runs that had to fetch and compile their module first.",
	}))
	_ = plugin.Register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "orama_functions_memory_high_water_bytes",
		Help: "The largest linear memory any function instance of this plugin process reached.",
	}, func() float64 { return float64(engine.MemoryHighWater()) }))
)

const outcomeRefused = "refused"

func init() {
	for _, o := range []string{serverless.ResultSuccess, serverless.ResultError, serverless.ResultTimeout, outcomeRefused} {
		metricInvocations.WithLabelValues(o)
	}
}

// observeInvocation records an invocation's result, or its refusal (err).
func observeInvocation(res serverless.Result, err error) {
	if err != nil {
		metricInvocations.WithLabelValues(outcomeRefused).Inc()
		return
	}
	metricInvocations.WithLabelValues(res.Status).Inc()
	metricDuration.Observe(res.Duration.Seconds())
}
