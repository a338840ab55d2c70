package plugin

import pluginv1 "github.com/orama-network/orama/sdk/gen/orama/plugin/v1"

// MaxPeers bounds the peers one Health carries; more are left out.
const MaxPeers = 1000

// Peer is one member of a backend's cluster as this node sees it (see
// Health.Peers).
type Peer struct {
	ID   string `json:"id"`             // the backend's name for it: libp2p peer id, Olric member, rqlite node id
	Addr string `json:"addr,omitempty"` // where it is reached, when known
	Role string `json:"role,omitempty"` // e.g. "leader", "voter"; "" when the backend has none
}

func peersToProto(ps []Peer) []*pluginv1.Peer {
	if len(ps) > MaxPeers {
		ps = ps[:MaxPeers]
	}
	out := make([]*pluginv1.Peer, len(ps))
	for i, p := range ps {
		out[i] = &pluginv1.Peer{Id: p.ID, Addr: p.Addr, Role: p.Role}
	}
	return out
}

func peersFromProto(ps []*pluginv1.Peer) []Peer {
	if len(ps) > MaxPeers {
		ps = ps[:MaxPeers]
	}
	out := make([]Peer, len(ps))
	for i, p := range ps {
		out[i] = Peer{ID: p.GetId(), Addr: p.GetAddr(), Role: p.GetRole()}
	}
	return out
}
