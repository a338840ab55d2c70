package e2e

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/sdk/client"
)

// devCluster is a cluster started by scripts/dev.sh (what make dev and
// make stop run) in a temp DEV_DIR on port ranges free at the start, with
// the binaries built for these tests.
type devCluster struct {
	t     *testing.T
	dir   string // DEV_DIR
	env   []string
	nodes []*host // gateways, without a process of their own here
	key   string  // the API key the script made
}

// kuboPath is the ipfs built by make tools-kubo; a test that needs it
// fails when it is missing.
func kuboPath(t *testing.T) string {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(root, ".tools", "bin", "ipfs")
	if info, err := os.Stat(path); err != nil || info.IsDir() {
		t.Fatalf("kubo (ipfs) not found at %s: run make tools-kubo", path)
	}
	return path
}

// freeRanges returns a base port for each size such that base…base+size-1
// were all free on 127.0.0.1, the ranges apart from each other. Bases
// are drawn below Linux's ephemeral range (32768+).
func freeRanges(t *testing.T, sizes ...int) []int {
	t.Helper()
	var held []net.Listener
	defer func() {
		for _, l := range held {
			l.Close()
		}
	}()
	bases := make([]int, 0, len(sizes))
	for _, n := range sizes {
		for try := 0; ; try++ {
			if try == 200 {
				t.Fatalf("no %d consecutive free ports found", n)
			}
			base := 12000 + rand.IntN(20000)
			var ls []net.Listener
			for p := base; p < base+n; p++ {
				l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
				if err != nil {
					break
				}
				ls = append(ls, l)
			}
			held = append(held, ls...)
			if len(ls) == n {
				bases = append(bases, base)
				break
			}
		}
	}
	return bases
}

// startDevCluster runs `scripts/dev.sh start` for n nodes; the cluster is
// stopped when the test ends.
func startDevCluster(t *testing.T, n int) *devCluster {
	t.Helper()
	ports := freeRanges(t, n, 6, 2*n, n, 3) // gateways, rqlite, Olric, libp2p, kubo
	c := &devCluster{t: t, dir: t.TempDir()}
	c.env = append(os.Environ(),
		"NODES="+strconv.Itoa(n), "DEV_DIR="+c.dir, "DEV_BIN="+bins.dir,
		"DEV_RQLITED="+rqlitedPath(t), "DEV_IPFS="+kuboPath(t), "DEV_WAIT=120",
		fmt.Sprintf("DEV_BASE_PORT=%d", ports[0]), fmt.Sprintf("DEV_RQLITE_PORT=%d", ports[1]),
		fmt.Sprintf("DEV_OLRIC_PORT=%d", ports[2]), fmt.Sprintf("DEV_LIBP2P_PORT=%d", ports[3]),
		fmt.Sprintf("DEV_KUBO_PORT=%d", ports[4]))
	t.Cleanup(func() {
		if t.Failed() {
			c.dumpLogs()
		}
		if code, out := c.script("stop"); code != 0 {
			t.Errorf("dev.sh stop at cleanup: exit %d\n%s", code, out)
		}
	})
	start := time.Now()
	if code, out := c.script("start"); code != 0 {
		t.Fatalf("dev.sh start: exit %d\n%s", code, out)
	} else {
		t.Logf("dev.sh start took %s:\n%s", time.Since(start).Round(time.Second), out)
	}
	key, err := os.ReadFile(filepath.Join(c.dir, "api_key"))
	if err != nil || len(bytes.TrimSpace(key)) == 0 {
		t.Fatalf("no API key in %s/api_key: %v", c.dir, err)
	}
	c.key = string(bytes.TrimSpace(key))
	for i := range n {
		url := fmt.Sprintf("http://127.0.0.1:%d", ports[0]+i)
		nd := filepath.Join(c.dir, fmt.Sprintf("node%d", i+1))
		c.nodes = append(c.nodes, &host{t: t, dir: nd, config: filepath.Join(nd, "config.hcl"), URL: url,
			logs: &apitest.SyncBuffer{}, exited: make(chan struct{}), Client: client.New(url)})
	}
	return c
}

// script runs scripts/dev.sh with args and the cluster's environment.
func (c *devCluster) script(args ...string) (int, string) {
	c.t.Helper()
	root, err := repoRoot()
	if err != nil {
		c.t.Fatal(err)
	}
	cmd := exec.Command("bash", append([]string{filepath.Join(root, "scripts", "dev.sh")}, args...)...)
	cmd.Env = c.env
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(out)
	} else if err != nil {
		c.t.Fatalf("dev.sh %v: %v", args, err)
	}
	return 0, string(out)
}

// sessions returns the session id (the pid) recorded in each pid file of
// the cluster, by folder name (node1, rqlite1, kubo, …).
func (c *devCluster) sessions() map[string]int {
	c.t.Helper()
	files, _ := filepath.Glob(filepath.Join(c.dir, "*", "pid"))
	out := map[string]int{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		pid, err2 := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || err2 != nil {
			c.t.Fatalf("pid file %s: %v %v", f, err, err2)
		}
		out[filepath.Base(filepath.Dir(f))] = pid
	}
	return out
}

// procStat is the state letter and session id of pid ("" when it is gone).
func procStat(pid int) (state string, session int) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return "", 0
	}
	// pid (comm) state ppid pgrp session …; comm may hold spaces.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 4 {
		return "", 0
	}
	session, _ = strconv.Atoi(f[3])
	return f[0], session
}

// running: pid is a live process (a zombie is gone: it only waits to be
// reaped by whoever adopted it).
func running(pid int) bool {
	s, _ := procStat(pid)
	return s != "" && s != "Z"
}

// inSession lists the live processes of session sid.
func inSession(sid int) []int {
	entries, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if s, sess := procStat(pid); sess == sid && s != "" && s != "Z" {
			out = append(out, pid)
		}
	}
	return out
}

func (c *devCluster) dumpLogs() {
	logs, _ := filepath.Glob(filepath.Join(c.dir, "*", "*.log"))
	for _, f := range logs {
		b, _ := os.ReadFile(f)
		c.t.Logf("--- %s (tail):\n%s", f, tail(string(b), 40))
	}
}
