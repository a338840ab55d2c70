package tlsmgr

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRedirect(t *testing.T) {
	for _, c := range []struct {
		port, method, host, target string
		want                       string // Location, or "" for 400
	}{
		{"443", "GET", "gw.example.com", "/v1/health?x=1", "https://gw.example.com/v1/health?x=1"},
		{"443", "POST", "gw.example.com:80", "/v1/cache/put", "https://gw.example.com/v1/cache/put"},
		{"8443", "GET", "gw.example.com:8080", "/", "https://gw.example.com:8443/"},
		{"443", "GET", "[::1]:80", "/a", "https://[::1]/a"},
		{"8443", "GET", "[::1]", "/a", "https://[::1]:8443/a"},
		{"443", "GET", "", "/", ""},
		{"443", "GET", "evil.example/x", "/", ""},
	} {
		r := httptest.NewRequest(c.method, "http://placeholder"+c.target, nil)
		r.Host = c.host
		w := httptest.NewRecorder()
		redirect(c.port).ServeHTTP(w, r)
		switch {
		case c.want == "" && (w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `"code":"invalid"`)):
			t.Errorf("Host %q: %d %s, want 400 invalid", c.host, w.Code, w.Body)
		case c.want != "" && (w.Code != http.StatusPermanentRedirect || w.Header().Get("Location") != c.want):
			t.Errorf("%s Host %q %s: %d %q, want 308 %q", c.method, c.host, c.target, w.Code, w.Header().Get("Location"), c.want)
		}
	}
}
