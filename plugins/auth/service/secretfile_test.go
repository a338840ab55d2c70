package service

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk/plugin"
)

func TestSecretFileCreatedOnceThenReused(t *testing.T) {
	dir := t.TempDir()
	s1, created, err := loadSecretFile(dir, "auth.secret")
	if err != nil || !created || len(s1) < 32 {
		t.Fatalf("first load: %q %v %v", s1, created, err)
	}
	fi, err := os.Stat(filepath.Join(dir, "auth.secret"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("secret file mode: %v %v", fi, err)
	}
	s2, created, err := loadSecretFile(dir, "auth.secret")
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
	_, _, err := loadSecretFile("/nonexistent", path)
	var ce plugin.ConfigError
	if !errors.As(err, &ce) || ce[0].Attribute != "key_secret_file" || !strings.Contains(ce[0].Message, "fewer than") {
		t.Fatalf("short secret file: %v", err)
	}
}

func TestKeySecretOrFileRequired(t *testing.T) {
	for raw, attr := range map[string]string{
		`{}`: "key_secret",
		`{"key_secret":"0123456789012345678901234567890123456789","key_secret_file":"x"}`: "key_secret_file",
	} {
		_, err := ParseConfig(plugin.Config{Raw: []byte(raw)})
		var ce plugin.ConfigError
		if !errors.As(err, &ce) || ce[0].Attribute != attr {
			t.Errorf("%s: %v, want an error on %s", raw, err, attr)
		}
	}
	if _, err := ParseConfig(plugin.Config{Raw: []byte(`{"key_secret_file":"auth.secret"}`)}); err != nil {
		t.Errorf("key_secret_file alone: %v", err)
	}
}
