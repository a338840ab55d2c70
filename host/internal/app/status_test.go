package app

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// fakeStatusGateway answers /v1/status and /v1/health with the given health
// status ("ok" or "degraded").
func fakeStatusGateway(t *testing.T, health string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/v1/status":
			_, _ = w.Write([]byte(`{"server":{"started_at":"2026-12-03T10:00:00Z","uptime":"1h2m3s"},
				"node":{"id":"node-1","peers":["node-2","node-3"]},
				"plugins":{"cache":{"status":"running","pid":4242,"restarts":0,"version":"0.5.7"},
				           "database":{"status":"degraded","pid":4243,"restarts":2,"version":"1.0.0"},
				           "storage":{"status":"restarting","pid":0,"restarts":5,"version":""}},
				"backends":{"cache":{"driver":"olric","ok":true,"detail":""},
				            "database":{"driver":"rqlite","ok":false,"detail":"rqlite: no leader\nretrying"},
				            "storage":{"driver":"embedded","ok":false,"detail":""}}}`))
		case "/v1/health":
			if health != "ok" {
				w.WriteHeader(http.StatusServiceUnavailable)
			}
			_, _ = w.Write([]byte(`{"status":"` + health + `"}`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestStatusPrintsNodesPluginsAndBackends(t *testing.T) {
	srv := fakeStatusGateway(t, "ok")
	code, out, errs := run("status", "-gateway", srv.URL)
	if code != 0 {
		t.Fatalf("status: %d %q", code, errs)
	}
	lines := strings.Split(out, "\n")
	want := []string{
		"Gateway " + srv.URL + ": ok, up 1h2m3s",
		"NODE", "node-1  this node", "node-2  peer", "node-3  peer",
		"PLUGIN    STATE       PID   RESTARTS  VERSION  BACKEND   OK   DETAIL",
		"cache     running     4242  0         0.5.7    olric     yes  -",
		"database  degraded    4243  2         1.0.0    rqlite    no   rqlite: no leader retrying",
		"storage   restarting  -     5         -        embedded  no   -",
	}
	for _, w := range want {
		found := false
		for _, l := range lines {
			if strings.HasPrefix(strings.TrimRight(l, " "), w) {
				found = true
			}
		}
		if !found {
			t.Errorf("no line starting %q in:\n%s", w, out)
		}
	}
}

func TestStatusExitCodes(t *testing.T) {
	if code, out, _ := run("status", "-gateway", fakeStatusGateway(t, "degraded").URL); code != 3 || !strings.Contains(out, "degraded") {
		t.Errorf("degraded gateway: %d\n%s", code, out)
	}
	if code, out, _ := run("status", "-gateway", fakeStatusGateway(t, "ok").URL, "-json"); code != 0 || !strings.Contains(out, `"health": "ok"`) {
		t.Errorf("-json: %d\n%s", code, out)
	}
	down := httptest.NewServer(http.NotFoundHandler())
	url := down.URL
	down.Close()
	if code, _, errs := run("status", "-gateway", url); code != 1 || !strings.Contains(errs, "cannot reach the gateway") {
		t.Errorf("unreachable gateway: %d %q", code, errs)
	}
	notGateway := httptest.NewServer(http.NotFoundHandler())
	defer notGateway.Close()
	if code, _, errs := run("status", "-gateway", notGateway.URL); code != 1 || !strings.Contains(errs, "404") {
		t.Errorf("not a gateway: %d %q", code, errs)
	}
	if code, _, errs := run("status", "-gateway", "localhost:6001"); code != 2 || !strings.Contains(errs, "absolute http(s) URL") {
		t.Errorf("bad -gateway: %d %q", code, errs)
	}
	if code, out, _ := run("status", "-h"); code != 0 || !strings.Contains(out, "orama status") {
		t.Errorf("status -h: %d %q", code, out)
	}
}
