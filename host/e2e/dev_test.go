package e2e

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

// devWait bounds the waits of the local cluster test: generous (a busy
// machine), never a performance assertion.
const devWait = 60 * time.Second

// TestDevCluster: scripts/dev.sh — what make dev and make stop run —
// starts three gateways on one machine (rqlite cluster, Olric members,
// libp2p pubsub, one kubo, auth everywhere) and they act as one: a cache
// key put on node 1 is read on node 3, a table written on node 2 is read
// on node 1, a message published on node 1 reaches a WebSocket on node 2,
// a JWT minted by node 1 is accepted by node 3, and a CID added on node 1
// is served by node 2 once node 2 pins it (one kubo holds the bytes). A second start says the cluster runs and starts
// nothing. Node 3 then dies (SIGKILL of its host, then of its cache and
// pubsub plugins; its other plugins are left orphaned) and nodes 1 and 2
// keep serving. Stop ends every process, orphans included, and a second
// stop has nothing to do.
func TestDevCluster(t *testing.T) {
	c := startDevCluster(t, 3)
	n1, n2, n3 := c.nodes[0], c.nodes[1], c.nodes[2]
	key := apiKey(c.key)

	// Cache: put on node 1, read on node 3.
	wantStatus(t, "cache put on node 1", n1.send(http.MethodPost, "/v1/cache/put",
		map[string]any{"dmap": "dev", "key": "greeting", "value": "from node 1"}, key...), http.StatusOK)
	devEventually(t, "node 3 reading node 1's cache key", func() bool {
		r := n3.send(http.MethodPost, "/v1/cache/get", map[string]any{"dmap": "dev", "key": "greeting"}, key...)
		return r.code == http.StatusOK && r.body["value"] == "from node 1"
	})

	// Database: a table written on node 2, read on node 1.
	wantStatus(t, "create-table on node 2", n2.send(http.MethodPost, "/v1/rqlite/create-table",
		map[string]any{"schema": "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"}, key...), http.StatusCreated)
	wantStatus(t, "insert on node 2", n2.send(http.MethodPost, "/v1/rqlite/exec",
		map[string]any{"sql": "INSERT INTO notes (body) VALUES (?)", "args": []any{"from node 2"}}, key...), http.StatusOK)
	if r := n1.send(http.MethodPost, "/v1/rqlite/query", map[string]any{"sql": "SELECT body FROM notes"}, key...); !jsonEqual(r.body["items"], `[{"body":"from node 2"}]`) {
		t.Errorf("query on node 1: %s", r)
	}

	// Pubsub: published on node 1, received by a WebSocket on node 2.
	sub := n2.subscribe("node 2 subscriber", "topic=dev-news", key...)
	devProbe(t, n1, sub, "dev-news", key)
	n1.mustPublish("dev-news", "hello from node 1", key...)
	if f := sub.nextMessage(); string(f.data) != "hello from node 1" {
		t.Errorf("node 2's subscriber got %q, want the message from node 1", f.data)
	}

	// Auth: a JWT from node 1 accepted by node 3.
	tok := n1.send(http.MethodPost, "/v1/auth/token", nil, key...)
	if !wantStatus(t, "token on node 1", tok, http.StatusOK) {
		t.FailNow()
	}
	who := n3.send(http.MethodGet, "/v1/auth/whoami", nil, bearer(tok.str("access_token"))...)
	if !wantStatus(t, "node 1's JWT on node 3", who, http.StatusOK) || who.str("namespace") != "dev" || who.str("method") != "jwt" {
		t.Errorf("whoami on node 3 with node 1's JWT: %s", who)
	}

	// Storage: one kubo behind every node; each node keeps its own pin
	// registry (which namespace holds which CID). Node 2 reads a CID added
	// through node 1 once it pins it, which moves no bytes.
	up := n1.send(http.MethodPost, "/v1/storage/upload", map[string]any{"name": "hello.txt", "data": base64.StdEncoding.EncodeToString([]byte("hello world\n"))}, key...)
	if up.code/100 != 2 || up.str("cid") != helloCID {
		t.Errorf("upload on node 1: %s", up)
	}
	if get, body := n2.request(http.MethodGet, "/v1/storage/get/"+helloCID, nil, key...); get.StatusCode != http.StatusNotFound {
		t.Errorf("node 1's CID on node 2 before node 2 pins it: %d %q, want 404 (registries are per node)", get.StatusCode, body)
	}
	wantStatus(t, "pin of node 1's CID on node 2", n2.send(http.MethodPost, "/v1/storage/pin", map[string]any{"cid": helloCID}, key...), http.StatusOK, http.StatusCreated)
	if get, body := n2.request(http.MethodGet, "/v1/storage/get/"+helloCID, nil, key...); get.StatusCode != http.StatusOK || string(body) != "hello world\n" {
		t.Errorf("node 1's CID on node 2 once pinned there: %d %q", get.StatusCode, body)
	}

	// A second start while it runs starts nothing.
	before := c.sessions()
	if code, out := c.script("start"); code != 0 || !strings.Contains(out, "already running") {
		t.Errorf("second dev.sh start: exit %d\n%s", code, out)
	}
	if after := c.sessions(); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("second start changed the pid files: %v, then %v", before, after)
	}

	// Every process of the cluster, for the check after stop: each
	// session's members, and the plugins /v1/health names.
	var all []int
	for _, sid := range before {
		all = append(all, inSession(sid)...)
	}
	for _, n := range c.nodes {
		_, doc := n.health()
		for _, p := range doc.Plugins {
			all = append(all, p.PID)
		}
	}

	// Node 3 dies.
	host3 := before["node3"]
	cache3, pubsub3 := n3.pluginPID("cache"), n3.pluginPID("pubsub")
	for _, pid := range []int{host3, cache3, pubsub3} {
		if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
			t.Fatalf("kill -9 %d: %v", pid, err)
		}
	}
	devEventually(t, "node 3's host and its cache and pubsub plugins gone", func() bool {
		return !running(host3) && !running(cache3) && !running(pubsub3)
	})
	for i, n := range []*host{n1, n2} {
		name := fmt.Sprintf("node %d", i+1)
		devEventually(t, name+" putting and getting a new cache key after node 3 died", func() bool {
			k := fmt.Sprintf("after-%d-%d", i, time.Now().UnixNano())
			put := n.send(http.MethodPost, "/v1/cache/put", map[string]any{"dmap": "dev", "key": k, "value": name}, key...)
			get := n.send(http.MethodPost, "/v1/cache/get", map[string]any{"dmap": "dev", "key": k}, key...)
			return put.code == http.StatusOK && get.code == http.StatusOK && get.body["value"] == name
		})
		q := n.send(http.MethodPost, "/v1/rqlite/query", map[string]any{"sql": "SELECT body FROM notes"}, key...)
		if !wantStatus(t, "query on "+name+" after node 3 died", q, http.StatusOK) || !jsonEqual(q.body["items"], `[{"body":"from node 2"}]`) {
			t.Errorf("query on %s after node 3 died: %s", name, q)
		}
		if code, _ := n.health(); code != http.StatusOK {
			t.Errorf("%s /v1/health after node 3 died: %d", name, code)
		}
	}
	n1.mustPublish("dev-news", "still here", key...)
	if f := sub.nextMessage(); string(f.data) != "still here" {
		t.Errorf("node 2's subscriber after node 3 died got %q", f.data)
	}

	// Stop ends everything, node 3's orphaned plugins included.
	if code, out := c.script("stop"); code != 0 {
		t.Fatalf("dev.sh stop: exit %d\n%s", code, out)
	} else {
		t.Logf("dev.sh stop:\n%s", out)
	}
	var left []int
	for _, pid := range all {
		if running(pid) {
			left = append(left, pid)
		}
	}
	for name, sid := range before {
		if m := inSession(sid); len(m) > 0 {
			t.Errorf("session of %s (%d) still has processes %v after stop", name, sid, m)
		}
	}
	if len(left) > 0 {
		t.Errorf("processes still running after stop: %v (of %v)", left, all)
	}
	if code, out := c.script("stop"); code != 0 || !strings.Contains(out, "nothing to stop") {
		t.Errorf("second dev.sh stop: exit %d\n%s", code, out)
	}
}

// devEventually polls cond until it holds, failing after devWait.
func devEventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	waitFor(t, devWait, what, cond)
}

// devProbe publishes probes on from (with the credential hdr) until one
// reaches to: the nodes are peered and know of the subscription.
func devProbe(t *testing.T, from *host, to *wsSub, topic string, hdr []string) {
	t.Helper()
	for p := range 300 {
		from.mustPublish(topic, fmt.Sprintf("probe %d", p), hdr...)
		select {
		case f := <-to.frames:
			if strings.HasPrefix(string(f.data), "probe ") {
				// Let the probes still in flight arrive and drop them.
				for _, f := range to.quiet(500 * time.Millisecond) {
					if !strings.HasPrefix(string(f.data), "probe ") {
						t.Fatalf("%s: unexpected frame %s", to.name, f.raw)
					}
				}
				return
			}
		case <-time.After(200 * time.Millisecond):
		}
	}
	t.Fatalf("no probe from %s reached %s in 300 tries", from.URL, to.name)
}
