package server

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/proto"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/host/internal/pluginmgr"
)

func TestMetricsExposition(t *testing.T) {
	e := newTestEnv(t, nil)
	e.do(t, "POST", "/v1/cache/put", `{"dmap":"d","key":"k","value":1}`)
	e.do(t, "POST", "/v1/cache/get", `{"dmap":"d","key":"k"}`)
	e.do(t, "POST", "/v1/cache/get", `{"dmap":"d","key":"k"}`)
	e.do(t, "POST", "/v1/cache/get", `{"dmap":"d","key":"missing"}`)
	e.do(t, "GET", "/random/path/1", "")
	e.do(t, "BREW", "/v1/cache/get", "")
	e.do(t, "OPTIONS", "/v1/cache/get", "", "Origin", "https://app.example", "Access-Control-Request-Method", "POST")
	restarting := apitest.RunningCache()
	restarting.State, restarting.Restarts = pluginmgr.StateRestarting, 7
	e.plugins.StatusMap["database"] = restarting

	rec := e.do(t, "GET", "/metrics", "")
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	for _, want := range []string{
		`orama_http_requests_total{method="POST",route="/v1/cache/get",status="200"} 2`,
		`orama_http_requests_total{method="POST",route="/v1/cache/get",status="404"} 1`,
		`orama_http_requests_total{method="POST",route="/v1/cache/put",status="200"} 1`,
		`orama_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`orama_http_requests_total{method="OTHER",route="unmatched",status="405"}`,
		`orama_http_requests_total{method="OPTIONS",route="preflight",status="204"} 1`,
		`orama_http_request_duration_seconds_count{method="POST",route="/v1/cache/get"} 3`,
		`orama_plugin_up{plugin="cache"} 1`,
		`orama_plugin_up{plugin="database"} 0`,
		`orama_plugin_restarts_total{plugin="cache"} 2`,
		`orama_plugin_restarts_total{plugin="database"} 7`,
		`orama_plugin_state{plugin="cache",state="running"} 1`,
		`orama_plugin_state{plugin="cache",state="failed"} 0`,
		`orama_plugin_state{plugin="database",state="restarting"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, "/random/path") || strings.Contains(body, "BREW") {
		t.Error("metrics carry a raw path or method")
	}
}

func TestMetricsSharedRegistry(t *testing.T) {
	reg := prometheus.NewRegistry()
	a := newTestEnv(t, func(o *Options) { o.Registry = reg })
	b := newTestEnv(t, func(o *Options) { o.Registry = reg })
	a.do(t, "GET", "/v1/version", "")
	b.do(t, "GET", "/v1/version", "")
	rec := a.do(t, "GET", "/metrics", "")
	if !strings.Contains(rec.Body.String(), `orama_http_requests_total{method="GET",route="/v1/version",status="200"} 2`) {
		t.Errorf("shared registry:\n%s", rec.Body)
	}
	if strings.Contains(rec.Body.String(), "go_goroutines") {
		t.Error("a caller's registry got the Go collector added")
	}
}

// pluginFamilies is a PluginMetrics gatherer answering fams.
type pluginFamilies []*dto.MetricFamily

func (p pluginFamilies) Gather() ([]*dto.MetricFamily, error) { return p, nil }

func TestMetricsServeThePluginsFamilies(t *testing.T) {
	counter := func(name string, v float64) *dto.MetricFamily {
		return &dto.MetricFamily{Name: proto.String(name), Help: proto.String("from a plugin"),
			Type: dto.MetricType_COUNTER.Enum(), Metric: []*dto.Metric{{
				Label:   []*dto.LabelPair{{Name: proto.String("plugin"), Value: proto.String("cache")}},
				Counter: &dto.Counter{Value: proto.Float64(v)}}}}
	}
	e := newTestEnv(t, func(o *Options) {
		o.PluginMetrics = pluginFamilies{counter("orama_cache_hits_total", 42), counter("orama_http_requests_total", 99)}
	})
	e.do(t, "GET", "/health", "")
	rec := e.do(t, "GET", "/metrics", "")
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	for _, want := range []string{
		`orama_cache_hits_total{plugin="cache"} 42`,
		`orama_plugin_scrape_errors_total{plugin="cache"} 0`,
		`orama_http_requests_total{method="GET",route="/health"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, "from a plugin\n# TYPE orama_http_requests_total") || strings.Contains(body, `orama_http_requests_total{plugin="cache"}`) {
		t.Error("a plugin family shadowed the host's family of the same name")
	}
}

func TestMetricsCountRefusalsRateLimitsAndKeyCache(t *testing.T) {
	e := newAuthEnv(t, func(o *Options) {
		o.RateLimits = map[string]RateLimit{GroupDefault: {IPRequestsPerSecond: 1, IPBurst: 1}}
	})
	get := `{"dmap":"d","key":"k"}`
	e.doFrom(t, "198.51.100.1:1", "POST", "/v1/cache/get", get)                                // missing credential
	e.doFrom(t, "198.51.100.2:1", "POST", "/v1/cache/get", get, "X-API-Key", "ak_wrong")       // bad credential
	e.doFrom(t, "198.51.100.3:1", "POST", "/v1/cache/get", get, "X-API-Key", apitest.KeyAlpha) // key cache miss
	e.doFrom(t, "198.51.100.4:1", "POST", "/v1/cache/get", get, "X-API-Key", apitest.KeyAlpha) // hit
	e.doFrom(t, "198.51.100.5:1", "GET", "/v1/version", "")
	if rec := e.doFrom(t, "198.51.100.5:1", "GET", "/v1/version", ""); rec.Code != 429 {
		t.Fatalf("second request over a burst of 1: %d", rec.Code)
	}
	body := e.doFrom(t, "198.51.100.6:1", "GET", "/metrics", "").Body.String()
	for _, want := range []string{
		`orama_auth_refusals_total{reason="missing_credential"} 1`,
		`orama_auth_refusals_total{reason="bad_credential"} 1`,
		`orama_auth_refusals_total{reason="reserved_namespace"} 0`,
		`orama_auth_key_cache_misses_total 2`, // the wrong key and the first alpha
		`orama_auth_key_cache_hits_total 1`,
		`orama_ratelimited_requests_total{group="default",limit="ip"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}
