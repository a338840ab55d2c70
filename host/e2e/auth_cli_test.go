package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/sdk/auth"
	"github.com/orama-network/orama/sdk/auth/authtest"
)

// cliKey is a key as orama keys create -json prints it.
type cliKey struct {
	ID, Key, Namespace, Name, Plan string
	Revoked                        bool
}

// TestAuthKeysCLI: orama keys create/list/revoke against the config of a
// running gateway. The command starts its own database and auth plugins
// on the gateway's SQLite file; the gateway sees the keys at once, and
// stops accepting a revoked one within key_cache_ttl.
func TestAuthKeysCLI(t *testing.T) {
	h := startAuthHost(t, `  key_cache_ttl = "2s"`, "")
	keys := func(args ...string) (int, string, string) {
		t.Helper()
		return orama(t, nil, append([]string{"keys", args[0], "-config", h.config, "-namespace", "ops"}, args[1:]...)...)
	}

	code, out, errs := keys("create", "-name", "ci", "-plan", "pro", "-json")
	var k cliKey
	if code != 0 || json.Unmarshal([]byte(out), &k) != nil {
		t.Fatalf("keys create -json: exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
	if _, ns, err := auth.ParseAPIKey(k.Key); err != nil || ns != "ops" || k.Namespace != "ops" || k.Name != "ci" || k.Plan != "pro" || k.ID == "" {
		t.Errorf("created key %+v (%v)", k, err)
	}
	if !strings.Contains(errs, "cannot be shown again") {
		t.Errorf("create -json: no warning on stderr: %q", errs)
	}

	// The running gateway accepts the key.
	put := h.send(http.MethodPost, "/v1/cache/put", map[string]any{"dmap": "d", "key": "k", "value": 1}, apiKey(k.Key)...)
	wantStatus(t, "cache put with the CLI's key", put, http.StatusOK)
	who := h.send(http.MethodGet, "/v1/auth/whoami", nil, apiKey(k.Key)...)
	if who.str("method") != "api_key" || who.str("namespace") != "ops" {
		t.Errorf("whoami with the CLI's key: %s", who)
	}

	// Text output: the key once, and the warning.
	code, out, _ = keys("create", "-name", "second")
	var second string
	for _, f := range strings.Fields(out) {
		if strings.HasPrefix(f, auth.APIKeyPrefix) {
			second = f
		}
	}
	if code != 0 || strings.Count(out, second) != 1 || !strings.Contains(out, "cannot be shown again") {
		t.Fatalf("keys create: exit %d\n%s", code, out)
	}

	code, out, errs = keys("list")
	secret, _, _ := strings.Cut(k.Key, ":")
	if code != 0 || !strings.Contains(out, k.ID) || !strings.Contains(out, "pro") || strings.Count(out, "active") != 2 || strings.Contains(out, secret) {
		t.Errorf("keys list: exit %d\n%s\n%s", code, out, errs)
	}

	code, out, errs = keys("revoke", "-id", k.ID)
	if code != 0 || !strings.Contains(out, "Revoked") || !strings.Contains(out, "2s") {
		t.Fatalf("keys revoke: exit %d\n%s\n%s", code, out, errs)
	}
	// Refused within the key cache TTL (2 s); 10 s bounds the poll.
	waitFor(t, 10*time.Second, "the revoked key refused", func() bool {
		return h.send(http.MethodGet, "/v1/auth/whoami", nil, apiKey(k.Key)...).code == http.StatusUnauthorized
	})
	r := h.send(http.MethodPost, "/v1/cache/get", map[string]any{"dmap": "d", "key": "k"}, apiKey(k.Key)...)
	wantStatus(t, "cache get with the revoked key", r, http.StatusUnauthorized)
	wantStatus(t, "the other key", h.send(http.MethodPost, "/v1/cache/get", map[string]any{"dmap": "d", "key": "k"}, apiKey(second)...), http.StatusOK)

	code, out, _ = keys("list", "-json")
	var listed struct{ Keys []cliKey }
	if code != 0 || json.Unmarshal([]byte(out), &listed) != nil || len(listed.Keys) != 2 || !listed.Keys[0].Revoked || listed.Keys[1].Revoked || listed.Keys[0].Key != "" {
		t.Errorf("keys list -json after revoke: exit %d\n%s", code, out)
	}

	if code, _, errs := keys("revoke", "-id", "key_nope"); code != 1 || !strings.Contains(errs, "not_found") {
		t.Errorf("revoke of an unknown id: exit %d %q", code, errs)
	}

	// A config without an auth plugin: a clear error, nothing started.
	noAuth := filepath.Join(t.TempDir(), "config.hcl")
	if err := os.WriteFile(noAuth, []byte(configText(freePort(t), cacheBlock(bins.cache, ""))), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := orama(t, nil, "keys", "list", "-config", noAuth, "-namespace", "ops"); code != 1 || !strings.Contains(errs, `no plugin "auth" block`) {
		t.Errorf("keys without an auth plugin: exit %d %q", code, errs)
	}
}

// TestAuthLoginCLI: orama auth login against a real gateway, with the test
// playing the browser: it opens the printed sign-in URL, does what the
// page does (challenge, personal_sign, POST /v1/auth/api-key) and follows
// the redirect to the command's callback. The saved key then works.
func TestAuthLoginCLI(t *testing.T) {
	h := startAuthHost(t, "", "")
	home := t.TempDir()
	cmd := exec.Command(bins.orama, "auth", "login", "-gateway", h.URL+"/", "-namespace", "cli-login", "-no-browser")
	cmd.Env = append(os.Environ(), "HOME="+home, "ORAMA_GATEWAY=")
	stdout, stderr := &apitest.SyncBuffer{}, &apitest.SyncBuffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})

	var loginURL *url.URL
	waitFor(t, 30*time.Second, "the sign-in URL printed", func() bool {
		for _, line := range strings.Split(stderr.String(), "\n") {
			if line = strings.TrimSpace(line); strings.HasPrefix(line, h.URL+"/v1/auth/login?") {
				loginURL, _ = url.Parse(line)
			}
		}
		return loginURL != nil && strings.Contains(stderr.String(), "Waiting")
	})

	// The browser loads the page.
	resp, err := http.Get(loginURL.String())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("login page: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}

	// The page signs with the wallet and creates a key.
	w := authtest.NewETHWallet()
	req := proofBody(w.Proof(h.challenge(w.Address(), "cli-login")))
	req["plan"] = "free"
	created := h.send(http.MethodPost, "/v1/auth/api-key", req)
	if !wantStatus(t, "api-key", created, http.StatusOK) {
		t.FailNow()
	}

	// ... and redirects to the callback with the key added to its query.
	cb, err := url.Parse(loginURL.Query().Get("callback"))
	if err != nil {
		t.Fatal(err)
	}
	q := cb.Query()
	for _, f := range []string{"api_key", "namespace", "wallet", "plan"} {
		q.Set(f, created.str(f))
	}
	cb.RawQuery = q.Encode()
	resp, err = http.Get(cb.String())
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "close this tab") {
		t.Errorf("callback: %d %s", resp.StatusCode, body)
	}

	select {
	case err := <-exited:
		exited <- err // for Cleanup
		if err != nil {
			t.Fatalf("orama auth login: %v\nstderr:\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("orama auth login did not end; stderr:\n%s", stderr.String())
	}

	path := filepath.Join(home, ".orama", "credentials.json")
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("credentials file: %v %v", fi, err)
	}
	raw, _ := os.ReadFile(path)
	var doc struct {
		DefaultGateway string `json:"default_gateway"`
		Gateways       map[string]struct {
			APIKey    string `json:"api_key"`
			Namespace string `json:"namespace"`
			Wallet    string `json:"wallet"`
			Plan      string `json:"plan"`
		} `json:"gateways"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("credentials file: %v\n%s", err, raw)
	}
	entry, ok := doc.Gateways[h.URL]
	if !ok || doc.DefaultGateway != h.URL || entry.APIKey != created.str("api_key") || entry.Namespace != "cli-login" ||
		!strings.EqualFold(entry.Wallet, w.Address()) || entry.Plan != "free" {
		t.Fatalf("credentials file:\n%s", raw)
	}
	who := h.send(http.MethodGet, "/v1/auth/whoami", nil, apiKey(entry.APIKey)...)
	if who.code != http.StatusOK || who.str("namespace") != "cli-login" || who.str("method") != "api_key" {
		t.Errorf("whoami with the saved key: %s", who)
	}
}
