package pluginmgr

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/orama-network/orama/host/internal/config"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/proto"
)

// counterFamily is one counter family with one series of value v.
func counterFamily(name string, v float64, labels ...string) *dto.MetricFamily {
	m := &dto.Metric{Counter: &dto.Counter{Value: proto.Float64(v)}}
	for i := 0; i+1 < len(labels); i += 2 {
		m.Label = append(m.Label, &dto.LabelPair{Name: proto.String(labels[i]), Value: proto.String(labels[i+1])})
	}
	return &dto.MetricFamily{Name: proto.String(name), Help: proto.String("h"),
		Type: dto.MetricType_COUNTER.Enum(), Metric: []*dto.Metric{m}}
}

// fakeServing adds a supervisor of kind to m whose current instance
// answers Metrics with metrics.
func fakeServing(m *Manager, kind string, metrics func(ctx context.Context) ([]*dto.MetricFamily, error)) *supervisor {
	s := newSupervisor(m, &config.Plugin{Kind: kind})
	b := newFakeBackend(nil)
	b.metrics = metrics
	s.cur = &instance{backend: b, sup: s, forceKill: b.exit}
	m.sups[kind] = s
	return s
}

func TestGatherLabelsMergesAndSurvivesBadPlugins(t *testing.T) {
	old := scrapeTimeout
	scrapeTimeout = 50 * time.Millisecond
	t.Cleanup(func() { scrapeTimeout = old })

	m := New(Options{})
	fakeServing(m, "cache", func(context.Context) ([]*dto.MetricFamily, error) {
		return []*dto.MetricFamily{counterFamily("orama_x_total", 2, "kind", "read"),
			counterFamily("orama_cache_hits_total", 5)}, nil
	})
	fakeServing(m, "database", func(context.Context) ([]*dto.MetricFamily, error) {
		return []*dto.MetricFamily{counterFamily("orama_x_total", 3, "plugin", "forged")}, nil
	})
	hung := fakeServing(m, "storage", func(ctx context.Context) ([]*dto.MetricFamily, error) {
		<-ctx.Done() // a plugin that never answers
		return nil, ctx.Err()
	})
	failing := fakeServing(m, "auth", func(context.Context) ([]*dto.MetricFamily, error) {
		return nil, errors.New("broken pipe")
	})
	down := fakeServing(m, "pubsub", nil)
	down.cur = nil // restarting

	fams, err := m.Gather()
	if err != nil {
		t.Fatal(err)
	}
	if len(fams) != 2 || fams[0].GetName() != "orama_cache_hits_total" || fams[1].GetName() != "orama_x_total" {
		t.Fatalf("families = %v", fams)
	}
	x := fams[1]
	if len(x.Metric) != 2 {
		t.Fatalf("orama_x_total has %d series, want one per plugin", len(x.Metric))
	}
	got := map[string]float64{}
	for _, mt := range x.Metric {
		labels := map[string]string{}
		for _, l := range mt.Label {
			labels[l.GetName()] = l.GetValue()
		}
		got[labels["plugin"]] = mt.GetCounter().GetValue()
		if labels["plugin"] == "cache" && labels["kind"] != "read" {
			t.Errorf("the plugin's own labels were lost: %v", labels)
		}
	}
	if got["cache"] != 2 || got["database"] != 3 {
		t.Errorf("series by plugin = %v (a plugin may not forge the plugin label)", got)
	}
	st := m.Statuses()
	if st["storage"].ScrapeErrors != 1 || st["auth"].ScrapeErrors != 1 {
		t.Errorf("scrape errors: storage %d, auth %d; want 1 each", hung.snapshot().ScrapeErrors, failing.snapshot().ScrapeErrors)
	}
	if st["cache"].ScrapeErrors != 0 || st["pubsub"].ScrapeErrors != 0 {
		t.Errorf("scrape errors of a good or a down plugin: %d, %d", st["cache"].ScrapeErrors, st["pubsub"].ScrapeErrors)
	}
}

func TestGatherDropsAFamilyOfAnotherType(t *testing.T) {
	m := New(Options{})
	fakeServing(m, "cache", func(context.Context) ([]*dto.MetricFamily, error) {
		return []*dto.MetricFamily{counterFamily("orama_x", 1)}, nil
	})
	db := fakeServing(m, "database", func(context.Context) ([]*dto.MetricFamily, error) {
		f := counterFamily("orama_x", 1)
		f.Type = dto.MetricType_GAUGE.Enum()
		f.Metric[0] = &dto.Metric{Gauge: &dto.Gauge{Value: proto.Float64(1)}}
		return []*dto.MetricFamily{f}, nil
	})
	fams, _ := m.Gather()
	if len(fams) != 1 || len(fams[0].Metric) != 1 || fams[0].GetType() != dto.MetricType_COUNTER {
		t.Fatalf("families = %v", fams)
	}
	if db.snapshot().ScrapeErrors != 1 {
		t.Errorf("the dropped family counted %d scrape errors, want 1", db.snapshot().ScrapeErrors)
	}
}
