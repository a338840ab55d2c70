package libp2p

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	gps "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/orama-network/orama/sdk/plugin"
)

func TestKeyPersisted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "node.key")
	a, err := New(context.Background(), Config{Listen: []string{"/ip4/127.0.0.1/tcp/0"}, KeyFile: path}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := a.ID()
	a.Close(context.Background())
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	b := startNode(t, Config{KeyFile: path})
	if b.ID() != id {
		t.Errorf("id %s after restart, was %s", b.ID(), id)
	}
	k, _ := LoadOrCreateKey(path)
	if k.Type() != crypto.Ed25519 {
		t.Errorf("key type %v", k.Type())
	}
	if c := startNode(t, Config{}); c.ID() == id {
		t.Error("a node without a key file has the same id")
	}
	bad := filepath.Join(t.TempDir(), "bad.key")
	os.WriteFile(bad, []byte("not a key"), 0o600)
	if _, err := New(context.Background(), Config{KeyFile: bad, Listen: []string{"/ip4/127.0.0.1/tcp/0"}}, nil, nil); err == nil {
		t.Error("a corrupt key file was accepted")
	}
}

func swarmKey(t *testing.T) string {
	t.Helper()
	b := make([]byte, 32)
	rand.Read(b)
	path := filepath.Join(t.TempDir(), "swarm.key")
	if err := os.WriteFile(path, []byte("/key/swarm/psk/1.0.0/\n/base16/\n"+hex.EncodeToString(b)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Nodes with the same swarm key connect and exchange messages; a node
// with another key, or none, cannot connect.
func TestPrivateNetwork(t *testing.T) {
	key1, key2 := swarmKey(t), swarmKey(t)
	a := startNode(t, Config{SwarmKeyFile: key1})
	b := startNode(t, Config{SwarmKeyFile: key1, Peers: a.Addrs()[:1]})
	eventually(t, "same key connects", func() bool { return len(a.Peers()) == 1 })
	s := collect(t, a, "ns", "t")
	knows(t, b, key{"ns", "t"}, 1)
	publish(t, b, "ns", "t", "private")
	if m := s.next(t); string(m.Data) != "private" {
		t.Fatalf("got %q", m.Data)
	}
	info, _ := ParsePeer(a.Addrs()[0])
	for name, c := range map[string]Config{"another key": {SwarmKeyFile: key2}, "no key": {}} {
		o := startNode(t, c)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err := o.host.Connect(ctx, info)
		cancel()
		if err == nil {
			t.Errorf("%s: connected to a private network", name)
		}
	}
	if got := len(a.Peers()); got != 1 {
		t.Errorf("a has %d peers, want only b", got)
	}
	bad := filepath.Join(t.TempDir(), "bad.key")
	os.WriteFile(bad, []byte("/key/swarm/psk/1.0.0/\n/base16/\nxyz\n"), 0o600)
	if _, err := New(context.Background(), Config{SwarmKeyFile: bad, Listen: []string{"/ip4/127.0.0.1/tcp/0"}}, nil, nil); err == nil {
		t.Error("a bad swarm key was accepted")
	}
}

// A peer that restarts (same key, same address) is dialled again, and
// messages flow again.
func TestRestartedPeerIsRedialled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "node.key")
	a := startNode(t, Config{KeyFile: path})
	addr := a.Addrs()[0]
	listen := strings.TrimSuffix(addr, "/p2p/"+a.ID())
	b := startNode(t, Config{Peers: []string{addr}})
	s := collect(t, b, "ns", "t")
	eventually(t, "b connected to a", func() bool { return len(b.Peers()) == 1 })
	a.Close(context.Background())
	eventually(t, "b sees a gone", func() bool { return len(b.Peers()) == 0 })
	a2 := startNode(t, Config{KeyFile: path, Listen: []string{listen}})
	if a2.ID() != a.ID() {
		t.Fatal("restarted node has another id")
	}
	eventually(t, "b dialled a again", func() bool { return len(a2.Peers()) == 1 })
	knows(t, a2, key{"ns", "t"}, 1)
	publish(t, a2, "ns", "t", "back")
	if m := s.next(t); string(m.Data) != "back" {
		t.Fatalf("got %q", m.Data)
	}
}

// A peer speaking gossipsub but not the envelope: its malformed messages
// are dropped and counted, valid ones after them are delivered, and the
// junk is not forwarded.
func TestMalformedEnvelopeDropped(t *testing.T) {
	nodes := cluster(t, 2)
	k := key{"ns", "t"}
	s := collect(t, nodes[0], k.namespace, k.topic)
	s1 := collect(t, nodes[1], k.namespace, k.topic)
	meshed(t, k, nodes...)

	// The rogue: a bare libp2p host with gossipsub and no validator,
	// connected to node 0 only.
	rk, _, _ := crypto.GenerateEd25519Key(nil)
	rogue, err := newHost(Config{Listen: []string{"/ip4/127.0.0.1/tcp/0"}}, rk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rogue.Close() })
	rctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	rps, err := gps.NewGossipSub(rctx, rogue)
	if err != nil {
		t.Fatal(err)
	}
	info, _ := ParsePeer(nodes[0].Addrs()[0])
	if err := rogue.Connect(context.Background(), info); err != nil {
		t.Fatal(err)
	}
	rt, err := rps.Join(topicName(k))
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "rogue sees node 0 on the topic", func() bool { return len(rt.ListPeers()) > 0 })
	ctx := context.Background()
	junks := [][]byte{
		[]byte("junk"),
		{envelopeVersion},
		{envelopeVersion + 1, kindMessage, 0},
		{envelopeVersion, 99, 0},
		append((&envelope{kind: kindLeave, member: testMember()}).encode(), 0),
	}
	// Rounds of junk then a valid message, until node 1 (which hears
	// from the rogue only through node 0's forwarding, once their mesh is
	// formed) gets one, and one round more.
	round := func(r int) string {
		for _, junk := range junks {
			if err := rt.Publish(ctx, junk); err != nil {
				t.Fatal(err)
			}
		}
		valid := fmt.Sprintf("valid-%d", r)
		if err := rt.Publish(ctx, (&envelope{kind: kindMessage, time: time.Now(), data: []byte(valid)}).encode()); err != nil {
			t.Fatal(err)
		}
		if m := s.next(t); string(m.Data) != valid {
			t.Fatalf("node 0 got %q, want %q", m.Data, valid)
		}
		return valid
	}
	r, deadline := 0, time.Now().Add(wait)
	for forwarded := false; !forwarded; r++ {
		if time.Now().After(deadline) {
			t.Fatal("node 0 forwarded nothing from the rogue")
		}
		valid := round(r)
		select {
		case m := <-s1.ch:
			if string(m.Data) != valid {
				t.Fatalf("node 1 got %q, want %q", m.Data, valid)
			}
			forwarded = true
		case <-time.After(200 * time.Millisecond):
		}
	}
	valid := round(r)
	r++
	for m := s1.next(t); string(m.Data) != valid; m = s1.next(t) {
		// a late forward of an earlier round
	}
	if got, want := nodes[0].Malformed(), uint64(r*len(junks)); got != want {
		t.Errorf("node 0 counted %d malformed, want %d", got, want)
	}
	if got := nodes[1].Malformed(); got != 0 {
		t.Errorf("node 1 received %d malformed envelopes: node 0 forwarded them", got)
	}
	h, _ := nodes[0].Health(ctx)
	if !h.OK || !strings.Contains(h.Detail, fmt.Sprintf("%d malformed", r*len(junks))) {
		t.Errorf("health %+v", h)
	}
	if !slices.ContainsFunc(h.Peers, func(p plugin.Peer) bool {
		return p.ID == nodes[1].ID() && strings.HasPrefix(p.Addr, "/ip4/127.0.0.1/")
	}) {
		t.Errorf("health peers %+v, want node 1 (%s) with its address among them", h.Peers, nodes[1].ID())
	}
}

func TestConfigChecks(t *testing.T) {
	for _, a := range []string{"/ip4/127.0.0.1/udp/1/quic-v1", "nonsense", "/ip4/127.0.0.1/tcp/1/p2p/12D3KooWSTm2hiikuragf9UvTt2bK5opgZKVVpsdhcHUHxsE2CYz"} {
		if CheckListen(a) == nil {
			t.Errorf("listen %q accepted", a)
		}
	}
	for _, a := range []string{"/ip4/127.0.0.1/tcp/1", "/p2p/12D3KooWSTm2hiikuragf9UvTt2bK5opgZKVVpsdhcHUHxsE2CYz", "/ip4/1.2.3.4/udp/1/quic-v1/p2p/12D3KooWSTm2hiikuragf9UvTt2bK5opgZKVVpsdhcHUHxsE2CYz"} {
		if _, err := ParsePeer(a); err == nil {
			t.Errorf("peer %q accepted", a)
		}
	}
	if _, err := ParsePeer("/ip4/10.0.0.2/tcp/4101/p2p/12D3KooWSTm2hiikuragf9UvTt2bK5opgZKVVpsdhcHUHxsE2CYz"); err != nil {
		t.Error(err)
	}
	if _, err := New(context.Background(), Config{Peers: []string{"nonsense"}}, nil, nil); err == nil {
		t.Error("New accepted a bad peer")
	}
}

// A peer upgraded in place, again and again — each time a new instance
// with the same key and address starts beside the old one, which then
// stops — keeps receiving this node's messages. Each old connection that
// closed while the new one stayed open made gossipsub declare the peer
// dead but still connected: it forgot the peer's topics, and after four
// such deaths in ten minutes it stopped opening a stream to the peer at
// all, so every message published on b was lost for the newest instance.
func TestPeerUpgradedBesideItsOldInstance(t *testing.T) {
	path := filepath.Join(t.TempDir(), "node.key")
	b := startNode(t, Config{})
	old := startNode(t, Config{KeyFile: path, Peers: []string{b.Addrs()[0]}})
	listen := strings.TrimSuffix(old.Addrs()[0], "/p2p/"+old.ID())
	k := key{"ns", "t"}
	collect(t, old, "ns", "t")
	knows(t, b, k, 1)
	pid := b.host.Network().Peers()[0]
	for upgrade := range 6 {
		// The new instance: same key, same listen address (go-libp2p
		// binds with SO_REUSEPORT), dialling b as the old one did.
		cur := startNode(t, Config{KeyFile: path, Listen: []string{listen}, Peers: []string{b.Addrs()[0]}})
		s := collect(t, cur, "ns", "t")
		eventually(t, "b connected to the new instance too", func() bool { return len(b.host.Network().ConnsToPeer(pid)) == 2 })
		time.Sleep(300 * time.Millisecond) // b reads the new instance's topics
		old.Close(context.Background())
		// A message b publishes from now on must reach the new
		// instance, once b has reconnected to it.
		tag := fmt.Sprintf("upgrade %d: ", upgrade)
		for i := 0; ; i++ {
			publish(t, b, "ns", "t", fmt.Sprint(tag, i))
			m, ok := s.within(200 * time.Millisecond)
			if ok && strings.HasPrefix(string(m.Data), tag) {
				break
			}
			if i == int(wait/(200*time.Millisecond)) {
				t.Fatalf("%sno message of b reached the new instance in %s", tag, wait)
			}
		}
		old = cur
	}
}
