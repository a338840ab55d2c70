package server

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/sdk/netguard"
)

// proxyTarget is a real local HTTP server the proxy is allowed to reach.
func proxyTarget(t *testing.T, h http.HandlerFunc) (*httptest.Server, string) {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s, strings.TrimPrefix(s.URL, "http://")
}

func newProxyEnv(t *testing.T, cfg netguard.Config) *testEnv {
	t.Helper()
	c, err := netguard.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return newAuthEnv(t, func(o *Options) { o.Proxy = c; o.MaxBodyBytes = 1 << 20 })
}

type proxyAnswer struct {
	StatusCode   int               `json:"status_code"`
	Headers      map[string]string `json:"headers"`
	Body         string            `json:"body"`
	BodyEncoding string            `json:"body_encoding"`
	Error        string            `json:"error"`
	Code         string            `json:"code"`
}

func decodeProxy(t *testing.T, rec *httptest.ResponseRecorder) proxyAnswer {
	t.Helper()
	var a proxyAnswer
	if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
		t.Fatalf("body %q: %v", rec.Body, err)
	}
	return a
}

func TestProxyAnonForwards(t *testing.T) {
	var seen *http.Request
	var seenBody string
	s, hp := proxyTarget(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		seen, seenBody = r, string(b)
		w.Header().Add("X-Multi", "a")
		w.Header().Add("X-Multi", "b")
		w.WriteHeader(http.StatusTeapot)
		_, _ = w.Write([]byte(`{"ok":true}`))
	})
	e := newProxyEnv(t, netguard.Config{Allow: []string{hp}})
	rec := e.do(t, "POST", "/v1/proxy/anon",
		`{"url":"`+s.URL+`/post?q=1","method":"post","headers":{"User-Agent":"e2e/1.0","Connection":"close","Proxy-Authorization":"x"},"body":"test_data"}`,
		"X-API-Key", apitest.KeyAlpha)
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	a := decodeProxy(t, rec)
	if a.StatusCode != http.StatusTeapot || a.Body != `{"ok":true}` || a.Headers["X-Multi"] != "a, b" || a.BodyEncoding != "" {
		t.Fatalf("answer %+v", a)
	}
	if seen.Method != "POST" || seen.URL.RequestURI() != "/post?q=1" || seenBody != "test_data" || seen.UserAgent() != "e2e/1.0" {
		t.Fatalf("target saw %s %s %q UA %q", seen.Method, seen.URL, seenBody, seen.UserAgent())
	}
	if seen.Header.Get("Proxy-Authorization") != "" || seen.Header.Get("X-Api-Key") != "" {
		t.Fatalf("forwarded a header it must not: %v", seen.Header)
	}
}

func TestProxyAnonBinaryBody(t *testing.T) {
	bin := []byte{0xff, 0x00, 0xfe, 'a'}
	s, hp := proxyTarget(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(bin) })
	e := newProxyEnv(t, netguard.Config{Allow: []string{hp}})
	a := decodeProxy(t, e.do(t, "POST", "/v1/proxy/anon", `{"url":"`+s.URL+`"}`, "X-API-Key", apitest.KeyAlpha))
	got, err := base64.StdEncoding.DecodeString(a.Body)
	if a.BodyEncoding != "base64" || err != nil || string(got) != string(bin) {
		t.Fatalf("answer %+v", a)
	}
}

func TestProxyAnonRefusals(t *testing.T) {
	s, _ := proxyTarget(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("secret")) })
	e := newProxyEnv(t, netguard.Config{}) // nothing allowed: the target is on loopback
	for _, c := range []struct {
		name, body string
		status     int
		want       string
	}{
		{"loopback", `{"url":"` + s.URL + `"}`, 403, "loopback"},
		{"localhost name", `{"url":"http://localhost:` + s.URL[strings.LastIndex(s.URL, ":")+1:] + `"}`, 403, "loopback"},
		{"metadata", `{"url":"http://169.254.169.254/latest/meta-data/"}`, 403, "metadata"},
		{"private", `{"url":"http://10.0.0.1/"}`, 403, "private"},
		{"no url", `{"method":"GET"}`, 400, "url is required"},
		{"scheme", `{"url":"file:///etc/passwd"}`, 400, "only http and https"},
		{"bad method", `{"url":"http://example.com/","method":"GE T"}`, 400, "method"},
		{"connect", `{"url":"http://example.com/","method":"CONNECT"}`, 400, "method"},
		{"bad header", `{"url":"http://example.com/","headers":{"X-A":"a\r\nX-B: b"}}`, 400, "not a valid header"},
		{"invalid UTF-8", "{\"url\":\"http://example.com/\xff\"}", 400, "UTF-8"},
		{"not JSON", `url=x`, 400, "invalid JSON"},
		{"oversized", `{"url":"http://example.com/","body":"` + strings.Repeat("x", 2<<20) + `"}`, 413, "larger than 1048576 bytes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := e.do(t, "POST", "/v1/proxy/anon", c.body, "X-API-Key", apitest.KeyAlpha)
			if rec.Code != c.status || !strings.Contains(rec.Body.String(), c.want) {
				t.Fatalf("status %d body %s, want %d containing %q", rec.Code, rec.Body, c.status, c.want)
			}
			if strings.Contains(rec.Body.String(), "secret") {
				t.Fatal("the refused target's body came back")
			}
		})
	}
}

func TestProxyAnonNeedsCredential(t *testing.T) {
	e := newProxyEnv(t, netguard.Config{})
	if rec := e.do(t, "POST", "/v1/proxy/anon", `{"url":"http://example.com/"}`); rec.Code != 401 {
		t.Fatalf("without a credential: %d %s", rec.Code, rec.Body)
	}
}

func TestProxyAnonDisabled(t *testing.T) {
	e := newAuthEnv(t, nil) // Options.Proxy nil
	rec := e.do(t, "POST", "/v1/proxy/anon", `{"url":"http://example.com/"}`, "X-API-Key", apitest.KeyAlpha)
	if rec.Code != 403 || !strings.Contains(rec.Body.String(), "disabled") {
		t.Fatalf("disabled proxy: %d %s", rec.Code, rec.Body)
	}
}

func TestProxyAnonUpstreamFailures(t *testing.T) {
	big, bigHP := proxyTarget(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(make([]byte, 2048)) })
	slow, slowHP := proxyTarget(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	e := newProxyEnv(t, netguard.Config{Allow: []string{bigHP, slowHP}, MaxBodyBytes: 1024, Timeout: 300 * time.Millisecond})
	for _, c := range []struct {
		name, url string
		status    int
		want      string
	}{
		{"too large", big.URL, 502, "exceeds 1024 bytes"},
		{"hung target", slow.URL, 504, "timed out"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := e.do(t, "POST", "/v1/proxy/anon", `{"url":"`+c.url+`"}`, "X-API-Key", apitest.KeyAlpha)
			a := decodeProxy(t, rec)
			if rec.Code != c.status || !strings.Contains(a.Error, c.want) || a.Code != "unavailable" || a.StatusCode != 0 {
				t.Fatalf("status %d answer %+v, want %d with %q", rec.Code, a, c.status, c.want)
			}
		})
	}
}
