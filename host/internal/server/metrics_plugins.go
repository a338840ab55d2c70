package server

import (
	"sort"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// withPlugins is what /metrics serves: the plugins' families (gathered
// first, so the host's orama_plugin_scrape_errors_total already counts
// this scrape's failures) and the host's own. A plugin family whose name
// the host serves, or could serve (hostPrefixes: a vector without series
// yet is absent from the host's gathering), is dropped: the host's wins. It never fails because of
// a plugin: plugins' errors are counted, not returned.
type withPlugins struct {
	host    prometheus.Gatherer
	plugins prometheus.Gatherer // nil: none
}

func (g withPlugins) Gather() ([]*dto.MetricFamily, error) {
	if g.plugins == nil {
		return g.host.Gather()
	}
	pfams, _ := g.plugins.Gather()
	hfams, err := g.host.Gather()
	if len(pfams) == 0 {
		return hfams, err
	}
	own := make(map[string]bool, len(hfams))
	for _, f := range hfams {
		own[f.GetName()] = true
	}
	out := hfams
	for _, f := range pfams {
		if !own[f.GetName()] && !hostPrefixed(f.GetName()) {
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].GetName() < out[j].GetName() })
	return out, err
}

// hostPrefixes are the name prefixes of the host's own families.
var hostPrefixes = []string{"orama_http_", "orama_plugin_up", "orama_plugin_state", "orama_plugin_restarts_", "orama_plugin_scrape_", "orama_cache_near_", "orama_access_log_", "go_", "process_", "promhttp_"}

func hostPrefixed(name string) bool {
	for _, p := range hostPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}
