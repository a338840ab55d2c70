package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/orama-network/orama/host/internal/api/apitest"
)

// rqliteNode is one rqlited process started by a test, on free loopback
// ports, with its data under the test's temp dir. It is stopped when the
// test ends.
type rqliteNode struct {
	t       *testing.T
	ID      string
	HTTP    string // host:port of the HTTP API
	Raft    string // host:port of the Raft transport (what -join names)
	cmd     *exec.Cmd
	logs    *apitest.SyncBuffer
	exited  chan struct{}
	exitErr error
}

// URL is the node's HTTP API base URL, as the plugin's hosts list takes it.
func (n *rqliteNode) URL() string { return "http://" + n.HTTP }

// rqlitedPath is the rqlited built by make tools-rqlited; a test that needs
// it fails when it is missing.
func rqlitedPath(t *testing.T) string {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(root, ".tools", "bin", "rqlited")
	if info, err := os.Stat(path); err != nil || info.IsDir() {
		t.Fatalf("rqlited not found at %s: run make tools-rqlited", path)
	}
	return path
}

// startRqlite starts one node; join is the raft address of a member to join
// ("" starts a new cluster). It returns without waiting for readiness.
func startRqlite(t *testing.T, id, join string) *rqliteNode {
	t.Helper()
	bin := rqlitedPath(t)
	n := &rqliteNode{t: t, ID: id, logs: &apitest.SyncBuffer{}, exited: make(chan struct{}),
		HTTP: fmt.Sprintf("127.0.0.1:%d", freePort(t)), Raft: fmt.Sprintf("127.0.0.1:%d", freePort(t))}
	args := []string{"-node-id", id, "-http-addr", n.HTTP, "-raft-addr", n.Raft}
	if join != "" {
		args = append(args, "-join", join)
	}
	n.cmd = exec.Command(bin, append(args, filepath.Join(t.TempDir(), "data"))...)
	n.cmd.Stdout, n.cmd.Stderr = n.logs, n.logs
	if err := n.cmd.Start(); err != nil {
		t.Fatalf("start rqlited: %v", err)
	}
	go func() { n.exitErr = n.cmd.Wait(); close(n.exited) }()
	t.Cleanup(n.stop)
	return n
}

// startRqliteSingle starts a one-node cluster and waits until it is ready.
func startRqliteSingle(t *testing.T) *rqliteNode {
	t.Helper()
	n := startRqlite(t, "1", "")
	n.waitReady(60 * time.Second)
	return n
}

// startRqliteCluster starts size nodes (the first bootstraps, the others
// join it) and waits until one of them lists all as reachable voters with
// a leader.
func startRqliteCluster(t *testing.T, size int) []*rqliteNode {
	t.Helper()
	first := startRqlite(t, "1", "")
	first.waitReady(60 * time.Second)
	nodes := []*rqliteNode{first}
	for i := 2; i <= size; i++ {
		nodes = append(nodes, startRqlite(t, fmt.Sprint(i), first.Raft))
	}
	for _, n := range nodes {
		n.waitReady(60 * time.Second)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		members, err := first.nodes()
		reachable, leaders := 0, 0
		for _, m := range members {
			if m.Reachable && m.Voter {
				reachable++
			}
			if m.Leader {
				leaders++
			}
		}
		if err == nil && reachable == size && leaders == 1 {
			return nodes
		}
		if time.Now().After(deadline) {
			t.Fatalf("rqlite cluster of %d not formed: %+v %v\n%s", size, members, err, first.logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitReady polls /readyz until 200.
func (n *rqliteNode) waitReady(limit time.Duration) {
	n.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		resp, err := http.Get(n.URL() + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-n.exited:
			n.t.Fatalf("rqlited %s exited (%v) before it was ready:\n%s", n.ID, n.exitErr, n.logs.String())
		default:
		}
		if time.Now().After(deadline) {
			n.t.Fatalf("rqlited %s not ready after %s:\n%s", n.ID, limit, tail(n.logs.String(), 50))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// rqliteMember is one entry of rqlite's GET /nodes.
type rqliteMember struct {
	APIAddr   string `json:"api_addr"`
	Addr      string `json:"addr"`
	Voter     bool   `json:"voter"`
	Reachable bool   `json:"reachable"`
	Leader    bool   `json:"leader"`
}

func (n *rqliteNode) nodes() (map[string]rqliteMember, error) {
	resp, err := http.Get(n.URL() + "/nodes")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out map[string]rqliteMember
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("GET /nodes: %d: %w", resp.StatusCode, err)
	}
	return out, nil
}

// leader returns the node of nodes that the live ones agree is the leader,
// waiting up to limit for one.
func leaderOf(t *testing.T, nodes []*rqliteNode, limit time.Duration) *rqliteNode {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		for _, n := range nodes {
			if !n.alive() {
				continue
			}
			members, err := n.nodes()
			if err != nil {
				continue
			}
			for _, m := range members {
				if !m.Leader {
					continue
				}
				for _, c := range nodes {
					if c.alive() && c.Raft == m.Addr {
						return c
					}
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no rqlite leader among the live nodes after %s", limit)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (n *rqliteNode) alive() bool {
	select {
	case <-n.exited:
		return false
	default:
		return true
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (n *rqliteNode) kill() {
	n.t.Helper()
	if err := n.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		n.t.Fatalf("kill rqlited %s: %v", n.ID, err)
	}
	<-n.exited
}

// stop sends SIGTERM and waits (SIGKILL after 20 s).
func (n *rqliteNode) stop() {
	if !n.alive() {
		return
	}
	terminate(n.cmd, n.exited, 20*time.Second)
	if n.t.Failed() {
		n.t.Logf("rqlited %s log:\n%s", n.ID, tail(n.logs.String(), 40))
	}
}

// query runs one SELECT straight on the node's HTTP API with
// level=strong (the leader confirms through Raft that the read is
// current) and returns the rows, numbers as json.Number.
func (n *rqliteNode) query(sql string, args ...any) ([][]any, error) {
	body, err := json.Marshal([][]any{append([]any{sql}, args...)})
	if err != nil {
		return nil, err
	}
	resp, err := http.Post(n.URL()+"/db/query?level=strong", "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("rqlite /db/query: %d %s", resp.StatusCode, strings.TrimSpace(string(raw)))
	}
	var out struct {
		Results []struct {
			Values [][]any `json:"values"`
			Error  string  `json:"error"`
		} `json:"results"`
		Error string `json:"error"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("rqlite /db/query: %w in %q", err, raw)
	}
	if out.Error != "" {
		return nil, fmt.Errorf("rqlite /db/query: %s", out.Error)
	}
	if len(out.Results) != 1 {
		return nil, fmt.Errorf("rqlite /db/query: %d results for 1 statement: %s", len(out.Results), raw)
	}
	if out.Results[0].Error != "" {
		return nil, fmt.Errorf("rqlite /db/query: %s", out.Results[0].Error)
	}
	return out.Results[0].Values, nil
}

// hostsList is the plugin's hosts attribute for nodes.
func hostsList(nodes ...*rqliteNode) string {
	quoted := make([]string, len(nodes))
	for i, n := range nodes {
		quoted[i] = fmt.Sprintf("%q", n.URL())
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
