package cluster

import (
	"sort"

	"github.com/orama-network/orama/sdk/storage"
)

// Summary condenses a GlobalPinInfo into one state.
type Summary struct {
	Status string   // a storage.Status* constant
	Peers  []string // IPFS peer ids of the peers that have it pinned, sorted
	Error  string   // the first peer error, "peername: message"
}

// Summary reports the pin as pinning while any allocated peer is still
// pinning, queued while any waits, pinned once a peer holds it, error
// when peers failed and none holds it, and unpinned otherwise. Peers
// holding it are named by their IPFS peer id (the node with the blocks).
func (g GlobalPinInfo) Summary() Summary {
	ids := make([]string, 0, len(g.PeerMap))
	for id := range g.PeerMap {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var s Summary
	var pinning, queued, failed bool
	for _, id := range ids {
		p := g.PeerMap[id]
		switch p.Status {
		case "pinned":
			peer := p.IPFSPeerID
			if peer == "" {
				peer = id
			}
			s.Peers = append(s.Peers, peer)
		case "pinning":
			pinning = true
		case "pin_queued", "queued":
			queued = true
		case "pin_error", "error", "cluster_error", "unexpectedly_unpinned":
			failed = true
		}
		if p.Error != "" && s.Error == "" {
			s.Error = p.PeerName + ": " + p.Error
		}
	}
	sort.Strings(s.Peers)
	switch {
	case pinning:
		s.Status = storage.StatusPinning
	case queued:
		s.Status = storage.StatusQueued
	case len(s.Peers) > 0:
		s.Status = storage.StatusPinned
	case failed:
		s.Status = storage.StatusError
	default:
		s.Status = storage.StatusUnpinned
	}
	return s
}
