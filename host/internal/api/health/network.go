package health

import (
	"net/http"
	"sort"

	"github.com/orama-network/orama/host/internal/api"
)

// The network routes (API.md "Proxy and network") report what this node
// really knows of the others, each peer labelled with where it was seen:
// "gateway" (another node's heartbeat in the shared database), or a plugin
// kind with its driver ("pubsub" over libp2p: connected peers; "cache":
// Olric members; "database": rqlite nodes) from that plugin's last
// readiness probe (about every second).

// networkPeer is one peer as the network routes show it.
type networkPeer struct {
	ID     string `json:"id"`
	Addr   string `json:"addr,omitempty"`
	Role   string `json:"role,omitempty"`
	Source string `json:"source"`           // "gateway" or a plugin kind
	Driver string `json:"driver,omitempty"` // the plugin's backend driver
}

type networkStatus struct {
	NodeID    string        `json:"node_id"`
	Connected bool          `json:"connected"` // at least one peer is known
	PeerCount int           `json:"peer_count"`
	Peers     []networkPeer `json:"peers"`
	Uptime    string        `json:"uptime"`
}

// peers gathers every source, sorted by source then id.
func (h *Handlers) peers() []networkPeer {
	out := []networkPeer{}
	if h.opts.Peers != nil {
		for _, id := range h.opts.Peers() {
			out = append(out, networkPeer{ID: id, Source: "gateway"})
		}
	}
	for kind, st := range h.statuses() {
		for _, p := range st.Peers {
			out = append(out, networkPeer{ID: p.ID, Addr: p.Addr, Role: p.Role, Source: kind, Driver: st.Driver})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Source != out[j].Source {
			return out[i].Source < out[j].Source
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// NetworkStatus (GET /v1/network/status).
func (h *Handlers) NetworkStatus(w http.ResponseWriter, r *http.Request) error {
	peers := h.peers()
	return api.WriteJSON(w, http.StatusOK, networkStatus{
		NodeID: h.opts.NodeID, Connected: len(peers) > 0, PeerCount: len(peers), Peers: peers,
		Uptime: h.serverView("").Uptime,
	})
}

// NetworkPeers (GET /v1/network/peers).
func (h *Handlers) NetworkPeers(w http.ResponseWriter, r *http.Request) error {
	return api.WriteJSON(w, http.StatusOK, map[string]any{"peers": h.peers()})
}
