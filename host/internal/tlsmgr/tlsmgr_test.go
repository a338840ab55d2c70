package tlsmgr

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/hashicorp/go-hclog"

	"github.com/orama-network/orama/host/internal/config"
)

func TestNewFiles(t *testing.T) {
	certFile, keyFile := writePair(t, t.TempDir(), "gw.test", 7)
	for _, c := range []struct {
		version string
		want    uint16
	}{{"1.3", tls.VersionTLS13}, {"1.2", tls.VersionTLS12}} {
		m, err := New(t.Context(), &config.TLS{MinVersion: c.version, CertFile: certFile, KeyFile: keyFile}, ":8443", hclog.NewNullLogger())
		if err != nil {
			t.Fatal(err)
		}
		cfg := m.TLSConfig()
		if cfg.MinVersion != c.want || !slices.Equal(cfg.NextProtos, []string{"h2", "http/1.1"}) {
			t.Errorf("min_version %s: MinVersion %x NextProtos %q", c.version, cfg.MinVersion, cfg.NextProtos)
		}
		if cert, err := cfg.GetCertificate(&tls.ClientHelloInfo{ServerName: "gw.test"}); err != nil || cert.Leaf.SerialNumber.Int64() != 7 {
			t.Errorf("GetCertificate: %v", err)
		}
		w := httptest.NewRecorder()
		m.HTTPHandler().ServeHTTP(w, httptest.NewRequest("GET", "http://gw.test/x", nil))
		if w.Code != http.StatusPermanentRedirect || w.Header().Get("Location") != "https://gw.test:8443/x" {
			t.Errorf("plain HTTP: %d %q", w.Code, w.Header().Get("Location"))
		}
		if err := m.Start(t.Context()); err != nil {
			t.Errorf("Start with files: %v", err)
		}
		m.Close()
	}
}

// ACME without contacting a CA: the challenges offered follow acme {
// challenge } and http_listen; certmagic's own solver listeners would
// be on the listen address (held by the gateway, so it answers).
func TestNewACME(t *testing.T) {
	for _, c := range []struct {
		challenge, httpListen string
		alpn                  bool
		want                  []string
	}{
		{"", "", true, []string{"tls-alpn-01"}},
		{"", ":80", true, []string{"http-01", "tls-alpn-01"}},
		{"http-01", ":80", false, []string{"http-01"}},
		{"tls-alpn-01", ":80", true, []string{"tls-alpn-01"}},
	} {
		dir := t.TempDir() + "/tls"
		m, err := New(t.Context(), &config.TLS{MinVersion: "1.3", HTTPListen: c.httpListen, ACME: &config.ACME{
			Domains: []string{"gw.test"}, DirectoryURL: "https://127.0.0.1:1/dir", Challenge: c.challenge, StorageDir: dir,
		}}, "127.0.0.1:8443", hclog.NewNullLogger())
		if err != nil {
			t.Fatal(err)
		}
		if got := slices.Contains(m.TLSConfig().NextProtos, acmeTLS1); got != c.alpn {
			t.Errorf("challenge %q: acme-tls/1 offered %v, want %v", c.challenge, got, c.alpn)
		}
		if got := challenges(m.acme.issuer); !slices.Equal(got, c.want) {
			t.Errorf("challenge %q http_listen %q: %q, want %q", c.challenge, c.httpListen, got, c.want)
		}
		if m.acme.issuer.AltTLSALPNPort != 8443 || m.acme.issuer.ListenHost != "127.0.0.1" {
			t.Errorf("solver listener %s:%d, want the listen address", m.acme.issuer.ListenHost, m.acme.issuer.AltTLSALPNPort)
		}
		w := httptest.NewRecorder()
		m.HTTPHandler().ServeHTTP(w, httptest.NewRequest("GET", "http://gw.test/v1/health", nil))
		if w.Code != http.StatusPermanentRedirect {
			t.Errorf("plain HTTP: %d, want 308", w.Code)
		}
		m.Close()
	}
}
