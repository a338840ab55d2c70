package app

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/host/internal/api/apitest"
)

// loginRun is an `orama auth login` running in the background.
type loginRun struct {
	t              *testing.T
	stdout, stderr *apitest.SyncBuffer
	code           chan int
	cancel         context.CancelFunc
}

// startLogin runs Main with args after "auth login" and -no-browser.
func startLogin(t *testing.T, args ...string) *loginRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	l := &loginRun{t: t, stdout: &apitest.SyncBuffer{}, stderr: &apitest.SyncBuffer{}, code: make(chan int, 1), cancel: cancel}
	go func() {
		l.code <- Main(ctx, append([]string{"auth", "login", "-no-browser"}, args...), l.stdout, l.stderr)
	}()
	t.Cleanup(func() {
		cancel()
		<-l.code
	})
	return l
}

// loginURL waits for the printed sign-in URL (the command prints it before
// it waits) and returns it.
func (l *loginRun) loginURL() *url.URL {
	l.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		for _, line := range strings.Split(l.stderr.String(), "\n") {
			line = strings.TrimSpace(line)
			if strings.Contains(line, "/v1/auth/login?") && strings.Contains(l.stderr.String(), "Waiting") {
				u, err := url.Parse(line)
				if err != nil {
					l.t.Fatalf("printed URL %q: %v", line, err)
				}
				return u
			}
		}
		if time.Now().After(deadline) {
			l.t.Fatalf("no sign-in URL printed; stderr:\n%s", l.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// browse plays the browser: the login page redirects to the callback with
// params added to the callback's own query.
func (l *loginRun) browse(params url.Values) (int, string) {
	l.t.Helper()
	cb, err := url.Parse(l.loginURL().Query().Get("callback"))
	if err != nil {
		l.t.Fatal(err)
	}
	q := cb.Query()
	for k, v := range params {
		q[k] = v
	}
	cb.RawQuery = q.Encode()
	return get(l.t, cb.String())
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (l *loginRun) exit() int {
	l.t.Helper()
	select {
	case c := <-l.code:
		l.code <- c // for Cleanup
		return c
	case <-time.After(30 * time.Second):
		l.t.Fatalf("orama auth login did not end; stderr:\n%s", l.stderr.String())
		return -1
	}
}

func TestLoginSavesCredentials(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	dir := filepath.Join(home, ".orama")
	path := filepath.Join(dir, "credentials.json")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// Another gateway's entry and a field this version does not know.
	before := `{"version":1,"extra":{"kept":true},"gateways":{"https://other.example":{"api_key":"k","namespace":"o","future":1}}}`
	if err := os.WriteFile(path, []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}

	l := startLogin(t, "-gateway", "HTTP://GW.example:6001/", "-namespace", "team")
	u := l.loginURL()
	if u.Scheme != "http" || u.Host != "gw.example:6001" || u.Path != "/v1/auth/login" || u.Query().Get("namespace") != "team" {
		t.Errorf("login URL %s", u)
	}
	cb, _ := url.Parse(u.Query().Get("callback"))
	if cb.Scheme != "http" || cb.Hostname() != "127.0.0.1" || cb.Path != "/callback" || cb.Query().Get("state") == "" {
		t.Errorf("callback URL %s", cb)
	}

	// A request that does not carry the state is refused and changes nothing.
	fake := *cb
	fake.RawQuery = url.Values{"state": {"guess"}, "api_key": {testKey("team", 9)}}.Encode()
	if code, body := get(t, fake.String()); code != http.StatusForbidden || !strings.Contains(body, "Nothing was saved") {
		t.Errorf("callback with a wrong state: %d %q", code, body)
	}

	key := testKey("team", 1)
	code, body := l.browse(url.Values{"api_key": {key}, "namespace": {"team"}, "wallet": {"0xAbC"}, "plan": {"free"}})
	if code != http.StatusOK || !strings.Contains(body, "close this tab") || !strings.Contains(body, "<html") {
		t.Errorf("callback: %d %q", code, body)
	}
	if c := l.exit(); c != 0 {
		t.Fatalf("exit %d; stderr:\n%s", c, l.stderr.String())
	}
	if out := l.stdout.String(); !strings.Contains(out, "http://gw.example:6001") || !strings.Contains(out, path) {
		t.Errorf("stdout %q", out)
	}

	for p, want := range map[string]os.FileMode{dir: 0o700, path: 0o600} {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v (%v), want %v", p, fi.Mode().Perm(), err, want)
		}
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version        int                        `json:"version"`
		DefaultGateway string                     `json:"default_gateway"`
		Extra          map[string]bool            `json:"extra"`
		Gateways       map[string]json.RawMessage `json:"gateways"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("credentials file: %v\n%s", err, raw)
	}
	if doc.Version != 1 || doc.DefaultGateway != "http://gw.example:6001" || !doc.Extra["kept"] || len(doc.Gateways) != 2 {
		t.Errorf("credentials file:\n%s", raw)
	}
	var other map[string]any
	if err := json.Unmarshal(doc.Gateways["https://other.example"], &other); err != nil || other["future"] != float64(1) || other["api_key"] != "k" {
		t.Errorf("the other gateway's entry changed: %s", doc.Gateways["https://other.example"])
	}
	c, ok, err := loadCredentials(path, "http://gw.example:6001")
	if err != nil || !ok || c.APIKey != key || c.Namespace != "team" || c.Wallet != "0xAbC" || c.Plan != "free" || c.IssuedAt.IsZero() {
		t.Errorf("entry: %+v %v %v", c, ok, err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "credentials.json" && e.Name() != "credentials.json.lock" {
			t.Errorf("left behind in %s: %s", dir, e.Name())
		}
	}
}

func TestLoginRefusesABadAnswer(t *testing.T) {
	cases := []struct {
		name   string
		flags  []string
		params url.Values
		want   string
	}{
		{"no key", nil, url.Values{"namespace": {"a"}}, "no api_key"},
		{"malformed key", nil, url.Values{"api_key": {"ak_short:a"}}, "not an Orama API key"},
		{"JWT instead of a key", nil, url.Values{"api_key": {"eyJ.eyJ.sig"}}, "not an Orama API key"},
		{"namespace not the key's", nil, url.Values{"api_key": {testKey("a", 1)}, "namespace": {"b"}}, `bound to namespace "a", not "b"`},
		{"namespace not asked for", []string{"-namespace", "b"}, url.Values{"api_key": {testKey("a", 1)}}, `for namespace "a", not "b"`},
		{"control character in wallet", nil, url.Values{"api_key": {testKey("a", 1)}, "wallet": {"0x\x01"}}, "wallet"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			home := t.TempDir()
			t.Setenv("HOME", home)
			l := startLogin(t, append([]string{"-gateway", "http://127.0.0.1:1"}, c.flags...)...)
			code, body := l.browse(c.params)
			if code != http.StatusBadRequest || !strings.Contains(body, "Sign-in failed") {
				t.Errorf("callback: %d %q", code, body)
			}
			if x := l.exit(); x != 1 || !strings.Contains(l.stderr.String(), c.want) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", x, l.stderr.String(), c.want)
			}
			if _, err := os.Stat(filepath.Join(home, ".orama", "credentials.json")); !os.IsNotExist(err) {
				t.Errorf("a credentials file was written: %v", err)
			}
		})
	}
}

func TestLoginEnds(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	t.Setenv("ORAMA_GATEWAY", "")
	l := startLogin(t, "-timeout", "50ms")
	if c := l.exit(); c != 1 || !strings.Contains(l.stderr.String(), "no answer from the browser within 50ms") {
		t.Errorf("timeout: exit %d, stderr %q", c, l.stderr.String())
	}

	l = startLogin(t)
	l.loginURL()
	l.cancel() // what Ctrl-C does
	if c := l.exit(); c != 1 || !strings.Contains(l.stderr.String(), "aborted") {
		t.Errorf("interrupt: exit %d, stderr %q", c, l.stderr.String())
	}
	if u := l.loginURL(); u.Host != "localhost:6001" {
		t.Errorf("default gateway: %s", u)
	}

	for _, args := range [][]string{{"-gateway", "ftp://x"}, {"-gateway", "http://x?y=1"}, {"-namespace", "a b"}, {"-timeout", "-1s"}, {"extra"}} {
		if code, _, errs := run(append([]string{"auth", "login"}, args...)...); code != 2 || errs == "" {
			t.Errorf("auth login %q: %d %q", args, code, errs)
		}
	}
	if code, _, errs := run("auth", "logout"); code != 2 || !strings.Contains(errs, "login") {
		t.Errorf("auth logout: %d %q", code, errs)
	}
}

func TestSaveCredentialsKeepsACorruptFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".orama", "credentials.json")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := saveCredentials(path, "http://gw", Credentials{APIKey: testKey("a", 1), Namespace: "a"})
	if err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Errorf("save over a corrupt file: %v", err)
	}
	if raw, _ := os.ReadFile(path); string(raw) != "{not json" {
		t.Errorf("corrupt file was changed to %q", raw)
	}
}

func TestNormalizeGateway(t *testing.T) {
	for in, want := range map[string]string{
		"http://localhost:6001":        "http://localhost:6001",
		"HTTPS://GW.Example.com/":      "https://gw.example.com",
		" https://gw.example/api/v1/ ": "https://gw.example/api/v1",
	} {
		if got, err := normalizeGateway(in); err != nil || got != want {
			t.Errorf("normalizeGateway(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "localhost:6001", "ws://gw", "http://u:p@gw", "http://gw#x", "/v1"} {
		if got, err := normalizeGateway(in); err == nil {
			t.Errorf("normalizeGateway(%q) = %q, want an error", in, got)
		}
	}
}
