package config

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/orama-network/orama/host/internal/tlsmgr/tlstest"
)

// writeKeyPair writes a self-signed certificate and its key as
// cert.pem and key.pem in dir.
func writeKeyPair(t *testing.T, dir string) {
	t.Helper()
	tlstest.New(t, "gw.test", 1).Write(t, filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem"))
}

func TestParseTLSAbsent(t *testing.T) {
	_, file := testDir(t)
	if tl := mustParse(t, file, "server {}\n").Server.TLS; tl != nil {
		t.Errorf("no tls block: %+v, want nil (plain HTTP)", tl)
	}
}

func TestParseTLSFiles(t *testing.T) {
	dir, file := testDir(t)
	writeKeyPair(t, dir)
	tl := mustParse(t, file, `server {
  tls {
    cert_file   = "cert.pem"
    key_file    = "key.pem"
    http_listen = ":8080"
  }
}
`).Server.TLS
	want := &TLS{MinVersion: "1.3", CertFile: filepath.Join(dir, "cert.pem"), KeyFile: filepath.Join(dir, "key.pem"), HTTPListen: ":8080"}
	if !reflect.DeepEqual(tl, want) {
		t.Errorf("files: %+v, want %+v", tl, want)
	}
}

func TestParseTLSACME(t *testing.T) {
	dir, file := testDir(t)
	writeKeyPair(t, dir) // cert.pem stands in for a CA root
	cfg := mustParse(t, file, `server {
  tls {
    min_version = 1.2
    acme {
      domains      = ["gw.example.com", "10.0.0.1"]
      challenge    = "tls-alpn-01"
      ca_root_file = "cert.pem"
    }
  }
}
node {
  data_dir = "state"
}
`)
	want := &TLS{MinVersion: "1.2", ACME: &ACME{Domains: []string{"gw.example.com", "10.0.0.1"},
		DirectoryURL: DefaultACMEDirectory, Challenge: "tls-alpn-01", CARootFile: filepath.Join(dir, "cert.pem"),
		StorageDir: filepath.Join(dir, "state", "tls")}}
	if !reflect.DeepEqual(cfg.Server.TLS, want) {
		t.Errorf("acme: %+v %+v, want %+v %+v", cfg.Server.TLS, cfg.Server.TLS.ACME, want, want.ACME)
	}
}

func TestBadDomain(t *testing.T) {
	for d, bad := range map[string]bool{
		"gw.example.com": false, "localhost": false, "xn--bcher-kva.example": false, "gw.example.com.": false,
		"::1": false, "https://gw.example.com": true, "gw.example.com:443": true, "-gw.example.com": true,
		"gw..example.com": true, "bücher.example": true, "gw_1.example.com": true, "": true,
	} {
		if got := badDomain(d) != ""; got != bad {
			t.Errorf("badDomain(%q) = %q, want bad=%v", d, badDomain(d), bad)
		}
	}
}
