// Package rqlitetest runs real rqlited processes for tests: single nodes
// and small clusters on free loopback ports, each in a directory under
// t.TempDir(), killed when the test ends.
//
// The binary is .tools/bin/rqlited of the repository (make tools-rqlited
// builds it) or $ORAMA_RQLITED. A test that needs it and cannot find it
// fails: it never skips.
package rqlitetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// startTimeout is a backstop for a node to become ready, not an assertion.
const startTimeout = 60 * time.Second

// Binary returns the path of rqlited, failing t when there is none.
func Binary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("ORAMA_RQLITED"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("ORAMA_RQLITED=%s: %v (unset it to use .tools/bin/rqlited; run `make tools-rqlited`)", p, err)
		}
		return p
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, ".tools", "bin", "rqlited")
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("rqlited not found in .tools/bin: run `make tools-rqlited` (or set ORAMA_RQLITED)")
		}
		dir = parent
	}
}

// Node is one rqlited process.
type Node struct {
	ID   string
	HTTP string // host:port of the HTTP API
	Raft string // host:port of Raft
	URL  string // http://HTTP

	dir  string
	log  *bytes.Buffer
	cmd  *exec.Cmd
	done chan struct{} // closed when the process exited

	mu     sync.Mutex
	exited bool
}

// Cluster is a set of nodes that joined each other.
type Cluster struct {
	Nodes []*Node
}

// Start starts a cluster of n nodes (1 for a single node) and waits until
// every node is ready. The nodes are killed when t ends.
func Start(t testing.TB, n int) *Cluster {
	t.Helper()
	bin := Binary(t)
	c := &Cluster{}
	first := startNode(t, bin, "1", "")
	c.Nodes = append(c.Nodes, first)
	first.waitReady(t)
	for i := 2; i <= n; i++ {
		c.Nodes = append(c.Nodes, startNode(t, bin, strconv.Itoa(i), first.Raft))
	}
	for _, node := range c.Nodes[1:] {
		node.waitReady(t)
	}
	return c
}

// URLs returns the nodes' HTTP API URLs.
func (c *Cluster) URLs() []string {
	out := make([]string, len(c.Nodes))
	for i, n := range c.Nodes {
		out[i] = n.URL
	}
	return out
}

func startNode(t testing.TB, bin, id, join string) *Node {
	t.Helper()
	dir := t.TempDir()
	n := &Node{ID: id, HTTP: freeAddr(t), Raft: freeAddr(t), dir: dir, log: &bytes.Buffer{}, done: make(chan struct{})}
	n.URL = "http://" + n.HTTP
	// -fk: enforce FOREIGN KEY constraints, as the sqlite driver does.
	args := []string{"-node-id", id, "-http-addr", n.HTTP, "-raft-addr", n.Raft, "-fk"}
	if join != "" {
		args = append(args, "-join", join)
	}
	args = append(args, filepath.Join(dir, "data"))
	n.cmd = exec.Command(bin, args...)
	n.cmd.Stdout, n.cmd.Stderr = syncWriter{n}, syncWriter{n}
	if err := n.cmd.Start(); err != nil {
		t.Fatalf("start rqlited: %v", err)
	}
	go func() {
		_ = n.cmd.Wait()
		n.mu.Lock()
		n.exited = true
		n.mu.Unlock()
		close(n.done)
	}()
	t.Cleanup(func() {
		n.Signal(syscall.SIGKILL)
		<-n.done
		if t.Failed() {
			t.Logf("rqlited node %s, last lines of its log:\n%s", id, tail(n.Log(), 15))
		}
	})
	return n
}

// syncWriter appends a node's output to its log.
type syncWriter struct{ n *Node }

func (w syncWriter) Write(p []byte) (int, error) {
	w.n.mu.Lock()
	defer w.n.mu.Unlock()
	return w.n.log.Write(p)
}

// Log returns what the node printed.
func (n *Node) Log() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.log.String()
}

// Signal sends sig to the node's process (nothing once it exited).
func (n *Node) Signal(sig syscall.Signal) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.exited {
		_ = n.cmd.Process.Signal(sig)
	}
}

// Wait waits until the node's process exited.
func (n *Node) Wait(t testing.TB) {
	t.Helper()
	select {
	case <-n.done:
	case <-time.After(startTimeout):
		t.Fatalf("rqlited node %s did not exit", n.ID)
	}
}

// Exited reports whether the process ended.
func (n *Node) Exited() bool {
	select {
	case <-n.done:
		return true
	default:
		return false
	}
}

func (n *Node) waitReady(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(startTimeout)
	for {
		select {
		case <-n.done:
			t.Fatalf("rqlited node %s exited while starting:\n%s", n.ID, n.Log())
		default:
		}
		if ready(n.URL) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("rqlited node %s not ready after %s:\n%s", n.ID, startTimeout, n.Log())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func ready(url string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/readyz", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

// Leader returns the node the live nodes agree is the leader, waiting
// (up to a backstop) for an election to end.
func (c *Cluster) Leader(t testing.TB) *Node {
	t.Helper()
	deadline := time.Now().Add(startTimeout)
	for time.Now().Before(deadline) {
		for _, n := range c.Nodes {
			if n.Exited() {
				continue
			}
			if id := n.leaderID(); id != "" {
				for _, l := range c.Nodes {
					if l.ID == id && !l.Exited() {
						return l
					}
				}
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the rqlite cluster has no leader")
	return nil
}

// leaderID asks the node's /nodes which node leads ("" if none).
func (n *Node) leaderID() string {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, n.URL+"/nodes", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return ""
	}
	defer res.Body.Close()
	var nodes map[string]struct {
		Leader    bool `json:"leader"`
		Reachable bool `json:"reachable"`
	}
	if json.NewDecoder(res.Body).Decode(&nodes) != nil {
		return ""
	}
	for id, v := range nodes {
		if v.Leader && v.Reachable {
			return id
		}
	}
	return ""
}

// freeAddr returns a loopback address with a port free right now.
func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// String names the node in messages.
func (n *Node) String() string { return fmt.Sprintf("node %s (%s)", n.ID, n.URL) }
