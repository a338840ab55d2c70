package tlsmgr

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/orama-network/orama/host/internal/tlsmgr/tlstest"
)

// writePair writes a self-signed certificate for name with serial, and
// its key, as cert.pem and key.pem in dir; it returns their paths.
func writePair(t *testing.T, dir, name string, serial int64) (certFile, keyFile string) {
	t.Helper()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	tlstest.New(t, name, serial).Write(t, certFile, keyFile)
	return certFile, keyFile
}

func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
