package e2e

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/orama-network/orama/sdk/serverless/serverlesstest"
)

// metricsOf is one scrape of a host's /metrics, by family name.
type metricsOf map[string]*dto.MetricFamily

// scrape reads /metrics; it fails the test unless it answers 200 with
// valid text exposition.
func (h *host) scrape() metricsOf {
	h.t.Helper()
	resp, err := http.Get(h.URL + "/metrics")
	if err != nil {
		h.t.Fatalf("GET /metrics: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		h.t.Fatalf("GET /metrics: %d", resp.StatusCode)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		h.t.Fatalf("parse /metrics: %v", err)
	}
	return fams
}

// value sums the series of name whose labels include labels (pairs): a
// counter's or gauge's value, a histogram's count; ok is false when the
// family or every matching series is absent.
func (m metricsOf) value(name string, labels ...string) (sum float64, ok bool) {
	f := m[name]
	if f == nil {
		return 0, false
	}
	for _, mt := range f.Metric {
		match := true
		for i := 0; i+1 < len(labels); i += 2 {
			found := false
			for _, l := range mt.Label {
				found = found || l.GetName() == labels[i] && l.GetValue() == labels[i+1]
			}
			match = match && found
		}
		if !match {
			continue
		}
		ok = true
		switch {
		case mt.Counter != nil:
			sum += mt.Counter.GetValue()
		case mt.Gauge != nil:
			sum += mt.Gauge.GetValue()
		case mt.Histogram != nil:
			sum += float64(mt.Histogram.GetSampleCount())
		case mt.Untyped != nil:
			sum += mt.Untyped.GetValue()
		}
	}
	return sum, ok
}

// pluginKinds are the plugins of the metrics host.
var pluginKinds = []string{"auth", "cache", "database", "pubsub", "serverless", "storage"}

// TestMetricsAcrossPlugins runs one gateway with every plugin (SQLite,
// embedded Olric, embedded storage, local pubsub, auth with simple keys,
// serverless), the near cache on and a per-IP limit on the cache routes,
// drives every domain over HTTP and reads /metrics: each domain's
// families, gathered from inside the plugin processes and labelled with
// the plugin, exist and moved; the dashboard names only families that
// exist; a plugin killed with SIGKILL or stopped with SIGSTOP costs only
// its own families (and a scrape error), never the scrape.
func TestMetricsAcrossPlugins(t *testing.T) {
	h := startFnHostServer(t, nearServer+`  rate_limit "cache" {
    requests_per_second = 0.001
    burst               = 8
  }
`, "")
	wantOK := func(what string, r reply, codes ...int) {
		t.Helper()
		if !wantStatus(t, what, r, codes...) {
			t.FailNow()
		}
	}
	// Traffic in every domain, with alpha's API key.
	wantOK("cache put", h.send(http.MethodPost, "/v1/cache/put", map[string]any{"dmap": "m", "key": "k", "value": 1}, h.alpha...), 200)
	wantOK("cache get", h.send(http.MethodPost, "/v1/cache/get", map[string]any{"dmap": "m", "key": "k"}, h.alpha...), 200)
	wantOK("cache miss", h.send(http.MethodPost, "/v1/cache/get", map[string]any{"dmap": "m", "key": "absent"}, h.alpha...), 404)
	wantOK("create table", h.send(http.MethodPost, "/v1/rqlite/create-table", map[string]any{"schema": "CREATE TABLE t (n INTEGER)"}, h.alpha...), 201)
	wantOK("insert", h.send(http.MethodPost, "/v1/rqlite/exec", map[string]any{"sql": "INSERT INTO t VALUES (1), (2)"}, h.alpha...), 200)
	wantOK("query", h.send(http.MethodPost, "/v1/rqlite/query", map[string]any{"sql": "SELECT n FROM t"}, h.alpha...), 200)
	up := h.send(http.MethodPost, "/v1/storage/upload", map[string]any{"name": "m.txt", "data": base64.StdEncoding.EncodeToString([]byte("metrics\n"))}, h.alpha...)
	wantOK("upload", up, 200)
	if resp, body := h.request(http.MethodGet, "/v1/storage/get/"+up.str("cid"), nil, h.alpha...); resp.StatusCode != 200 || string(body) != "metrics\n" {
		t.Fatalf("storage get: %d %q", resp.StatusCode, body)
	}
	wantOK("publish", h.publish("m", []byte("hi"), h.alpha...), 200)
	h.mustDeploy("echo", serverlesstest.Module(t, "echo"))
	wantOK("invoke", h.invoke("/v1/functions/echo/invoke", `{"a":1}`, h.alpha...), 200)
	wantOK("no credential", h.send(http.MethodPost, "/v1/rqlite/query", map[string]any{"sql": "SELECT 1"}), 401)
	wantOK("bad credential", h.send(http.MethodPost, "/v1/rqlite/query", map[string]any{"sql": "SELECT 1"}, apiKey("ak_wrong")...), 401)
	limited := false
	for i := 0; i < 10 && !limited; i++ { // a burst of 8 per IP on the cache routes
		limited = h.send(http.MethodPost, "/v1/cache/get", map[string]any{"dmap": "m", "key": "k"}, h.alpha...).code == http.StatusTooManyRequests
	}
	if !limited {
		t.Fatal("the cache routes never answered 429 past their burst")
	}

	m := h.scrape()
	t.Run("families move with traffic", func(t *testing.T) {
		for _, c := range []struct {
			name   string
			labels []string
		}{
			{"orama_cache_hits_total", []string{"plugin", "cache"}},
			{"orama_cache_misses_total", []string{"plugin", "cache"}},
			{"orama_cache_op_duration_seconds", []string{"plugin", "cache", "op", "put"}},
			{"orama_cache_entries", []string{"plugin", "cache"}},
			{"orama_db_statements_total", []string{"plugin", "database", "kind", "read"}},
			{"orama_db_statements_total", []string{"plugin", "database", "kind", "write"}},
			{"orama_db_statement_duration_seconds", []string{"plugin", "database"}},
			{"orama_db_rows_returned_total", []string{"plugin", "database"}},
			{"orama_db_rows_affected_total", []string{"plugin", "database"}},
			{"orama_storage_bytes_in_total", []string{"plugin", "storage"}},
			{"orama_storage_bytes_out_total", []string{"plugin", "storage"}},
			{"orama_storage_pins_total", []string{"plugin", "storage"}},
			{"orama_pubsub_backend_publishes_total", []string{"plugin", "pubsub", "result", "ok"}},
			{"orama_pubsub_publishes_total", []string{"source", "http", "result", "ok"}},
			{"orama_functions_invocations_total", []string{"plugin", "serverless", "outcome", "success"}},
			{"orama_functions_duration_seconds", []string{"plugin", "serverless"}},
			{"orama_functions_memory_high_water_bytes", []string{"plugin", "serverless"}},
			{"orama_auth_sign_ins_total", []string{"plugin", "auth", "method", "simple_key", "result", "ok"}},
			{"orama_auth_key_validations_total", []string{"plugin", "auth", "result", "valid"}},
			{"orama_auth_refusals_total", []string{"reason", "missing_credential"}},
			{"orama_auth_refusals_total", []string{"reason", "bad_credential"}},
			{"orama_auth_key_cache_hits_total", nil},
			{"orama_auth_key_cache_misses_total", nil},
			{"orama_ratelimited_requests_total", []string{"group", "cache", "limit", "ip"}},
		} {
			if v, ok := m.value(c.name, c.labels...); !ok || v <= 0 {
				t.Errorf("%s%v = %v (present %v), want > 0", c.name, c.labels, v, ok)
			}
		}
		// The serverless plugin reads its modules through the host API
		// from the storage plugin: hits or misses moved, whichever.
		hits, _ := m.value("orama_functions_compile_cache_hits_total", "plugin", "serverless")
		misses, _ := m.value("orama_functions_compile_cache_misses_total", "plugin", "serverless")
		if hits+misses < 1 {
			t.Errorf("compile cache lookups = %v, want ≥ 1", hits+misses)
		}
		for _, name := range []string{"orama_cache_evictions_total", "orama_rqlite_leader_changes_total",
			"orama_storage_gc_runs_total", "orama_pubsub_backend_subscribers", "orama_pubsub_backend_dropped_total"} {
			if _, ok := m.value(name); !ok {
				t.Errorf("%s is missing", name)
			}
		}
		for _, kind := range pluginKinds { // every plugin process is gathered
			if v, ok := m.value("orama_plugin_go_goroutines", "plugin", kind); !ok || v <= 0 {
				t.Errorf("orama_plugin_go_goroutines{plugin=%q} = %v, %v", kind, v, ok)
			}
			if v, ok := m.value("orama_plugin_scrape_errors_total", "plugin", kind); !ok || v != 0 {
				t.Errorf("orama_plugin_scrape_errors_total{plugin=%q} = %v, %v; want 0", kind, v, ok)
			}
		}
	})

	t.Run("dashboard names only existing families", func(t *testing.T) {
		for _, name := range dashboardMetrics(t) {
			if m[name] == nil && m[strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, "_bucket"), "_count"), "_sum")] == nil {
				t.Errorf("deploy/grafana/orama.json uses %s, which /metrics does not serve", name)
			}
		}
	})

	t.Run("a plugin killed with SIGKILL", func(t *testing.T) {
		before, _ := m.value("orama_cache_hits_total", "plugin", "cache")
		_, doc := h.health()
		pid := doc.Plugins["cache"].PID
		if pid <= 0 {
			t.Fatalf("no cache plugin pid in %+v", doc)
		}
		if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		during := h.scrape() // 200 with the others' families
		if _, ok := during.value("orama_db_statements_total", "plugin", "database"); !ok {
			t.Error("the database plugin's families are gone while the cache plugin is down")
		}
		h.waitHealthy(60 * time.Second)
		after := h.scrape()
		if v, _ := after.value("orama_plugin_restarts_total", "plugin", "cache"); v < 1 {
			t.Errorf("orama_plugin_restarts_total{plugin=cache} = %v after a kill", v)
		}
		if v, ok := after.value("orama_cache_hits_total", "plugin", "cache"); !ok || v >= before {
			t.Errorf("orama_cache_hits_total{plugin=cache} = %v (present %v) after the restart, want the reset counter below %v", v, ok, before)
		}
	})

	t.Run("a plugin stopped with SIGSTOP", func(t *testing.T) {
		// The scrape waits at most its timeout for the stopped plugin;
		// the supervisor kills and restarts it meanwhile (about 1.2 s).
		// A scrape that begins after the kill sees no instance and counts
		// nothing, so try again with the next instance.
		for try := 0; ; try++ {
			_, doc := h.health()
			pid := doc.Plugins["pubsub"].PID
			if pid <= 0 {
				h.waitHealthy(60 * time.Second)
				continue
			}
			if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
				t.Fatal(err)
			}
			s := h.scrape()
			_ = syscall.Kill(pid, syscall.SIGCONT) // if it is still there
			if _, ok := s.value("orama_db_statements_total", "plugin", "database"); !ok {
				t.Error("the database plugin's families are gone while the pubsub plugin is stopped")
			}
			if v, _ := s.value("orama_plugin_scrape_errors_total", "plugin", "pubsub"); v >= 1 {
				break
			}
			if try == 4 {
				t.Fatal("five scrapes of a stopped pubsub plugin counted no scrape error")
			}
			h.waitHealthy(60 * time.Second)
		}
		h.waitHealthy(60 * time.Second)
	})
}

// dashboardMetrics returns the metric names the dashboard's queries use.
func dashboardMetrics(t *testing.T) []string {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(root, "deploy", "grafana", "orama.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("deploy/grafana/orama.json: %v", err)
	}
	names := map[string]bool{}
	re := regexp.MustCompile(`\b(?:orama|process|go)_[a-z0-9_]+\b`)
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			for _, n := range re.FindAllString(tg.Expr, -1) {
				names[n] = true
			}
		}
	}
	if len(names) < 20 {
		t.Fatalf("the dashboard names %d metrics; its queries were not read", len(names))
	}
	out := make([]string, 0, len(names))
	for n := range names {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
