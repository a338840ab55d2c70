package plugin_test

import (
	"testing"

	"github.com/orama-network/orama/sdk/plugin"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

var testCounter = plugin.Register(prometheus.NewCounterVec(prometheus.CounterOpts{
	Name: "orama_sdktest_things_total", Help: "Things the test did.",
}, []string{"what"}))

func TestMetricsCrossTheBoundary(t *testing.T) {
	testCounter.WithLabelValues("a").Add(3)
	testCounter.WithLabelValues("b").Inc()
	c := dialBase(t, t.Context(), &fakeBase{})
	fams, err := c.Metrics(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	f := family(fams, "orama_sdktest_things_total")
	if f == nil {
		t.Fatalf("orama_sdktest_things_total not among %d families", len(fams))
	}
	if f.GetType() != dto.MetricType_COUNTER || f.GetHelp() != "Things the test did." || len(f.Metric) != 2 {
		t.Fatalf("family = %v", f)
	}
	got := map[string]float64{}
	for _, m := range f.Metric {
		got[m.Label[0].GetValue()] = m.GetCounter().GetValue()
	}
	if got["a"] < 3 || got["b"] < 1 {
		t.Errorf("values = %v, want a ≥ 3, b ≥ 1", got)
	}
}

func TestRegisterTwiceSharesTheCollector(t *testing.T) {
	again := plugin.Register(prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "orama_sdktest_things_total", Help: "Things the test did.",
	}, []string{"what"}))
	if again != testCounter {
		t.Error("a second registration of an equal collector returned a new one")
	}
}

func family(fams []*dto.MetricFamily, name string) *dto.MetricFamily {
	for _, f := range fams {
		if f.GetName() == name {
			return f
		}
	}
	return nil
}
