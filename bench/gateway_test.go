package bench

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

// gateway is a running bin/orama serve with the cache plugin.
type gateway struct {
	URL    string
	cmd    *exec.Cmd
	logs   *bytes.Buffer // written only by the process until it exits
	exited chan struct{}
}

var (
	gwOnce sync.Once
	gw     *gateway
	gwErr  error
)

// sharedGateway starts the real gateway once for the whole test binary.
// The binaries come from ORAMA_BIN_DIR, else the repository's bin/
// (make build). A missing binary fails the benchmark: it never skips.
func sharedGateway(tb testing.TB) *gateway {
	tb.Helper()
	gwOnce.Do(func() {
		gw, gwErr = startGateway()
		if gwErr == nil {
			cleanups = append(cleanups, gw.stop)
		}
	})
	if gwErr != nil {
		tb.Fatalf("starting the gateway: %v", gwErr)
	}
	return gw
}

func binDir() (string, error) {
	if d := os.Getenv("ORAMA_BIN_DIR"); d != "" {
		return filepath.Abs(d)
	}
	return filepath.Abs(filepath.Join("..", "bin"))
}

func startGateway() (*gateway, error) {
	bin, err := binDir()
	if err != nil {
		return nil, err
	}
	orama, plugin := filepath.Join(bin, "orama"), filepath.Join(bin, "orama-plugin-cache")
	for _, p := range []string{orama, plugin} {
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("%s is missing (run make build first): %w", p, err)
		}
	}
	dir, err := os.MkdirTemp("", "orama-bench-*")
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cfg := fmt.Sprintf(`server {
  listen = "127.0.0.1:%d"
}
node {
  id       = "bench"
  data_dir = %q
}
plugin "cache" {
  path = %q
  config {
    mode = "embedded"
  }
}
`, port, filepath.Join(dir, "data"), plugin)
	cfgPath := filepath.Join(dir, "config.hcl")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		return nil, err
	}
	g := &gateway{URL: fmt.Sprintf("http://127.0.0.1:%d", port), logs: &bytes.Buffer{}, exited: make(chan struct{})}
	g.cmd = exec.Command(orama, "serve", "-config", cfgPath)
	g.cmd.Dir = dir
	g.cmd.Stdout, g.cmd.Stderr = g.logs, g.logs
	if err := g.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { _ = g.cmd.Wait(); close(g.exited); _ = os.RemoveAll(dir) }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(g.URL + "/v1/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return g, nil
			}
		}
		select {
		case <-g.exited:
			return nil, fmt.Errorf("gateway exited before it was healthy; log:\n%s", g.logs.String())
		default:
		}
		if time.Now().After(deadline) {
			g.stop()
			return nil, fmt.Errorf("gateway not healthy after 60s; log:\n%s", g.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop sends SIGTERM, then SIGKILL after 15 s.
func (g *gateway) stop() {
	_ = g.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-g.exited:
	case <-time.After(15 * time.Second):
		_ = g.cmd.Process.Kill()
		<-g.exited
	}
}
