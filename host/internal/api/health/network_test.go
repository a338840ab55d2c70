package health_test

import (
	"encoding/json"
	"testing"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/host/internal/server"
	"github.com/orama-network/orama/host/internal/server/servertest"
	"github.com/orama-network/orama/sdk/plugin"
)

type networkPeer struct {
	ID, Addr, Role, Source, Driver string
}

func TestNetworkRoutes(t *testing.T) {
	e := servertest.NewAuth(t, func(o *server.Options) {
		o.Peers = func() []string { return []string{"node-2"} }
	})
	st := apitest.RunningCache()
	st.Peers = []plugin.Peer{{ID: "b:3320", Addr: "127.0.0.2:3320"}, {ID: "a:3320", Role: "coordinator"}}
	e.Plugins.StatusMap["cache"] = st

	for _, path := range []string{"/v1/network/status", "/v1/network/peers"} {
		if rec := e.Do(t, "GET", path, ""); rec.Code != 401 {
			t.Errorf("%s without a credential: %d", path, rec.Code)
		}
	}
	rec := e.Do(t, "GET", "/v1/network/status", "", "X-API-Key", apitest.KeyAlpha)
	var got struct {
		NodeID    string `json:"node_id"`
		Connected bool
		PeerCount int `json:"peer_count"`
		Peers     []networkPeer
		Uptime    string
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != 200 {
		t.Fatalf("status: %d %s %v", rec.Code, rec.Body, err)
	}
	want := []networkPeer{
		{ID: "a:3320", Role: "coordinator", Source: "cache", Driver: "memory"},
		{ID: "b:3320", Addr: "127.0.0.2:3320", Source: "cache", Driver: "memory"},
		{ID: "node-2", Source: "gateway"},
	}
	if got.NodeID != "node-1" || !got.Connected || got.PeerCount != 3 || got.Uptime == "" || len(got.Peers) != 3 {
		t.Fatalf("status %+v", got)
	}
	for i := range want {
		if got.Peers[i] != want[i] {
			t.Errorf("peer %d: %+v, want %+v", i, got.Peers[i], want[i])
		}
	}
	rec = e.Do(t, "GET", "/v1/network/peers", "", "X-API-Key", apitest.KeyAlpha)
	var peers struct{ Peers []networkPeer }
	if err := json.Unmarshal(rec.Body.Bytes(), &peers); err != nil || rec.Code != 200 || len(peers.Peers) != 3 {
		t.Fatalf("peers: %d %s", rec.Code, rec.Body)
	}

	// a lone node: not connected, peers [] (never null)
	e = servertest.New(t, nil)
	rec = e.Do(t, "GET", "/v1/network/status", "")
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil || string(raw["peers"]) != "[]" || string(raw["connected"]) != "false" {
		t.Errorf("lone node: %s", rec.Body)
	}
}
