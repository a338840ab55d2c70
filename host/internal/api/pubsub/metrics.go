package pubsub

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/orama-network/orama/sdk"
)

// Label values (bounded sets: no namespace or topic labels).
const (
	sourceHTTP = "http" // POST /v1/pubsub/publish
	sourceWS   = "ws"   // a client frame

	// close reasons
	closeClient   = "client"   // the client closed, or its connection ended
	closeSlow     = "slow"     // send queue stayed full (1008)
	closeTooBig   = "too_big"  // frame over the limit (1009)
	closeUTF8     = "utf8"     // invalid UTF-8 in a text frame (1007)
	closeShutdown = "shutdown" // server shutting down (1001)
	closeError    = "error"    // write or ping failed, or the subscription failed for good
)

// metrics are the pubsub metrics of a Hub.
type metrics struct {
	sockets      prometheus.Gauge
	subs         prometheus.Gauge
	delivered    prometheus.Counter
	writes       prometheus.Counter
	dropped      *prometheus.CounterVec // reason
	resubscribes prometheus.Counter
	publishes    *prometheus.CounterVec // source, result
	closed       *prometheus.CounterVec // reason
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		sockets: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "orama_pubsub_sockets", Help: "PubSub WebSockets open on this host."}),
		subs: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "orama_pubsub_subscriptions", Help: "Plugin subscriptions of this host: one per (namespace, topic) with a local socket."}),
		delivered: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "orama_pubsub_delivered_total", Help: "Frames queued to PubSub WebSockets."}),
		writes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "orama_pubsub_socket_writes_total", Help: "Write system calls to PubSub WebSockets carrying frames; delivered frames per write show how well they are batched (flush_interval)."}),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "orama_pubsub_dropped_total",
			Help: "Frames not delivered to a WebSocket, by reason: queue_full (the socket's send queue was full), encode (the frame could not be encoded), resubscribing (published through this host while the topic's plugin subscription was being made again)."},
			[]string{"reason"}),
		resubscribes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "orama_pubsub_resubscribes_total",
			Help: "Plugin subscriptions made again after the plugin went away; messages published in the gap were lost."}),
		publishes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "orama_pubsub_publishes_total",
			Help: "Publishes by source (http, ws) and result (ok, unavailable: refused while the plugin was down, error)."},
			[]string{"source", "result"}),
		closed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "orama_pubsub_closed_total",
			Help: "PubSub WebSockets closed, by reason: client, slow (1008), too_big (1009), utf8 (1007), shutdown (1001), error."},
			[]string{"reason"}),
	}
	if reg != nil {
		m.sockets = register(reg, m.sockets)
		m.subs = register(reg, m.subs)
		m.delivered = register(reg, m.delivered)
		m.writes = register(reg, m.writes)
		m.dropped = register(reg, m.dropped)
		m.resubscribes = register(reg, m.resubscribes)
		m.publishes = register(reg, m.publishes)
		m.closed = register(reg, m.closed)
	}
	// Children exist from the start, so /metrics lists them at 0.
	m.dropped.WithLabelValues("queue_full")
	m.dropped.WithLabelValues("resubscribing")
	for _, src := range []string{sourceHTTP, sourceWS} {
		for _, res := range []string{"ok", "unavailable", "error"} {
			m.publishes.WithLabelValues(src, res)
		}
	}
	for _, r := range []string{closeClient, closeSlow, closeTooBig, closeUTF8, closeShutdown, closeError} {
		m.closed.WithLabelValues(r)
	}
	return m
}

// register registers c, or returns the collector already registered under
// its name (a second Hub on one registry shares the metrics). A clash with
// a foreign collector leaves c unregistered.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	err := reg.Register(c)
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		if existing, ok := are.ExistingCollector.(C); ok {
			return existing
		}
	}
	return c
}

// published counts one publish by its outcome.
func (m *metrics) published(source string, err error) {
	res := "ok"
	switch {
	case err == nil:
	case sdk.AsError(err).Code == sdk.CodeUnavailable:
		res = "unavailable"
	default:
		res = "error"
	}
	m.publishes.WithLabelValues(source, res).Inc()
}
