package health_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/host/internal/pluginmgr"
	"github.com/orama-network/orama/host/internal/server"
	"github.com/orama-network/orama/host/internal/server/servertest"
)

func TestHealth(t *testing.T) {
	e := servertest.New(t, nil)
	for _, path := range []string{"/health", "/v1/health"} {
		rec := e.Do(t, "GET", path, "")
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
		}
		var got struct {
			Status string
			Server struct {
				Status    string    `json:"status"`
				StartedAt time.Time `json:"started_at"`
				Uptime    string    `json:"uptime"`
			}
			Plugins map[string]map[string]any
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if got.Status != "ok" || got.Server.Status != "ok" || got.Server.StartedAt.IsZero() || got.Server.Uptime == "" {
			t.Errorf("%s: %s", path, rec.Body)
		}
		p := got.Plugins["cache"]
		if p["status"] != "running" || p["pid"] != 4242.0 || p["restarts"] != 2.0 || p["version"] != "1.2.3" || len(p) != 4 {
			t.Errorf("%s: plugin view %v", path, p)
		}
	}

	for _, state := range []pluginmgr.State{pluginmgr.StateRestarting, pluginmgr.StateFailed, pluginmgr.StateStarting, pluginmgr.StateStopped} {
		st := apitest.RunningCache()
		st.State = state
		e.Plugins.StatusMap["cache"] = st
		rec := e.Do(t, "GET", "/v1/health", "")
		m := apitest.JSONBody(t, rec)
		if rec.Code != http.StatusServiceUnavailable || m["status"] != "degraded" {
			t.Errorf("%s: %d %s", state, rec.Code, rec.Body)
		}
	}
	// Upgrading still takes traffic.
	st := apitest.RunningCache()
	st.State = pluginmgr.StateUpgrading
	e.Plugins.StatusMap["cache"] = st
	if rec := e.Do(t, "GET", "/health", ""); rec.Code != http.StatusOK {
		t.Errorf("upgrading: %d %s", rec.Code, rec.Body)
	}

	// No plugins configured: ok, and plugins is an empty object.
	e.Plugins.StatusMap = nil
	rec := e.Do(t, "GET", "/health", "")
	if m := apitest.JSONBody(t, rec); rec.Code != 200 || m["plugins"] == nil {
		t.Errorf("no plugins: %d %s", rec.Code, rec.Body)
	}
}

func TestStatus(t *testing.T) {
	e := servertest.New(t, func(o *server.Options) {
		o.Peers = func() []string { return []string{"node-2", "node-3"} }
	})
	st := apitest.RunningCache()
	st.Healthy, st.Detail = false, "olric: no quorum"
	e.Plugins.StatusMap["cache"] = st
	for _, path := range []string{"/status", "/v1/status"} {
		rec := e.Do(t, "GET", path, "")
		var got struct {
			Server map[string]any
			Node   struct {
				ID    string
				Peers []string
			}
			Plugins  map[string]map[string]any
			Backends map[string]struct {
				Driver string
				OK     bool
				Detail string
			}
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != 200 {
			t.Fatalf("%s: %d %s %v", path, rec.Code, rec.Body, err)
		}
		if got.Server["started_at"] == nil || got.Server["uptime"] == nil {
			t.Errorf("server %v", got.Server)
		}
		if got.Node.ID != "node-1" || len(got.Node.Peers) != 2 {
			t.Errorf("node %+v", got.Node)
		}
		if got.Plugins["cache"]["status"] != "running" {
			t.Errorf("plugins %v", got.Plugins)
		}
		if b := got.Backends["cache"]; b.Driver != "memory" || b.OK || b.Detail != "olric: no quorum" {
			t.Errorf("backends %+v", got.Backends)
		}
	}

	// Peers nil → [] (never null).
	e = servertest.New(t, nil)
	rec := e.Do(t, "GET", "/v1/status", "")
	var raw struct{ Node map[string]json.RawMessage }
	if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil || string(raw.Node["peers"]) != "[]" {
		t.Errorf("peers: %s", rec.Body)
	}
}

func TestVersion(t *testing.T) {
	e := servertest.New(t, nil)
	rec := e.Do(t, "GET", "/v1/version", "")
	m := apitest.JSONBody(t, rec)
	if rec.Code != 200 || m["version"] != "v0.1.0" || m["commit"] != "abc123" || m["build_time"] != "2026-01-01T00:00:00Z" ||
		m["started_at"] == nil || m["uptime"] == nil {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
}
