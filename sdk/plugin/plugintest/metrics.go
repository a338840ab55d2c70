package plugintest

import (
	"testing"

	"github.com/orama-network/orama/sdk/plugin"
	dto "github.com/prometheus/client_model/go"
)

// Metric returns the sum over the series of the family name registered on
// plugin.Metrics whose labels include labels (name, value pairs): a
// counter's or gauge's value, a histogram's sample count. It fails the
// test when the family does not exist.
func Metric(t testing.TB, name string, labels ...string) float64 {
	t.Helper()
	fams, err := plugin.Gatherer().Gather()
	if err != nil {
		t.Fatalf("gather metrics: %v", err)
	}
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
		sum := 0.0
		for _, m := range f.Metric {
			if hasLabels(m, labels) {
				sum += value(m)
			}
		}
		return sum
	}
	t.Fatalf("no metric family %s", name)
	return 0
}

func hasLabels(m *dto.Metric, labels []string) bool {
	for i := 0; i+1 < len(labels); i += 2 {
		found := false
		for _, l := range m.Label {
			if l.GetName() == labels[i] && l.GetValue() == labels[i+1] {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func value(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Histogram != nil:
		return float64(m.Histogram.GetSampleCount())
	case m.Summary != nil:
		return float64(m.Summary.GetSampleCount())
	case m.Untyped != nil:
		return m.Untyped.GetValue()
	}
	return 0
}
