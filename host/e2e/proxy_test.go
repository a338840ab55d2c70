package e2e

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// POST /v1/proxy/anon against the real host: a target reached, the SSRF
// guard on the real listener, and every request through a real SOCKS5
// upstream (Debian's microsocks, standing where the established
// deployment runs its anonymity network's client) — never around it.

// proxyHost starts a host (no plugins: auth disabled) whose server block
// holds proxyBlock.
func proxyHost(t *testing.T, proxyBlock string) *host {
	return startHost(t, func(port int) string { return serverConfig(port, "e2e", "5s", proxyBlock, "") })
}

// anon posts a proxy request and decodes the answer.
func anon(t *testing.T, h *host, req string) (int, map[string]any) {
	t.Helper()
	resp, body := h.request("POST", "/v1/proxy/anon", strings.NewReader(req), "Content-Type", "application/json")
	var out map[string]any
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("answer %d %q: %v", resp.StatusCode, body, err)
	}
	return resp.StatusCode, out
}

func echoTarget(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Seen-UA", r.UserAgent())
		fmt.Fprintf(w, "%s %s", r.Method, r.URL.Path)
	}))
	t.Cleanup(s.Close)
	return s, strings.TrimPrefix(s.URL, "http://")
}

func TestProxyAnonDirect(t *testing.T) {
	allowed, allowedHP := echoTarget(t)
	other, _ := echoTarget(t) // on loopback too, not allowed
	h := proxyHost(t, fmt.Sprintf("  proxy {\n    allow = [%q]\n    timeout = \"3s\"\n  }\n", allowedHP))

	status, out := anon(t, h, `{"url":"`+allowed.URL+`/get","method":"GET","headers":{"User-Agent":"e2e/1.0"}}`)
	if status != 200 || out["status_code"] != float64(200) || out["body"] != "GET /get" {
		t.Fatalf("allowed target: %d %v", status, out)
	}
	if hd, _ := out["headers"].(map[string]any); hd["X-Seen-Ua"] != "e2e/1.0" {
		t.Fatalf("headers %v", out["headers"])
	}
	for _, u := range []string{other.URL, "http://169.254.169.254/latest/meta-data/", "http://[::1]:1/", "http://100.64.0.1/"} {
		status, out = anon(t, h, `{"url":"`+u+`"}`)
		if status != 403 || out["code"] != "forbidden" {
			t.Errorf("%s: %d %v, want 403", u, status, out)
		}
	}
	if status, out = anon(t, h, `{"url":"gopher://x/"}`); status != 400 {
		t.Errorf("gopher: %d %v", status, out)
	}
}

// startMicrosocks runs Debian's microsocks on a free loopback port.
func startMicrosocks(t *testing.T) (addr string, stop func()) {
	t.Helper()
	bin, err := exec.LookPath("microsocks")
	if err != nil {
		t.Fatalf("microsocks is missing (make tools-apt installs it): %v", err)
	}
	port := freePort(t)
	cmd := exec.Command(bin, "-i", "127.0.0.1", "-p", fmt.Sprint(port))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop = func() {
		if !stopped {
			stopped = true
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}
	t.Cleanup(stop)
	addr = fmt.Sprintf("127.0.0.1:%d", port)
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return addr, stop
		}
		if time.Now().After(deadline) {
			t.Fatalf("microsocks not listening on %s: %v", addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestProxyAnonThroughSOCKS5(t *testing.T) {
	target, targetHP := echoTarget(t)
	socks, stop := startMicrosocks(t)
	h := proxyHost(t, fmt.Sprintf("  proxy {\n    socks5 = %q\n    allow = [%q]\n    timeout = \"3s\"\n  }\n", socks, targetHP))

	status, out := anon(t, h, `{"url":"`+target.URL+`/via","method":"POST","body":"x"}`)
	if status != 200 || out["body"] != "POST /via" {
		t.Fatalf("through socks5: %d %v", status, out)
	}
	// literals are still checked before anything reaches the upstream
	if status, out = anon(t, h, `{"url":"http://127.0.0.1:1/"}`); status != 403 {
		t.Fatalf("loopback literal through socks5: %d %v", status, out)
	}
	// the upstream down: the request fails, it never goes direct
	stop()
	status, out = anon(t, h, `{"url":"`+target.URL+`/via"}`)
	if status != 502 || out["code"] != "unavailable" || !strings.Contains(fmt.Sprint(out["error"]), "SOCKS5") {
		t.Fatalf("socks5 down: %d %v, want 502 naming the SOCKS5 proxy", status, out)
	}
}
