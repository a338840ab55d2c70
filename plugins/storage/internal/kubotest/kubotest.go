// Package kubotest runs a real kubo daemon for tests: offline, on
// loopback ports only, telemetry off, configured exactly as BACKENDS.md
// says. The ipfs binary comes from $ORAMA_IPFS or <repo>/.tools/bin/ipfs
// (built by `make tools-kubo`); a test that needs it and cannot find it
// fails, it never skips.
package kubotest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// EnvBinary names the environment variable that overrides the binary.
const EnvBinary = "ORAMA_IPFS"

// Binary returns the path of the ipfs binary or fails t.
func Binary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv(EnvBinary); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("kubo (ipfs) binary %s=%s: %v (unset it to use .tools/bin/ipfs from `make tools-kubo`)", EnvBinary, p, err)
		}
		return p
	}
	root, err := repoRoot()
	if err != nil {
		t.Fatalf("kubo (ipfs) binary: %v; set %s or run `make tools-kubo`", err, EnvBinary)
	}
	p := filepath.Join(root, ".tools", "bin", "ipfs")
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("kubo (ipfs) binary not found at %s: run `make tools-kubo` (or set %s)", p, EnvBinary)
	}
	return p
}

// repoRoot is the nearest directory above the working directory that
// holds go.work.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.work above the working directory")
		}
		dir = parent
	}
}

// Daemon is a running kubo daemon.
type Daemon struct {
	API  string // multiaddr of the RPC API, /ip4/127.0.0.1/tcp/PORT
	URL  string // the same as http://127.0.0.1:PORT
	Path string // its IPFS_PATH

	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
}

// readyWait bounds the wait for the API (it is ready in ~0.2 s here); it
// is a backstop against a hung daemon, not an assertion.
const readyWait = time.Minute

// Start initialises a repo in a temporary directory, configures it and
// runs `ipfs daemon --offline` until the test ends.
func Start(t testing.TB) *Daemon {
	t.Helper()
	bin := Binary(t)
	var lastErr error
	for range 3 { // a free port can be taken between choosing and binding it
		d, err := start(t, bin)
		if err == nil {
			return d
		}
		lastErr = err
	}
	t.Fatalf("start kubo: %v", lastErr)
	return nil
}

func start(t testing.TB, bin string) (*Daemon, error) {
	d := &Daemon{Path: t.TempDir(), out: &syncBuffer{}, done: make(chan struct{})}
	ports, err := freePorts(3)
	if err != nil {
		return nil, err
	}
	api := "/ip4/127.0.0.1/tcp/" + strconv.Itoa(ports[0])
	d.API, d.URL = api, "http://127.0.0.1:"+strconv.Itoa(ports[0])
	for _, args := range [][]string{
		{"init", "--profile=test"},
		{"config", "Addresses.API", api},
		{"config", "Addresses.Gateway", "/ip4/127.0.0.1/tcp/" + strconv.Itoa(ports[1])},
		{"config", "--json", "Addresses.Swarm", `["/ip4/127.0.0.1/tcp/` + strconv.Itoa(ports[2]) + `"]`},
		{"config", "Routing.Type", "none"},
		{"config", "--json", "Bootstrap", "[]"},
		{"config", "--json", "Discovery.MDNS.Enabled", "false"},
		{"config", "--json", "AutoConf.Enabled", "false"},
		{"config", "--json", "AutoTLS.Enabled", "false"},
		{"config", "Plugins.Plugins.telemetry.Config.Mode", "off"},
		{"config", "--json", "Provide.Enabled", "false"},
	} {
		cmd := exec.Command(bin, args...)
		cmd.Env = d.env()
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("ipfs %v: %v\n%s", args, err, out)
		}
	}
	d.cmd = exec.Command(bin, "daemon", "--offline")
	d.cmd.Env = d.env()
	d.cmd.Stdout, d.cmd.Stderr = d.out, d.out
	if err := d.cmd.Start(); err != nil {
		t.Fatalf("ipfs daemon: %v", err)
	}
	go func() { _ = d.cmd.Wait(); close(d.done) }()
	if err := d.waitReady(); err != nil {
		d.stop()
		return nil, fmt.Errorf("%v\n%s", err, d.out.String())
	}
	t.Cleanup(d.stop)
	return d, nil
}

func (d *Daemon) env() []string {
	return append(os.Environ(), "IPFS_PATH="+d.Path, "IPFS_TELEMETRY=off")
}

// waitReady polls the API (POST /api/v0/id) until it answers.
func (d *Daemon) waitReady() error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(readyWait)
	for time.Now().Before(deadline) {
		select {
		case <-d.done:
			return errors.New("ipfs daemon exited before its API was ready")
		default:
		}
		resp, err := client.Post(d.URL+"/api/v0/id", "", nil)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("ipfs daemon API %s not ready after %v", d.URL, readyWait)
}

// stop asks the daemon to shut down and kills it if it does not.
func (d *Daemon) stop() {
	_ = d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.done:
	case <-time.After(15 * time.Second):
		_ = d.cmd.Process.Kill()
		<-d.done
	}
}

// Log returns what the daemon printed so far.
func (d *Daemon) Log() string { return d.out.String() }

func freePorts(n int) ([]int, error) {
	var ports []int
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			_ = l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
