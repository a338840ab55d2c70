package server

import (
	"errors"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/orama-network/orama/host/internal/pluginmgr"
)

// httpMetrics are the request metrics of the HTTP server.
type httpMetrics struct {
	requests *prometheus.CounterVec   // route, method, status
	duration *prometheus.HistogramVec // route, method
}

func newHTTPMetrics(reg prometheus.Registerer) (*httpMetrics, error) {
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "orama_http_requests_total",
		Help: "HTTP requests served, by route pattern, method and status.",
	}, []string{"route", "method", "status"})
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "orama_http_request_duration_seconds",
		Help:    "Time to serve an HTTP request, by route pattern and method.",
		Buckets: prometheus.DefBuckets,
	}, []string{"route", "method"})

	var err error
	if requests, err = register(reg, requests); err != nil {
		return nil, err
	}
	if duration, err = register(reg, duration); err != nil {
		return nil, err
	}
	return &httpMetrics{requests: requests, duration: duration}, nil
}

// register registers c, or returns the collector already registered under
// the same name (a second Server on one registry shares the metrics).
func register[C prometheus.Collector](reg prometheus.Registerer, c C) (C, error) {
	err := reg.Register(c)
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		if existing, ok := are.ExistingCollector.(C); ok {
			return existing, nil
		}
	}
	return c, err
}

// observe records a request that matched no route (404, 405, preflight).
// The method is normalised so clients cannot mint label values.
func (m *httpMetrics) observe(label, method string, status int, seconds float64) {
	method = normMethod(method)
	m.requests.WithLabelValues(label, method, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(label, method).Observe(seconds)
}

func normMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "OTHER"
}

// route is one registered route with its metric children looked up once,
// so a matched request records metrics without label lookups.
type route struct {
	pattern, method string
	metrics         *httpMetrics
	duration        prometheus.Observer

	mu       sync.Mutex                                 // serialises additions to counters
	counters atomic.Pointer[map[int]prometheus.Counter] // by status; copy on write
}

func newRoute(m *httpMetrics, method, pattern string) *route {
	rt := &route{pattern: pattern, method: method, metrics: m,
		duration: m.duration.WithLabelValues(pattern, method)}
	counters := map[int]prometheus.Counter{}
	rt.counters.Store(&counters)
	return rt
}

func (rt *route) observe(status int, seconds float64) {
	rt.duration.Observe(seconds)
	rt.counter(status).Inc()
}

func (rt *route) counter(status int) prometheus.Counter {
	if c, ok := (*rt.counters.Load())[status]; ok {
		return c
	}
	rt.mu.Lock()
	defer rt.mu.Unlock()
	old := *rt.counters.Load()
	if c, ok := old[status]; ok {
		return c
	}
	next := make(map[int]prometheus.Counter, len(old)+1)
	for k, v := range old {
		next[k] = v
	}
	c := rt.metrics.requests.WithLabelValues(rt.pattern, rt.method, strconv.Itoa(status))
	next[status] = c
	rt.counters.Store(&next)
	return c
}

// instrument records orama_http_requests_total and
// orama_http_request_duration_seconds for every request.
func (s *Server) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		st := stateFrom(r.Context())
		done := false
		defer func() {
			seconds := time.Since(start).Seconds()
			switch {
			case st == nil:
				s.metrics.observe(routeUnmatched, r.Method, http.StatusInternalServerError, seconds)
			case st.route != nil:
				st.route.observe(st.finalStatus(done), seconds)
			default:
				s.metrics.observe(st.label, r.Method, st.finalStatus(done), seconds)
			}
		}()
		next.ServeHTTP(w, r)
		done = true
	})
}

// pluginCollector exports the plugins' supervision state at scrape time.
type pluginCollector struct {
	plugins                Plugins
	up, restarts, stateDsc *prometheus.Desc
	scrapeErrors           *prometheus.Desc
	handoffDropped         *prometheus.Desc
}

// pluginStates are exported as orama_plugin_state, one series per state.
var pluginStates = []pluginmgr.State{
	pluginmgr.StateStarting, pluginmgr.StateRunning, pluginmgr.StateDegraded, pluginmgr.StateRestarting,
	pluginmgr.StateUpgrading, pluginmgr.StateStopped, pluginmgr.StateFailed,
}

func newPluginCollector(p Plugins) *pluginCollector {
	return &pluginCollector{
		plugins: p,
		up: prometheus.NewDesc("orama_plugin_up",
			"1 when the plugin can take traffic, else 0.", []string{"plugin"}, nil),
		restarts: prometheus.NewDesc("orama_plugin_restarts_total",
			"Crash restarts of the plugin since the host started.", []string{"plugin"}, nil),
		stateDsc: prometheus.NewDesc("orama_plugin_state",
			"1 for the plugin's current state, 0 for the others.", []string{"plugin", "state"}, nil),
		scrapeErrors: prometheus.NewDesc("orama_plugin_scrape_errors_total",
			"Gatherings of the plugin's own metrics that failed or timed out.", []string{"plugin"}, nil),
		handoffDropped: prometheus.NewDesc("orama_plugin_handoff_dropped_entries_total",
			"Entries an upgrade dropped because the hand-off to the new instance ran out of time (handoff_timeout) or failed.", []string{"plugin"}, nil),
	}
}

func (c *pluginCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.up
	ch <- c.restarts
	ch <- c.stateDsc
	ch <- c.scrapeErrors
	ch <- c.handoffDropped
}

func (c *pluginCollector) Collect(ch chan<- prometheus.Metric) {
	for kind, st := range c.plugins.Statuses() {
		up := 0.0
		if st.Up() {
			up = 1
		}
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, up, kind)
		ch <- prometheus.MustNewConstMetric(c.restarts, prometheus.CounterValue, float64(st.Restarts), kind)
		ch <- prometheus.MustNewConstMetric(c.scrapeErrors, prometheus.CounterValue, float64(st.ScrapeErrors), kind)
		ch <- prometheus.MustNewConstMetric(c.handoffDropped, prometheus.CounterValue, float64(st.HandoffDropped), kind)
		known := false
		for _, s := range pluginStates {
			v := 0.0
			if st.State == s {
				v, known = 1, true
			}
			ch <- prometheus.MustNewConstMetric(c.stateDsc, prometheus.GaugeValue, v, kind, string(s))
		}
		if !known && st.State != "" {
			ch <- prometheus.MustNewConstMetric(c.stateDsc, prometheus.GaugeValue, 1, kind, string(st.State))
		}
	}
}
