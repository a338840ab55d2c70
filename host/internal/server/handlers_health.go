package server

import (
	"net/http"
	"time"

	"github.com/orama-network/orama/host/internal/api"
)

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

// handleHealth answers 200 "ok", or 503 "degraded" when a configured
// plugin cannot take traffic.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) error {
	statuses := s.plugins.Statuses()
	resp := healthResponse{
		Status:  "ok",
		Server:  s.serverView("ok"),
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

func (s *Server) handleStatus(w http.ResponseWriter, r *http.Request) error {
	statuses := s.plugins.Statuses()
	resp := statusResponse{
		Server:   s.serverView(""),
		Node:     nodeView{ID: s.opts.NodeID, Peers: []string{}},
		Plugins:  make(map[string]pluginView, len(statuses)),
		Backends: make(map[string]backendView, len(statuses)),
	}
	if s.opts.Peers != nil {
		if peers := s.opts.Peers(); peers != nil {
			resp.Node.Peers = peers
		}
	}
	for kind, st := range statuses {
		resp.Plugins[kind] = pluginView{Status: string(st.State), PID: st.PID, Restarts: st.Restarts, Version: st.Version}
		resp.Backends[kind] = backendView{Driver: st.Driver, OK: st.Healthy, Detail: st.Detail}
	}
	return api.WriteJSON(w, http.StatusOK, resp)
}

func (s *Server) handleVersion(w http.ResponseWriter, r *http.Request) error {
	v := s.serverView("")
	return api.WriteJSON(w, http.StatusOK, versionResponse{
		Version: s.opts.Version, Commit: s.opts.Commit, BuildTime: s.opts.BuildTime,
		StartedAt: v.StartedAt, Uptime: v.Uptime,
	})
}

func (s *Server) serverView(status string) serverView {
	return serverView{
		Status:    status,
		StartedAt: s.started.UTC().Truncate(time.Second),
		Uptime:    time.Since(s.started).Truncate(time.Second).String(),
	}
}
