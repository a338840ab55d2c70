package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/sdk/client"
)

// host is one running gateway process.
type host struct {
	t       *testing.T
	dir     string // its t.TempDir: config.hcl, data/
	config  string
	URL     string
	cmd     *exec.Cmd
	logs    *apitest.SyncBuffer
	exited  chan struct{}
	exitErr error
	Client  *client.Client
}

// freePort returns a TCP port that was free on 127.0.0.1 a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// pluginBlock is a plugin block of kind for the binary at path; config
// is the lines of its config block.
func pluginBlock(kind, path, config string) string {
	return fmt.Sprintf(`plugin %q {
  path = %q
  config {
%s
  }
}
`, kind, path, config)
}

// cacheBlock is a plugin block for the real cache plugin; extra is added
// inside its config block.
func cacheBlock(path, extra string) string {
	return pluginBlock("cache", path, "    mode = \"embedded\"\n"+extra)
}

// configText is a whole config.hcl listening on port, with node id "e2e".
func configText(port int, plugins string) string {
	return configTextNode(port, "e2e", plugins)
}

// configTextNode is configText for the node named id.
func configTextNode(port int, id, plugins string) string {
	return serverConfig(port, id, "5s", "", plugins)
}

// serverConfig is a whole config.hcl for the node named id, listening on
// port with the given request_timeout; serverExtra goes inside the server
// block, plugins after the node block.
func serverConfig(port int, id, requestTimeout, serverExtra, plugins string) string {
	return fmt.Sprintf(`server {
  listen           = "127.0.0.1:%d"
  upgrade_wait     = "20s"
  request_timeout  = %q
  shutdown_timeout = "10s"
%s
}
node {
  id       = %q
  data_dir = "./data"
}
%s`, port, requestTimeout, serverExtra, id, plugins)
}

// startHost writes config (built by mk from a free port) and starts orama
// serve; it returns once /v1/health answers 200.
func startHost(t *testing.T, mk func(port int) string) *host {
	t.Helper()
	h := newHost(t, mk)
	if err := h.launch(); err != nil {
		t.Fatal(err)
	}
	h.waitHealthy(60 * time.Second)
	return h
}

// newHost prepares a host (its directory and config.hcl) without starting
// it; launch starts it. Tests that start several hosts at once call launch
// from their own goroutines.
func newHost(t *testing.T, mk func(port int) string) *host {
	t.Helper()
	dir := t.TempDir()
	port := freePort(t)
	h := &host{t: t, dir: dir, config: filepath.Join(dir, "config.hcl"),
		URL: fmt.Sprintf("http://127.0.0.1:%d", port), logs: &apitest.SyncBuffer{}, exited: make(chan struct{})}
	h.writeConfig(mk(port))
	h.Client = client.New(h.URL)
	return h
}

// launch starts orama serve with the host's config. It may be called from
// any goroutine, once; it does not wait for the host to be healthy.
func (h *host) launch() error {
	h.cmd = exec.Command(bins.orama, "serve", "-config", h.config)
	h.cmd.Stdout, h.cmd.Stderr = h.logs, h.logs
	h.cmd.Env = append(os.Environ(), "ORAMA_LOG_LEVEL=debug")
	if err := h.cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", bins.orama, err)
	}
	go func() { h.exitErr = h.cmd.Wait(); close(h.exited) }()
	h.t.Cleanup(func() { h.stop() })
	return nil
}

// request sends a request with headers (name/value pairs) and returns
// the response with its body read.
func (h *host) request(method, path string, body io.Reader, hdr ...string) (*http.Response, []byte) {
	h.t.Helper()
	req, err := http.NewRequest(method, h.URL+path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatalf("%s %s: reading the body: %v", method, path, err)
	}
	return resp, b
}

func (h *host) writeConfig(text string) {
	h.t.Helper()
	if err := os.WriteFile(h.config, []byte(text), 0o644); err != nil {
		h.t.Fatal(err)
	}
}

// stop sends SIGTERM and waits; on failure it kills and dumps the log.
func (h *host) stop() {
	select {
	case <-h.exited:
		return
	default:
	}
	if !terminate(h.cmd, h.exited, 30*time.Second) {
		h.t.Errorf("host did not stop within 30s of SIGTERM; log:\n%s", h.logs.String())
	}
	if h.t.Failed() {
		h.t.Logf("host log:\n%s", tail(h.logs.String(), 200))
	}
}

// terminate sends cmd's process SIGTERM and waits until exited is
// closed; after d it kills the process, waits for it and returns false.
func terminate(cmd *exec.Cmd, exited <-chan struct{}, d time.Duration) bool {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
		return true
	case <-time.After(d):
		_ = cmd.Process.Kill()
		<-exited
		return false
	}
}

func tail(s string, lines int) string {
	parts := strings.Split(s, "\n")
	if len(parts) > lines {
		parts = parts[len(parts)-lines:]
	}
	return strings.Join(parts, "\n")
}

// health is the /v1/health document.
type health struct {
	Status  string `json:"status"`
	Plugins map[string]struct {
		Status   string `json:"status"`
		PID      int    `json:"pid"`
		Restarts int    `json:"restarts"`
		Version  string `json:"version"`
	} `json:"plugins"`
}

func (h *host) health() (int, health) {
	h.t.Helper()
	var doc health
	resp, err := http.Get(h.URL + "/v1/health")
	if err != nil {
		return 0, doc
	}
	defer resp.Body.Close()
	_ = json.NewDecoder(resp.Body).Decode(&doc)
	return resp.StatusCode, doc
}

// waitHealthy polls /v1/health until 200 or the deadline.
func (h *host) waitHealthy(limit time.Duration) health {
	h.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		code, doc := h.health()
		if code == http.StatusOK {
			return doc
		}
		select {
		case <-h.exited:
			h.t.Fatalf("host exited (%v) before it was healthy; log:\n%s", h.exitErr, h.logs.String())
		default:
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("host not healthy after %s (last status %d %+v); log:\n%s", limit, code, doc, tail(h.logs.String(), 100))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitLog waits until the host log contains s.
func (h *host) waitLog(s string, limit time.Duration) {
	h.t.Helper()
	deadline := time.Now().Add(limit)
	for !strings.Contains(h.logs.String(), s) {
		if time.Now().After(deadline) {
			h.t.Fatalf("log never showed %q; log:\n%s", s, tail(h.logs.String(), 100))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// post sends a JSON body and returns the status and the decoded answer.
func (h *host) post(path string, body any) (int, map[string]any, http.Header) {
	h.t.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(h.URL+path, "application/json", bytes.NewReader(b))
	if err != nil {
		h.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			h.t.Fatalf("POST %s: %d non-JSON answer %q", path, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode, out, resp.Header
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}
