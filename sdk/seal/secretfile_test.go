package seal

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/sdk/plugin"
)

func TestSecretFileCreatedOnceThenReused(t *testing.T) {
	dir := t.TempDir()
	s1, created, err := LoadSecretFile(dir, "auth.secret")
	if err != nil || !created || len(s1) < 32 {
		t.Fatalf("first load: %q %v %v", s1, created, err)
	}
	fi, err := os.Stat(filepath.Join(dir, "auth.secret"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("secret file mode: %v %v", fi, err)
	}
	s2, created, err := LoadSecretFile(dir, "auth.secret")
	if err != nil || created || s2 != s1 {
		t.Fatalf("second load: %q %v %v (want the same secret, not created)", s2, created, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestSecretFileTooShortRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "short")
	if err := os.WriteFile(path, []byte("tiny\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := LoadSecretFile("/nonexistent", path)
	var ce plugin.ConfigError
	if !errors.As(err, &ce) || ce[0].Attribute != "key_secret_file" || !strings.Contains(ce[0].Message, "fewer than") {
		t.Fatalf("short secret file: %v", err)
	}
}

func TestKeySecret(t *testing.T) {
	if got, err := KeySecret(hclog.NewNullLogger(), t.TempDir(), "", "given"); err != nil || got != "given" {
		t.Fatalf("without a file: %q, %v; want the value", got, err)
	}
	dir := t.TempDir()
	first, err := KeySecret(hclog.NewNullLogger(), dir, "key_secret", "ignored")
	if err != nil || first == "ignored" || len(first) < MinSecretLen {
		t.Fatalf("with a file: %q, %v; want a created secret", first, err)
	}
	again, err := KeySecret(hclog.NewNullLogger(), dir, "key_secret", "")
	if err != nil || again != first {
		t.Fatalf("second read: %q, %v; want %q", again, err, first)
	}
}
