package cluster

import "time"

// Pin is the cluster's record of a pin (the answer to pin and unpin).
type Pin struct {
	CID            string    `json:"cid"`
	Name           string    `json:"name"`
	Mode           string    `json:"mode"`
	ReplicationMin int       `json:"replication_factor_min"`
	ReplicationMax int       `json:"replication_factor_max"`
	Allocations    []string  `json:"allocations"`
	Timestamp      time.Time `json:"timestamp"`
}

// PeerStatus is one cluster peer's state of a pin.
type PeerStatus struct {
	PeerName     string    `json:"peername"`
	IPFSPeerID   string    `json:"ipfs_peer_id"`
	Status       string    `json:"status"`
	Timestamp    time.Time `json:"timestamp"`
	Error        string    `json:"error"`
	AttemptCount int       `json:"attempt_count"`
}

// GlobalPinInfo is a pin's state on every peer, keyed by cluster peer id.
// A CID the cluster never saw has every peer "unpinned".
type GlobalPinInfo struct {
	CID         string                `json:"cid"`
	Name        string                `json:"name"`
	Allocations []string              `json:"allocations"`
	Created     time.Time             `json:"created"`
	PeerMap     map[string]PeerStatus `json:"peer_map"`
}

// ID describes a cluster peer (GET /id, and each item of GET /peers).
type ID struct {
	ID           string   `json:"id"`
	PeerName     string   `json:"peername"`
	Version      string   `json:"version"`
	Addresses    []string `json:"addresses"`
	ClusterPeers []string `json:"cluster_peers"`
	Error        string   `json:"error"`
	IPFS         struct {
		ID        string   `json:"id"`
		Addresses []string `json:"addresses"`
		Error     string   `json:"error"`
	} `json:"ipfs"`
}

// PinOptions are the options of a pin request. Replication -1 means
// every peer; 0 leaves the cluster's default.
type PinOptions struct {
	Name           string
	ReplicationMin int
	ReplicationMax int
}
