package config

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

// fakeBinary is the content of the stand-in plugin binaries tests create.
const fakeBinary = "#!/bin/sh\nexit 0\n"

// fakeSHA is the sha256 of fakeBinary.
var fakeSHA = func() string {
	sum := sha256.Sum256([]byte(fakeBinary))
	return hex.EncodeToString(sum[:])
}()

// testDir makes a directory holding bin/orama-plugin-cache (executable)
// and bin/plain (not executable), and returns it with the path of a
// config file in it (not yet written).
func testDir(t *testing.T) (dir, file string) {
	t.Helper()
	dir = t.TempDir()
	writeFile(t, filepath.Join(dir, "bin", "orama-plugin-cache"), fakeBinary, 0o755)
	writeFile(t, filepath.Join(dir, "bin", "plain"), fakeBinary, 0o644)
	return dir, filepath.Join(dir, "config.hcl")
}

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // WriteFile's mode is subject to umask
		t.Fatal(err)
	}
}

// mustParse parses src as file and fails the test on any diagnostic.
func mustParse(t *testing.T, file, src string) *Config {
	t.Helper()
	cfg, diags := Parse(file, []byte(src))
	if len(diags) > 0 {
		t.Fatalf("unexpected diagnostics:\n%s", render(t, diags))
	}
	return cfg
}
