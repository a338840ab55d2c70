package e2e

import (
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Node keys of the libp2p driver.
//
// The driver keeps its identity at <data_dir>/pubsub/node.key (an ed25519
// key in libp2p's protobuf encoding), creating it on first start. Two
// nodes must name each other's peer id in peers before either starts, so
// the test writes the keys itself and derives the ids: deterministic, one
// start per node, no scraping of logs to learn an id (the log is only
// checked afterwards, to prove the node runs under the key written).
//
//   - the key file is the protobuf PrivateKey{Type: Ed25519 (1), Data: the
//     64-byte ed25519 private key}: 08 01 12 40 <64 bytes>;
//   - the peer id is the identity multihash (00, length) of the protobuf
//     PublicKey{Type: 1, Data: 32 bytes} (08 01 12 20 <32 bytes>), in
//     base58btc: "12D3KooW…".

// nodeKey is a new node key: the key file's bytes and its peer id.
func nodeKey(t *testing.T) (file []byte, id string) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pubProto := append([]byte{0x08, 0x01, 0x12, 0x20}, pub...)
	return append([]byte{0x08, 0x01, 0x12, 0x40}, priv...), base58btc(append([]byte{0x00, byte(len(pubProto))}, pubProto...))
}

// base58btc encodes b in the bitcoin alphabet (leading zero bytes as 1s).
func base58btc(b []byte) string {
	const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
	n := new(big.Int).SetBytes(b)
	radix, mod := big.NewInt(58), new(big.Int)
	var out []byte
	for n.Sign() > 0 {
		n.DivMod(n, radix, mod)
		out = append(out, alphabet[mod.Int64()])
	}
	for _, c := range b {
		if c != 0 {
			break
		}
		out = append(out, '1')
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

// startPubSubPair starts two gateways, each with the libp2p driver
// listening on a free 127.0.0.1 port and the other as its peer, with a
// presence_ttl of ttl; it returns once both are healthy and run under the
// keys written for them, with the config of node i for a pubsub plugin
// binary at path (for upgrades).
func startPubSubPair(t *testing.T, ttl time.Duration) ([2]*host, func(i, port int, path string) string) {
	t.Helper()
	var keys [2][]byte
	var ids, addrs [2]string
	for i := range 2 {
		keys[i], ids[i] = nodeKey(t)
		addrs[i] = fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", freePort(t))
	}
	config := func(i, port int, path string) string {
		driver := fmt.Sprintf("    driver = \"libp2p\"\n    listen = [%q]\n    peers  = [%q]", addrs[i], addrs[1-i]+"/p2p/"+ids[1-i])
		return serverConfig(port, "node-"+strconv.Itoa(i+1), "5s",
			pubsubLimits(fmt.Sprintf("    presence_ttl = %q", ttl.String())), pluginBlock("pubsub", path, driver))
	}
	var nodes [2]*host
	for i := range nodes {
		nodes[i] = newHost(t, func(port int) string { return config(i, port, bins.pubsub) })
		dir := filepath.Join(nodes[i].dir, "data", "pubsub")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "node.key"), keys[i], 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range nodes {
		if err := n.launch(); err != nil {
			t.Fatal(err)
		}
	}
	for i, n := range nodes {
		n.waitHealthy(60 * time.Second)
		n.waitLog(ids[i], psWait) // the node runs under the key written
	}
	return nodes, config
}

// probe publishes "probe <tag>/<n>" on from until one reaches to (at most
// 100 probes 200 ms apart): the peer knows to's node subscribes.
func probe(t *testing.T, from *host, to *wsSub, topic, tag string) {
	t.Helper()
	for p := range 100 {
		from.mustPublish(topic, fmt.Sprintf("probe %s/%d", tag, p))
		select {
		case f := <-to.frames:
			if strings.HasPrefix(string(f.data), "probe "+tag+"/") { // not an earlier probe's
				return
			}
		case <-time.After(200 * time.Millisecond):
		}
	}
	t.Fatalf("no message from %s reached %s in 100 probes", tag, to.name)
}

// TestPubSubTwoNodes: two gateways peered over the libp2p driver. A
// message published on either reaches the WebSocket subscribers of both,
// exactly once each and in publish order per publisher. A member joined on
// node 1 is listed on node 2, whose subscriber gets the join; when node 1
// dies (kill -9 of its host and its plugin) the member leaves on node 2
// within presence_ttl plus the sweep, and node 2's subscriber gets the
// leave.
func TestPubSubTwoNodes(t *testing.T) {
	const ttl = 3 * time.Second
	nodes, _ := startPubSubPair(t, ttl)
	n1, n2 := nodes[0], nodes[1]
	subs := [2]*wsSub{n1.subscribe("node 1 subscriber", "topic=news"), n2.subscribe("node 2 subscriber", "topic=news")}

	// Start-up: a node learns that a peer subscribes to a topic from the
	// peer's announcement (package libp2p's doc). Probe each direction
	// until a message gets across, then send a marker from each node: by
	// publish order, no probe is left in flight behind the markers.
	for i, from := range nodes {
		probe(t, from, subs[1-i], "news", fmt.Sprintf("node %d", i+1))
	}
	for i, n := range nodes {
		n.mustPublish("news", fmt.Sprintf("sync %d", i+1))
	}
	for _, s := range subs {
		seen := map[string]bool{}
		for !seen["sync 1"] || !seen["sync 2"] {
			seen[string(s.nextMessage().data)] = true
		}
	}

	// Both nodes publish, interleaved; each subscriber must see each
	// publisher's messages once each, in order.
	const count = 100
	for k := range count {
		for i, n := range nodes {
			n.mustPublish("news", fmt.Sprintf("%d:%d", i+1, k))
		}
	}
	for i, n := range nodes {
		n.mustPublish("news", fmt.Sprintf("%d:end", i+1))
	}
	for _, s := range subs {
		var per [2][]string
		for len(per[0]) == 0 || per[0][len(per[0])-1] != "1:end" || len(per[1]) == 0 || per[1][len(per[1])-1] != "2:end" {
			f := s.nextMessage()
			from, _, _ := strings.Cut(string(f.data), ":")
			switch from {
			case "1", "2":
				p, _ := strconv.Atoi(from)
				per[p-1] = append(per[p-1], string(f.data))
			default:
				t.Errorf("%s: stray message %q", s.name, f.data)
			}
		}
		for _, f := range s.quiet(500 * time.Millisecond) {
			if !f.presence() {
				t.Errorf("%s: message after the end markers (a duplicate?): %q", s.name, f.data)
			}
		}
		for p := range per {
			want := make([]string, 0, count+1)
			for k := range count {
				want = append(want, fmt.Sprintf("%d:%d", p+1, k))
			}
			want = append(want, fmt.Sprintf("%d:end", p+1))
			if strings.Join(per[p], ",") != strings.Join(want, ",") {
				t.Errorf("%s: messages of node %d, got %d: %v; want %d, once each, in publish order", s.name, p+1, len(per[p]), per[p], len(want))
			}
		}
	}

	// Presence across nodes.
	watcher := n2.subscribe("node 2 room watcher", "topic=room")
	_ = n1.subscribe("carol on node 1", "topic=room&presence=true&member_id=carol&member_meta=%7B%22at%22%3A1%7D")
	wantPresenceFrame(t, watcher.nextPresence("presence.join"), "presence.join", "room", "carol", `{"at":1}`)
	eventually(t, "carol listed on node 2", func() bool {
		m := n2.members("room")
		return len(m) == 1 && m[0] == "carol"
	})

	// Node 1 dies: its host, then its plugin (the host would restart a
	// plugin killed first), both with SIGKILL, saying nothing to node 2.
	pluginPID := n1.pluginPID("pubsub")
	if err := n1.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(pluginPID, syscall.SIGKILL); err != nil && err != syscall.ESRCH {
		t.Fatal(err)
	}
	died := time.Now()
	bound := ttl + 250*time.Millisecond // the lease, plus the Broker's sweep interval
	slack := 5 * time.Second            // generous: a loaded machine, never a performance assertion
	select {
	case <-watcher.done:
		t.Fatalf("node 2's watcher ended: %v", watcher.err)
	default:
	}
	deadline := time.After(bound + slack)
	var leave frame
	for leave.m == nil {
		select {
		case f := <-watcher.frames:
			if f.str("type") == "presence.leave" {
				leave = f
			}
		case <-deadline:
			t.Fatalf("carol did not leave on node 2 within %s of node 1's death (presence_ttl %s + sweep, plus %s slack)", bound+slack, ttl, slack)
		}
	}
	took := time.Since(died)
	wantPresenceFrame(t, leave, "presence.leave", "room", "carol", `{"at":1}`)
	if m := n2.members("room"); len(m) != 0 {
		t.Errorf("node 2 still lists %v after the leave", m)
	}
	subs[1].open()
	t.Logf("carol left on node 2 %s after node 1 died (presence_ttl %s)", took.Round(10*time.Millisecond), ttl)
}
