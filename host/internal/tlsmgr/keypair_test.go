package tlsmgr

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
)

func TestKeyPairReload(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := writePair(t, dir, "gw.test", 1)
	var logs bytes.Buffer
	k, err := loadKeyPair(certFile, keyFile, hclog.New(&hclog.LoggerOptions{Output: &logs}))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	k.now = func() time.Time { return now }
	serial := func() int64 {
		t.Helper()
		c, err := k.GetCertificate(nil)
		if err != nil {
			t.Fatal(err)
		}
		return c.Leaf.SerialNumber.Int64()
	}
	if s := serial(); s != 1 {
		t.Fatalf("serial %d, want 1", s)
	}

	writePair(t, dir, "gw.test", 2) // replaced in place
	if s := serial(); s != 1 {
		t.Errorf("serial %d before reloadCheck passed, want 1 (files are looked at every %s)", s, reloadCheck)
	}
	now = now.Add(reloadCheck)
	if s := serial(); s != 2 {
		t.Errorf("serial %d after the files changed, want 2", s)
	}

	write(t, certFile, []byte("half written")) // a broken pair keeps the previous one
	now = now.Add(reloadCheck)
	if s := serial(); s != 2 {
		t.Errorf("serial %d with a broken file, want 2 (the previous pair)", s)
	}
	if !strings.Contains(logs.String(), "do not load") {
		t.Errorf("no warning about the broken pair; log:\n%s", logs.String())
	}
}

func TestLoadKeyPairMissing(t *testing.T) {
	if _, err := loadKeyPair("/nonexistent/cert.pem", "/nonexistent/key.pem", hclog.NewNullLogger()); err == nil {
		t.Fatal("missing files loaded")
	}
}
