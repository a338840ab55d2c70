// Package health is the HTTP adapter of the host's own state: /health,
// /v1/status and /v1/version (API.md "Health and status"), from the
// plugin manager's statuses and the build and node facts the server is
// given.
package health

import (
	"net/http"
	"time"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/host/internal/pluginmgr"
)

// Handlers serves the health, status and version routes.
type Handlers struct {
	statuses func() map[string]pluginmgr.Status
	opts     Options
	started  time.Time
}

// Options are the facts the routes report besides the plugins' statuses.
type Options struct {
	NodeID                     string
	Peers                      func() []string // the node's peers for /v1/status; may be nil
	Version, Commit, BuildTime string
}

// New returns the handlers: statuses gives every configured plugin's
// status keyed by kind; started is when the server started.
func New(statuses func() map[string]pluginmgr.Status, opts Options, started time.Time) *Handlers {
	return &Handlers{statuses: statuses, opts: opts, started: started}
}

// serverView is the host's own part of /health and /v1/status.
type serverView struct {
	Status    string    `json:"status,omitempty"`
	StartedAt time.Time `json:"started_at"`
	Uptime    string    `json:"uptime"`
}

// pluginView is one plugin in /health and /v1/status.
type pluginView struct {
	Status   string `json:"status"`
	PID      int    `json:"pid"`
	Restarts int    `json:"restarts"`
	Version  string `json:"version"`
}

// backendView is one plugin's backend in /v1/status.
type backendView struct {
	Driver string `json:"driver"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

type healthResponse struct {
	Status  string                `json:"status"`
	Server  serverView            `json:"server"`
	Plugins map[string]pluginView `json:"plugins"`
}

type statusResponse struct {
	Server   serverView             `json:"server"`
	Node     nodeView               `json:"node"`
	Plugins  map[string]pluginView  `json:"plugins"`
	Backends map[string]backendView `json:"backends"`
}

type nodeView struct {
	ID    string   `json:"id"`
	Peers []string `json:"peers"`
}

type versionResponse struct {
	Version   string    `json:"version"`
	Commit    string    `json:"commit"`
	BuildTime string    `json:"build_time"`
	StartedAt time.Time `json:"started_at"`
	Uptime    string    `json:"uptime"`
}

// Health (GET /health, /v1/health) answers 200 "ok", or 503 "degraded" when a configured
// plugin cannot take traffic.
func (h *Handlers) Health(w http.ResponseWriter, r *http.Request) error {
	statuses := h.statuses()
	resp := healthResponse{
		Status:  "ok",
		Server:  h.serverView("ok"),
		Plugins: make(map[string]pluginView, len(statuses)),
	}
	code := http.StatusOK
	for kind, st := range statuses {
		resp.Plugins[kind] = pluginView{Status: string(st.State), PID: st.PID, Restarts: st.Restarts, Version: st.Version}
		if !st.Up() {
			resp.Status, code = "degraded", http.StatusServiceUnavailable
		}
	}
	return api.WriteJSON(w, code, resp)
}

// Status (GET /status, /v1/status) reports the node, every plugin and its backend.
func (h *Handlers) Status(w http.ResponseWriter, r *http.Request) error {
	statuses := h.statuses()
	resp := statusResponse{
		Server:   h.serverView(""),
		Node:     nodeView{ID: h.opts.NodeID, Peers: []string{}},
		Plugins:  make(map[string]pluginView, len(statuses)),
		Backends: make(map[string]backendView, len(statuses)),
	}
	if h.opts.Peers != nil {
		if peers := h.opts.Peers(); peers != nil {
			resp.Node.Peers = peers
		}
	}
	for kind, st := range statuses {
		resp.Plugins[kind] = pluginView{Status: string(st.State), PID: st.PID, Restarts: st.Restarts, Version: st.Version}
		resp.Backends[kind] = backendView{Driver: st.Driver, OK: st.Healthy, Detail: st.Detail}
	}
	return api.WriteJSON(w, http.StatusOK, resp)
}

// Version (GET /v1/version) reports the build and the uptime.
func (h *Handlers) Version(w http.ResponseWriter, r *http.Request) error {
	v := h.serverView("")
	return api.WriteJSON(w, http.StatusOK, versionResponse{
		Version: h.opts.Version, Commit: h.opts.Commit, BuildTime: h.opts.BuildTime,
		StartedAt: v.StartedAt, Uptime: v.Uptime,
	})
}

func (h *Handlers) serverView(status string) serverView {
	return serverView{
		Status:    status,
		StartedAt: h.started.UTC().Truncate(time.Second),
		Uptime:    time.Since(h.started).Truncate(time.Second).String(),
	}
}
