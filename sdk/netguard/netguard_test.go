package netguard

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
)

// server starts a real local HTTP server.
func server(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

func hello(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Seen-Method", r.Method)
	_, _ = w.Write([]byte("hello"))
}

func newClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// wantErr fails unless err is an *sdk.Error with code and a message
// containing want.
func wantErr(t *testing.T, err error, code sdk.Code, want string) {
	t.Helper()
	var e *sdk.Error
	if !errors.As(err, &e) || e.Code != code || !strings.Contains(e.Message, want) {
		t.Fatalf("error %v, want %s containing %q", err, code, want)
	}
}

func hostPort(s *httptest.Server) string { return strings.TrimPrefix(s.URL, "http://") }

func TestRefusedByDefault(t *testing.T) {
	s := server(t, hello)
	c := newClient(t, Config{})
	_, err := c.Fetch(context.Background(), "GET", s.URL, nil, nil)
	wantErr(t, err, sdk.CodeForbidden, "refused address "+hostPort(s)+" (loopback)")
	if !IsRefused(err) {
		t.Fatal("IsRefused is false")
	}
	// a name is checked on what it resolves to
	_, port, _ := net.SplitHostPort(hostPort(s))
	_, err = c.Fetch(context.Background(), "GET", "http://localhost:"+port+"/", nil, nil)
	wantErr(t, err, sdk.CodeForbidden, "(loopback)")
}

func TestAllowList(t *testing.T) {
	s := server(t, hello)
	_, port, _ := net.SplitHostPort(hostPort(s))
	for _, allow := range []string{"127.0.0.0/8", "127.0.0.1", hostPort(s), "localhost:" + port} {
		t.Run(allow, func(t *testing.T) {
			c := newClient(t, Config{Allow: []string{allow}})
			u := s.URL
			if strings.HasPrefix(allow, "localhost") {
				u = "http://localhost:" + port
			}
			resp, err := c.Fetch(context.Background(), "POST", u+"/x", http.Header{"X-A": {"1"}}, []byte("body"))
			if err != nil {
				t.Fatal(err)
			}
			if resp.Status != 200 || string(resp.Body) != "hello" || resp.Header.Get("X-Seen-Method") != "POST" {
				t.Fatalf("response %+v", resp)
			}
		})
	}
	// another port of the same address is not allowed by a host:port entry
	other := server(t, hello)
	c := newClient(t, Config{Allow: []string{hostPort(s)}})
	_, err := c.Fetch(context.Background(), "GET", other.URL, nil, nil)
	wantErr(t, err, sdk.CodeForbidden, "(loopback)")
}

func TestBadAllowEntry(t *testing.T) {
	for _, a := range []string{"nonsense", "10.0.0.0/33", ":80", ""} {
		if _, err := New(Config{Allow: []string{a}}); err == nil {
			t.Errorf("allow %q accepted", a)
		} else {
			wantErr(t, err, sdk.CodeInvalid, "allow entry")
		}
	}
}

func TestRedirects(t *testing.T) {
	refused := server(t, hello) // not on the allow-list
	var allowed *httptest.Server
	allowed = server(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-refused":
			http.Redirect(w, r, refused.URL+"/", http.StatusFound)
		case "/to-self":
			http.Redirect(w, r, "/final", http.StatusFound)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/to-file":
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		case "/to-metadata":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		default:
			hello(w, r)
		}
	})
	c := newClient(t, Config{Allow: []string{hostPort(allowed)}, MaxRedirects: 3, Timeout: 5 * time.Second})
	ctx := context.Background()

	resp, err := c.Fetch(ctx, "GET", allowed.URL+"/to-self", nil, nil)
	if err != nil || string(resp.Body) != "hello" {
		t.Fatalf("redirect to an allowed address: %v %+v", err, resp)
	}
	_, err = c.Fetch(ctx, "GET", allowed.URL+"/to-refused", nil, nil)
	wantErr(t, err, sdk.CodeForbidden, "refused address "+hostPort(refused)+" (loopback)")
	_, err = c.Fetch(ctx, "GET", allowed.URL+"/to-metadata", nil, nil)
	wantErr(t, err, sdk.CodeForbidden, "refused address 169.254.169.254:80 (link-local (cloud metadata))")
	_, err = c.Fetch(ctx, "GET", allowed.URL+"/loop", nil, nil)
	wantErr(t, err, sdk.CodeInvalid, "more than 3 redirects")
	_, err = c.Fetch(ctx, "GET", allowed.URL+"/to-file", nil, nil)
	wantErr(t, err, sdk.CodeInvalid, `redirect to scheme "file"`)
}

func TestSchemes(t *testing.T) {
	c := newClient(t, Config{})
	for _, u := range []string{"file:///etc/passwd", "ftp://example.com/", "gopher://example.com/", "/relative", "http:///nohost"} {
		_, err := c.Fetch(context.Background(), "GET", u, nil, nil)
		var e *sdk.Error
		if !errors.As(err, &e) || e.Code != sdk.CodeInvalid {
			t.Errorf("%s: %v, want invalid", u, err)
		}
	}
}

func TestBodyLimit(t *testing.T) {
	big := strings.Repeat("x", 2048)
	s := server(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/chunked" {
			// no Content-Length: the limit applies while reading
			for i := 0; i < 4; i++ {
				_, _ = w.Write([]byte(big[:512]))
				w.(http.Flusher).Flush()
			}
			return
		}
		_, _ = w.Write([]byte(big))
	})
	c := newClient(t, Config{Allow: []string{hostPort(s)}, MaxBodyBytes: 1024})
	for _, path := range []string{"/", "/chunked"} {
		_, err := c.Fetch(context.Background(), "GET", s.URL+path, nil, nil)
		wantErr(t, err, sdk.CodeTooLarge, "response body exceeds 1024 bytes")
	}
	// at the limit exactly: fine
	c = newClient(t, Config{Allow: []string{hostPort(s)}, MaxBodyBytes: 2048})
	if resp, err := c.Fetch(context.Background(), "GET", s.URL, nil, nil); err != nil || len(resp.Body) != 2048 {
		t.Fatalf("%v", err)
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	s := server(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	c := newClient(t, Config{Allow: []string{hostPort(s)}, Timeout: 200 * time.Millisecond})
	_, err := c.Fetch(context.Background(), "GET", s.URL, nil, nil)
	wantErr(t, err, sdk.CodeUnavailable, "request timed out (limit 200ms)")
	if !IsTimeout(err) {
		t.Fatal("IsTimeout is false")
	}
	if IsTimeout(sdk.Errorf(sdk.CodeUnavailable, "request failed: x")) {
		t.Fatal("IsTimeout of another failure")
	}
}

// TestNoEnvironmentProxy: no proxy is used, from the environment or
// otherwise (a proxy would dial the target on the client's behalf,
// unchecked). Checked on the transport: net/http never proxies loopback
// targets anyway, so a local server could not tell.
func TestNoEnvironmentProxy(t *testing.T) {
	c := newClient(t, Config{})
	tr, ok := c.HTTPClient().Transport.(*http.Transport)
	if !ok || tr.Proxy != nil {
		t.Fatalf("transport %T with a proxy function", c.HTTPClient().Transport)
	}
}
