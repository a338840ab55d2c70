package e2e

import (
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// HTTPS on the real host: a certificate obtained from a real ACME CA
// (Debian's pebble) by HTTP-01 and by TLS-ALPN-01, kept across a
// restart; certificate files; TLS 1.3 by default, HTTP/2, WebSockets.

// acmeConfig is a config.hcl serving HTTPS on port with a certificate for
// "localhost" from p by challenge; httpPort > 0 adds the plain-HTTP
// listener; extra lines go in the acme block.
func acmeConfig(p *pebble, port, httpPort int, challenge, extra string) string {
	httpListen := ""
	if httpPort > 0 {
		httpListen = fmt.Sprintf("    http_listen = \"127.0.0.1:%d\"\n", httpPort)
	}
	return serverConfig(port, "e2e", "5s", fmt.Sprintf(`  tls {
%s    acme {
      email         = "ops@example.com"
      domains       = ["localhost"]
      directory_url = %q
      challenge     = %q
      ca_root_file  = %q
%s    }
  }
`, httpListen, p.DirURL, challenge, p.TLSPEM, extra), "")
}

// servedCert returns the serial of the certificate h serves, checking the
// answer of /v1/health came over TLS 1.3 and HTTP/2.
func servedCert(t *testing.T, h *host, client *http.Client) string {
	t.Helper()
	resp, err := client.Get(h.URL + "/v1/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Proto != "HTTP/2.0" || resp.TLS.Version != tls.VersionTLS13 {
		t.Fatalf("health: %d %s TLS %x, want 200 over HTTP/2 and TLS 1.3", resp.StatusCode, resp.Proto, resp.TLS.Version)
	}
	return resp.TLS.PeerCertificates[0].SerialNumber.Text(16)
}

func TestTLSACMEHTTP01(t *testing.T) {
	port, httpPort := freePort(t), freePort(t)
	p := startPebble(t, httpPort, port)
	client := httpsClient(p.Roots, 0, 0)
	h := tlsHost(t, client, 30*time.Second, port, acmeConfig(p, port, httpPort, "http-01", ""))
	serial := servedCert(t, h, client)
	if n := p.orders(); n != 1 {
		t.Errorf("pebble received %d orders, want 1", n)
	}
	if !strings.Contains(h.logs.String(), `"challenge":"http-01"`) { // "served key authentication"
		t.Errorf("the certificate was not obtained by HTTP-01; log:\n%s", tail(h.logs.String(), 40))
	}

	// The plain-HTTP listener redirects to HTTPS, method kept (308).
	resp, err := (&http.Client{CheckRedirect: client.CheckRedirect}).Post(
		fmt.Sprintf("http://localhost:%d/v1/cache/put?x=1", httpPort), "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if want := fmt.Sprintf("https://localhost:%d/v1/cache/put?x=1", port); resp.StatusCode != 308 || resp.Header.Get("Location") != want {
		t.Errorf("plain HTTP: %d %q, want 308 %q", resp.StatusCode, resp.Header.Get("Location"), want)
	}

	// The certificate is cached under data_dir/tls; a restart reuses it.
	crts, _ := filepath.Glob(filepath.Join(h.dir, "data", "tls", "certificates", "*", "localhost", "localhost.crt"))
	if len(crts) != 1 {
		t.Fatalf("certificate not cached under data_dir/tls: %q", crts)
	}
	crt := crts[0]
	before, err := os.Stat(crt)
	if err != nil {
		t.Fatal(err)
	}
	h = h.relaunch(client, 15*time.Second)
	if s := servedCert(t, h, client); s != serial {
		t.Errorf("after the restart the certificate is %s, want the cached %s", s, serial)
	}
	if n := p.orders(); n != 1 {
		t.Errorf("pebble received %d orders after the restart, want still 1", n)
	}
	if after, err := os.Stat(crt); err != nil || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("cached certificate rewritten by the restart (%v)", err)
	}
	if strings.Contains(h.logs.String(), "obtaining certificate") {
		t.Errorf("the restarted host obtained a certificate; log:\n%s", tail(h.logs.String(), 40))
	}
}

func TestTLSACMETLSALPN01(t *testing.T) {
	port := freePort(t)
	p := startPebble(t, freePort(t), port) // HTTP-01 would reach nothing
	client := httpsClient(p.Roots, 0, 0)
	h := tlsHost(t, client, 30*time.Second, port, acmeConfig(p, port, 0, "tls-alpn-01", ""))
	servedCert(t, h, client)
	if !strings.Contains(h.logs.String(), `"challenge":"tls-alpn-01"`) { // "served key authentication certificate"
		t.Errorf("the certificate was not obtained by TLS-ALPN-01; log:\n%s", tail(h.logs.String(), 40))
	}
}

// Two nodes on one shared storage_dir: one order, both serve the same
// certificate (the obtain is locked in the storage; the node that waited
// loads the other's result). The CA checks HTTP-01 only at node A's
// plain-HTTP listener, started first: when node B wins the lock, A
// answers its challenge from the shared storage (distributed solving).
func TestTLSACMESharedStorage(t *testing.T) {
	portA, portB, httpA, httpB := freePort(t), freePort(t), freePort(t), freePort(t)
	p := startPebble(t, httpA, portA)
	client := httpsClient(p.Roots, 0, 0)
	shared := fmt.Sprintf("      storage_dir   = %q\n", filepath.Join(t.TempDir(), "shared-tls"))
	a := newHost(t, func(int) string { return acmeConfig(p, portA, httpA, "http-01", shared) })
	b := newHost(t, func(int) string { return acmeConfig(p, portB, httpB, "http-01", shared) })
	a.URL, b.URL = fmt.Sprintf("https://localhost:%d", portA), fmt.Sprintf("https://localhost:%d", portB)
	if err := a.launch(); err != nil {
		t.Fatal(err)
	}
	a.waitLog("listening for ACME challenges", 20*time.Second)
	if err := b.launch(); err != nil {
		t.Fatal(err)
	}
	a.waitHTTPS(client, 30*time.Second)
	b.waitHTTPS(client, 30*time.Second)
	if sa, sb := servedCert(t, a, client), servedCert(t, b, client); sa != sb {
		t.Errorf("node A serves %s, node B %s: want one shared certificate", sa, sb)
	}
	if n := p.orders(); n != 1 {
		t.Errorf("pebble received %d orders from two nodes sharing storage, want 1", n)
	}
}

// Certificate files; min_version refuses older clients; a pubsub
// WebSocket works over TLS next to HTTP/2.
func TestTLSCertFiles(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := writeCert(t, dir, "localhost", 42)
	roots := poolOf(t, certFile)
	filesBlock := func(minVersion string) string {
		return fmt.Sprintf("  tls {\n    cert_file = %q\n    key_file = %q\n%s  }\n", certFile, keyFile, minVersion)
	}
	client := httpsClient(roots, 0, 0)
	port := freePort(t)
	h := tlsHost(t, client, 30*time.Second, port, serverConfig(port, "e2e", "5s", filesBlock(""), pubsubBlock("")))
	if s := servedCert(t, h, client); s != "2a" {
		t.Errorf("serial %s, want 2a (42)", s)
	}
	if _, err := httpsClient(roots, 0, tls.VersionTLS12).Get(h.URL + "/v1/health"); err == nil || !strings.Contains(err.Error(), "protocol version") {
		t.Errorf("a TLS 1.2 client: %v, want a protocol version alert (TLS 1.3 is the default minimum)", err)
	}

	// WebSocket: an HTTP/1.1 upgrade on its own connection.
	c, resp, err := h.dialWSWith(client, "topic=tls")
	if err != nil {
		t.Fatalf("WebSocket over TLS: %v (status %d)", err, statusOf(resp))
	}
	sub := readSocket(t, "tls", c)
	body, _ := json.Marshal(map[string]string{"topic": "tls", "data_base64": base64.StdEncoding.EncodeToString([]byte("over tls"))})
	deadline := time.Now().Add(psWait)
	for got := false; !got; { // until the subscription is in place
		presp, err := client.Post(h.URL+"/v1/pubsub/publish", "application/json", strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		presp.Body.Close()
		if presp.StatusCode != 200 || presp.Proto != "HTTP/2.0" {
			t.Fatalf("publish: %d %s", presp.StatusCode, presp.Proto)
		}
		for _, f := range sub.quiet(200 * time.Millisecond) {
			got = got || string(f.data) == "over tls"
		}
		if !got && time.Now().After(deadline) {
			t.Fatal("no message on the WebSocket over TLS")
		}
	}

	// min_version = "1.2" lets a TLS 1.2 client in.
	port = freePort(t)
	h12 := tlsHost(t, client, 30*time.Second, port, serverConfig(port, "e2e", "5s", filesBlock("    min_version = \"1.2\"\n"), ""))
	resp, err = httpsClient(roots, 0, tls.VersionTLS12).Get(h12.URL + "/v1/health")
	if err != nil {
		t.Fatalf("TLS 1.2 client with min_version 1.2: %v", err)
	}
	resp.Body.Close()
	if resp.TLS.Version != tls.VersionTLS12 || resp.Proto != "HTTP/2.0" {
		t.Errorf("TLS %x %s, want TLS 1.2 and HTTP/2", resp.TLS.Version, resp.Proto)
	}
}
