package e2e

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/client"
)

// GET /v1/network/status and /peers on two gateways peered over the
// libp2p pubsub driver: each lists the other's libp2p peer id, labelled
// "pubsub" with its driver, from the real plugin's Health.

var libp2pID = regexp.MustCompile(`libp2p pubsub node started.*?"id":"(12D3Koo[A-Za-z0-9]+)"`)

type netPeer struct {
	ID, Addr, Source, Driver string
}

func TestNetworkPeersTwoNodes(t *testing.T) {
	nodes, _ := startPubSubPair(t, 3*time.Second)
	var ids [2]string
	for i, n := range nodes {
		m := libp2pID.FindStringSubmatch(n.logs.String())
		if m == nil {
			t.Fatalf("node %d: no libp2p id in its log", i+1)
		}
		ids[i] = m[1]
	}
	for i, n := range nodes {
		want := ids[1-i]
		var st struct {
			NodeID    string `json:"node_id"`
			Connected bool
			PeerCount int `json:"peer_count"`
			Peers     []netPeer
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			resp, body := n.request(http.MethodGet, "/v1/network/status", nil)
			if resp.StatusCode != 200 || json.Unmarshal(body, &st) != nil {
				t.Fatalf("node %d: %d %s", i+1, resp.StatusCode, body)
			}
			if slices.ContainsFunc(st.Peers, func(p netPeer) bool {
				return p.ID == want && p.Source == "pubsub" && p.Driver == "libp2p" && p.Addr != ""
			}) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("node %d never listed %s: %s", i+1, want, body)
			}
			time.Sleep(200 * time.Millisecond)
		}
		if st.NodeID == "" || !st.Connected || st.PeerCount != len(st.Peers) {
			t.Fatalf("node %d status %+v", i+1, st)
		}
		// the same through the Go client
		peers, err := n.Client.Network().Peers(ctxT(t))
		if err != nil || !slices.ContainsFunc(peers, func(p client.Peer) bool { return p.ID == want && p.Source == "pubsub" }) {
			t.Fatalf("node %d peers through the client: %+v %v", i+1, peers, err)
		}
	}
}
