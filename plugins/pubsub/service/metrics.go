package service

import (
	"sync"

	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/pubsub"
	"github.com/prometheus/client_golang/prometheus"
)

// The pubsub plugin's metrics, served by the host on /metrics with
// plugin="pubsub": the backend's view (messages of every node, for
// libp2p). The host's own orama_pubsub_* count its WebSockets. No
// namespace or topic labels.
var (
	metricPublishes = plugin.Register(prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "orama_pubsub_backend_publishes_total", Help: "Publishes the pubsub backend took, by result (ok, error).",
	}, []string{"result"}))
	metricDeliveries = plugin.Register(prometheus.NewCounter(prometheus.CounterOpts{
		Name: "orama_pubsub_backend_deliveries_total",
		Help: "Messages and presence events the backend delivered to this node's subscriptions (from any node).",
	}))
	metricDropped = plugin.Register(prometheus.NewCounter(prometheus.CounterOpts{
		Name: "orama_pubsub_backend_dropped_total",
		Help: "Messages the backend dropped because a subscription's queue was full.",
	}))
	metricSubscribers = plugin.Register(prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "orama_pubsub_backend_subscribers", Help: "Subscriptions open in the backend (the host holds one per namespace and topic with local sockets).",
	}))
)

// The publishes' series, looked up once.
var (
	publishedOK    = metricPublishes.WithLabelValues("ok")
	publishedError = metricPublishes.WithLabelValues("error")
)

// countedSub counts a subscription's deliveries and keeps the open
// subscriptions gauge.
type countedSub struct {
	pubsub.Subscription
	once sync.Once
}

func newCountedSub(sub pubsub.Subscription) *countedSub {
	metricSubscribers.Inc()
	return &countedSub{Subscription: sub}
}

func (c *countedSub) Next() (pubsub.Message, error) {
	m, err := c.Subscription.Next()
	if err == nil {
		metricDeliveries.Inc()
	}
	return m, err
}

func (c *countedSub) Close() error {
	c.once.Do(metricSubscribers.Dec)
	return c.Subscription.Close()
}
