package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// The credentials file keeps the API key of each gateway the user signed
// in to, keyed by the gateway's URL:
//
//	{
//	  "version": 1,
//	  "default_gateway": "http://localhost:6001",
//	  "gateways": {
//	    "http://localhost:6001": {"api_key": "ak_…:ns", "namespace": "ns",
//	      "wallet": "0x…", "plan": "free", "issued_at": "…"}
//	  }
//	}
//
// It lives at $HOME/.orama/credentials.json, the directory 0700 and the
// file 0600. A write replaces the file atomically (temp file, fsync,
// rename) under an exclusive lock, and keeps every other gateway's entry
// and every field this version does not know, byte for byte.

const (
	credentialsDir     = ".orama"
	credentialsFile    = "credentials.json"
	credentialsVersion = 1
)

// Credentials is one gateway's entry.
type Credentials struct {
	APIKey    string    `json:"api_key"`
	Namespace string    `json:"namespace"`
	Wallet    string    `json:"wallet,omitempty"`
	Plan      string    `json:"plan,omitempty"`
	IssuedAt  time.Time `json:"issued_at"`
}

// credentialsPath is $HOME/.orama/credentials.json.
func credentialsPath() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot find the home directory for the credentials file: %w", err)
	}
	return filepath.Join(home, credentialsDir, credentialsFile), nil
}

// normalizeGateway returns the canonical form of a gateway URL, the key of
// its entry: scheme and host in lower case, no trailing slash, no query.
// Errors: not an absolute http(s) URL.
func normalizeGateway(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("gateway %q must be an absolute http(s) URL, such as http://localhost:6001", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("gateway %q must be a plain URL (no user, query or fragment)", raw)
	}
	u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u.String(), nil
}

// saveCredentials records c as gateway's entry in the file at path (and
// gateway as the default), keeping everything else in the file.
func saveCredentials(path, gateway string, c Credentials) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("credentials directory: %w", err)
	}
	// The directory holds secrets: nobody but the user may list or enter it.
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("credentials directory: %w", err)
	}
	unlock, err := lockFile(path + ".lock")
	if err != nil {
		return err
	}
	defer unlock()

	doc := map[string]json.RawMessage{}
	gateways := map[string]json.RawMessage{}
	switch raw, err := os.ReadFile(path); {
	case os.IsNotExist(err):
	case err != nil:
		return fmt.Errorf("read %s: %w", path, err)
	case len(bytes.TrimSpace(raw)) > 0:
		if err := json.Unmarshal(raw, &doc); err != nil {
			return fmt.Errorf("%s is not valid JSON (%v); fix or remove it, it is left as it is", path, err)
		}
		if g, ok := doc["gateways"]; ok && string(g) != "null" {
			if err := json.Unmarshal(g, &gateways); err != nil {
				return fmt.Errorf("%s: \"gateways\" is not an object (%v); fix or remove the file", path, err)
			}
		}
	}
	entry, err := json.Marshal(c)
	if err != nil {
		return err
	}
	gateways[gateway] = entry
	for k, v := range map[string]any{"version": credentialsVersion, "default_gateway": gateway, "gateways": gateways} {
		if doc[k], err = json.Marshal(v); err != nil {
			return err
		}
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(path, append(out, '\n'), 0o600)
}

// loadCredentials returns gateway's entry of the file at path; ok is
// false when the file or the entry does not exist.
func loadCredentials(path, gateway string) (c Credentials, ok bool, err error) {
	raw, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return c, false, nil
	}
	if err != nil {
		return c, false, err
	}
	var doc struct {
		Gateways map[string]Credentials `json:"gateways"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return c, false, fmt.Errorf("%s: %w", path, err)
	}
	c, ok = doc.Gateways[gateway]
	return c, ok, nil
}

// writeFileAtomic replaces path with data: a temporary file in the same
// directory is written with perm, synced and renamed over path, so a
// reader sees the old file or the new one, never a part.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op once renamed
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil { // make the rename durable
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// lockFile takes an exclusive flock on path (created 0600), so two
// logins at once do not lose each other's entry.
func lockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("credentials lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("credentials lock: %w", err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
