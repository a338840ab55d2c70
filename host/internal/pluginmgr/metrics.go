package pluginmgr

import (
	"context"
	"sort"
	"sync"
	"time"

	dto "github.com/prometheus/client_model/go"
)

// scrapeTimeout bounds gathering one plugin's metrics. A variable so tests
// can shorten it.
var scrapeTimeout = 2 * time.Second

// PluginLabel is the label the host adds to every metric a plugin
// exports: the plugin's kind. (Not "kind": domains use that name for their
// own dimensions, e.g. orama_db_statements_total{kind="read"}.)
const PluginLabel = "plugin"

// Gather gathers the metric families of every serving plugin over its
// connection, concurrently, each bounded by scrapeTimeout, and labels
// every metric plugin="<kind>". It never fails: a plugin that is down
// contributes nothing (its state and restarts are in the host's
// orama_plugin_* metrics); one that answers an error, garbage or nothing
// in time contributes nothing and counts a scrape error (Status.
// ScrapeErrors). Families of the same name from two plugins are merged; a
// family whose type differs from the one already gathered under its name
// is dropped and counts a scrape error of its plugin. It implements
// prometheus.Gatherer.
func (m *Manager) Gather() ([]*dto.MetricFamily, error) {
	m.mu.RLock()
	sups := make([]*supervisor, 0, len(m.sups))
	for _, s := range m.sups {
		sups = append(sups, s)
	}
	m.mu.RUnlock()
	sort.Slice(sups, func(i, j int) bool { return sups[i].kind < sups[j].kind })

	got := make([][]*dto.MetricFamily, len(sups))
	var wg sync.WaitGroup
	for i, s := range sups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = s.gatherMetrics()
		}()
	}
	wg.Wait()

	byName := map[string]*dto.MetricFamily{}
	for i, fams := range got {
		for _, f := range fams {
			prev := byName[f.GetName()]
			switch {
			case prev == nil:
				byName[f.GetName()] = f
			case prev.GetType() != f.GetType():
				sups[i].countScrapeError()
			default:
				prev.Metric = append(prev.Metric, f.Metric...)
			}
		}
	}
	out := make([]*dto.MetricFamily, 0, len(byName))
	for _, f := range byName {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].GetName() < out[j].GetName() })
	return out, nil
}

// gatherMetrics gathers the current instance's families labelled with the
// plugin's kind; nil when the plugin is down or the scrape failed.
func (s *supervisor) gatherMetrics() []*dto.MetricFamily {
	s.mu.Lock()
	inst := s.cur
	s.mu.Unlock()
	if inst == nil {
		return nil
	}
	select {
	case <-inst.backend.Done(): // gone; the supervisor is about to notice
		return nil
	default:
	}
	ctx, cancel := context.WithTimeout(s.ctx, scrapeTimeout)
	defer cancel()
	fams, err := inst.backend.Metrics(ctx)
	if err != nil {
		s.countScrapeError()
		s.log.Debug("gathering metrics", "error", err)
		return nil
	}
	for _, f := range fams {
		if f.GetName() == "" || len(f.Metric) == 0 {
			continue
		}
		for _, mt := range f.Metric {
			mt.Label = withLabel(mt.Label, PluginLabel, s.kind)
		}
	}
	return fams
}

func (s *supervisor) countScrapeError() {
	s.mu.Lock()
	s.status.ScrapeErrors++
	s.mu.Unlock()
}

// withLabel sets name=value in labels (replacing a label of that name the
// plugin set itself), keeping them sorted by name.
func withLabel(labels []*dto.LabelPair, name, value string) []*dto.LabelPair {
	out := make([]*dto.LabelPair, 0, len(labels)+1)
	for _, l := range labels {
		if l.GetName() != name {
			out = append(out, l)
		}
	}
	n, v := name, value
	out = append(out, &dto.LabelPair{Name: &n, Value: &v})
	sort.Slice(out, func(i, j int) bool { return out[i].GetName() < out[j].GetName() })
	return out
}
