package seal

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/sdk/plugin"
)

// LoadSecretFile returns the key secret kept in path (relative paths are
// under dir, the plugin's data directory). Errors about the file are a
// plugin.ConfigError on the attribute key_secret_file. A missing file is created with a fresh random secret, mode
// 0600, written to a temporary file and renamed into place so a crash never
// leaves half a secret; created reports that. Every node of a cluster
// must then be given the same file (or key_secret).
func LoadSecretFile(dir, path string) (secret string, created bool, err error) {
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	b, err := os.ReadFile(path)
	if err == nil {
		secret = strings.TrimSpace(string(b))
		if len(secret) < MinSecretLen {
			return "", false, plugin.ConfigError{{Attribute: "key_secret_file",
				Message: fmt.Sprintf("%s holds fewer than %d characters", path, MinSecretLen)}}
		}
		return secret, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", false, plugin.ConfigError{{Attribute: "key_secret_file", Message: err.Error()}}
	}
	raw := make([]byte, 48)
	if _, err := rand.Read(raw); err != nil {
		return "", false, err
	}
	secret = base64.RawURLEncoding.EncodeToString(raw)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", false, plugin.ConfigError{{Attribute: "key_secret_file", Message: err.Error()}}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".key_secret-*")
	if err != nil {
		return "", false, plugin.ConfigError{{Attribute: "key_secret_file", Message: err.Error()}}
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(secret + "\n"); err != nil {
		tmp.Close()
		return "", false, err
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return "", false, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", false, err
	}
	if err := tmp.Close(); err != nil {
		return "", false, err
	}
	// Link rather than rename: if another process created the file in the
	// meantime, keep theirs and read it.
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return LoadSecretFile(dir, path)
		}
		return "", false, err
	}
	return secret, true, nil
}

// KeySecret is the key secret a plugin's config gives: the one kept in
// file (LoadSecretFile under dir) when file is set, else value. A file
// created now is logged as a warning: every node that shares the sealed
// data needs the same secret.
func KeySecret(log hclog.Logger, dir, file, value string) (string, error) {
	if file == "" {
		return value, nil
	}
	secret, created, err := LoadSecretFile(dir, file)
	if err != nil {
		return "", err
	}
	if created {
		log.Warn("generated a new key secret; every gateway node sharing this database needs the same one", "file", file)
	}
	return secret, nil
}
