package service_test

import (
	"testing"

	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

func TestMetricsMoveWithTraffic(t *testing.T) {
	s := configured(t, `{"driver": "local", "queue_len": 1}`)
	ctx := t.Context()
	m := func(name string, labels ...string) float64 { return plugintest.Metric(t, name, labels...) }
	pubs, deliveries, dropped := m("orama_pubsub_backend_publishes_total", "result", "ok"), m("orama_pubsub_backend_deliveries_total"), m("orama_pubsub_backend_dropped_total")
	subs := m("orama_pubsub_backend_subscribers")

	sub, err := s.Subscribe(ctx, "ns", "t")
	if err != nil {
		t.Fatal(err)
	}
	if got := m("orama_pubsub_backend_subscribers") - subs; got != 1 {
		t.Errorf("subscribers moved by %v with one open, want 1", got)
	}
	for _, d := range []string{"a", "b", "c"} { // a queue of 1: one kept, two dropped
		if err := s.Publish(ctx, "ns", "t", []byte(d)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := sub.Next(); err != nil {
		t.Fatal(err)
	}
	_ = sub.Close()
	_ = sub.Close()

	for _, c := range []struct {
		what      string
		got, want float64
	}{
		{"publishes", m("orama_pubsub_backend_publishes_total", "result", "ok") - pubs, 3},
		{"deliveries", m("orama_pubsub_backend_deliveries_total") - deliveries, 1},
		{"dropped", m("orama_pubsub_backend_dropped_total") - dropped, 2},
		{"subscribers after close", m("orama_pubsub_backend_subscribers") - subs, 0},
	} {
		if c.got != c.want {
			t.Errorf("%s moved by %v, want %v", c.what, c.got, c.want)
		}
	}
}
