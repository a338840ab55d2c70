package e2e

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/host/internal/tlsmgr/tlstest"

	"github.com/orama-network/orama/host/internal/api/apitest"
)

// pebble is a running Debian pebble (an ACME test CA) on 127.0.0.1.
type pebble struct {
	DirURL string         // the ACME directory
	TLSPEM string         // file of the certificate pebble serves its API with (acme { ca_root_file })
	Roots  *x509.CertPool // pebble's issuing root: what clients of the gateway trust
	logs   *apitest.SyncBuffer
}

// startPebble runs pebble whose validation authority checks HTTP-01 on
// 127.0.0.1:httpPort and TLS-ALPN-01 on 127.0.0.1:tlsPort (the names are
// "localhost", resolved by the system). It fails the test when pebble is
// not installed: make tools-apt installs it.
func startPebble(t *testing.T, httpPort, tlsPort int) *pebble {
	t.Helper()
	bin, err := exec.LookPath("pebble")
	if err != nil {
		t.Fatalf("pebble is missing (make tools-apt installs Debian's pebble): %v", err)
	}
	dir := t.TempDir()
	certFile, keyFile := writeCert(t, dir, "localhost", 1)
	port, mgmt := freePort(t), freePort(t)
	conf, _ := json.Marshal(map[string]any{"pebble": map[string]any{
		"listenAddress":           fmt.Sprintf("127.0.0.1:%d", port),
		"managementListenAddress": fmt.Sprintf("127.0.0.1:%d", mgmt),
		"certificate":             certFile, "privateKey": keyFile,
		"httpPort": httpPort, "tlsPort": tlsPort,
		"ocspResponderURL": "", "externalAccountBindingRequired": false,
	}})
	confFile := filepath.Join(dir, "pebble.json")
	if err := os.WriteFile(confFile, conf, 0o644); err != nil {
		t.Fatal(err)
	}
	p := &pebble{DirURL: fmt.Sprintf("https://127.0.0.1:%d/dir", port), TLSPEM: certFile, logs: &apitest.SyncBuffer{}}
	cmd := exec.Command(bin, "-config", confFile)
	cmd.Env = append(os.Environ(), "PEBBLE_VA_NOSLEEP=1", "PEBBLE_WFE_NONCEREJECT=0")
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("pebble log:\n%s", tail(p.logs.String(), 60))
		}
	})
	// The issuing root is new at every start: fetch it from the
	// management port (served with pebble's own certificate).
	api := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: poolOf(t, certFile)}}}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if root, err := get(api, fmt.Sprintf("https://127.0.0.1:%d/roots/0", mgmt)); err == nil {
			p.Roots = x509.NewCertPool()
			if !p.Roots.AppendCertsFromPEM(root) {
				t.Fatalf("pebble's /roots/0 is not PEM: %q", root)
			}
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("pebble's management port did not answer; log:\n%s", p.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// orders counts the orders pebble received.
func (p *pebble) orders() int { return strings.Count(p.logs.String(), "Added order") }

func get(c *http.Client, url string) ([]byte, error) {
	resp, err := c.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", url, resp.Status)
	}
	return io.ReadAll(resp.Body)
}

// writeCert writes a self-signed certificate for name (a DNS name, and
// 127.0.0.1) with serial, and its key, in dir; it returns their paths.
func writeCert(t *testing.T, dir, name string, serial int64) (certFile, keyFile string) {
	t.Helper()
	certFile, keyFile = filepath.Join(dir, name+".crt"), filepath.Join(dir, name+".key")
	tlstest.New(t, name, serial).Write(t, certFile, keyFile)
	return certFile, keyFile
}

func poolOf(t *testing.T, pemFile string) *x509.CertPool {
	t.Helper()
	b, err := os.ReadFile(pemFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		t.Fatalf("%s holds no PEM certificate", pemFile)
	}
	return pool
}

// httpsClient trusts roots only, offers h2 and http/1.1, and never
// follows redirects.
func httpsClient(roots *x509.CertPool, minV, maxV uint16) *http.Client {
	return &http.Client{
		Timeout: 5 * time.Second,
		Transport: &http.Transport{ForceAttemptHTTP2: true,
			TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: minV, MaxVersion: maxV}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// tlsHost starts orama serve with config, whose HTTPS listener is on
// 127.0.0.1:port; h.URL is https://localhost:port. It returns once
// /v1/health answers 200 over HTTPS to client (within limit: an ACME
// certificate is obtained meanwhile).
func tlsHost(t *testing.T, client *http.Client, limit time.Duration, port int, config string) *host {
	t.Helper()
	h := newHost(t, func(int) string { return config })
	h.URL = fmt.Sprintf("https://localhost:%d", port)
	if err := h.launch(); err != nil {
		t.Fatal(err)
	}
	h.waitHTTPS(client, limit)
	return h
}

// relaunch stops h and starts orama serve again on the same directory
// and config; it returns the new host once it answers over HTTPS.
func (h *host) relaunch(client *http.Client, limit time.Duration) *host {
	h.t.Helper()
	h.stop()
	n := &host{t: h.t, dir: h.dir, config: h.config, URL: h.URL, logs: &apitest.SyncBuffer{}, exited: make(chan struct{})}
	if err := n.launch(); err != nil {
		h.t.Fatal(err)
	}
	n.waitHTTPS(client, limit)
	return n
}

// waitHTTPS polls GET /v1/health over HTTPS until 200.
func (h *host) waitHTTPS(client *http.Client, limit time.Duration) {
	h.t.Helper()
	deadline := time.Now().Add(limit)
	var last error
	for {
		resp, err := client.Get(h.URL + "/v1/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		last = err
		select {
		case <-h.exited:
			h.t.Fatalf("host exited (%v) before it answered over HTTPS; log:\n%s", h.exitErr, h.logs.String())
		default:
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("no HTTPS answer after %s (last: %v); log:\n%s", limit, last, tail(h.logs.String(), 100))
		}
		time.Sleep(100 * time.Millisecond)
	}
}
