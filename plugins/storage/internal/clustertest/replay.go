// Package clustertest replays responses captured from a real IPFS
// Cluster peer (curl -i output whose first line is the request) through
// an httptest server, for tests of code that talks to a cluster.
package clustertest

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// capture is one response recorded with curl -i, and the request that
// produced it (the file's first line).
type capture struct {
	file     string
	method   string
	path     string
	query    url.Values
	status   int
	header   http.Header
	body     string
	trailers http.Header
}

// loadCapture parses dir/<name>.txt.
func loadCapture(t testing.TB, dir, name string) capture {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, name+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	c := capture{file: name, header: http.Header{}, trailers: http.Header{}}
	first, rest, _ := strings.Cut(string(raw), "\n")
	fields := strings.Fields(strings.TrimPrefix(first, "# request:"))
	for i, f := range fields {
		if f == "-X" && i+1 < len(fields) {
			c.method = fields[i+1]
		}
	}
	u, err := url.Parse(fields[len(fields)-1])
	if c.method == "" || err != nil {
		t.Fatalf("%s: cannot parse the request line %q", name, first)
	}
	c.path, c.query = u.Path, u.Query()

	sc := bufio.NewScanner(strings.NewReader(rest))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	if !sc.Scan() {
		t.Fatalf("%s: no status line", name)
	}
	parts := strings.Fields(sc.Text())
	if c.status, err = strconv.Atoi(parts[1]); err != nil {
		t.Fatalf("%s: status line %q", name, sc.Text())
	}
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" {
			break
		}
		k, v, _ := strings.Cut(line, ":")
		c.header.Add(k, strings.TrimSpace(v))
	}
	announced := map[string]bool{}
	for _, k := range c.header.Values("Trailer") {
		announced[http.CanonicalHeaderKey(k)] = true
	}
	var body []string
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if k, v, ok := strings.Cut(line, ":"); ok && announced[http.CanonicalHeaderKey(k)] {
			c.trailers.Set(k, strings.TrimSpace(v))
			continue
		}
		body = append(body, line)
	}
	c.body = strings.TrimRight(strings.Join(body, "\n"), "\n") + "\n"
	return c
}

// Replay serves captures: each request must match the next unused
// capture's method, path and query, in order; anything else fails the
// test and gets a 501.
type Replay struct {
	URL string // the server's base URL

	t     testing.TB
	mu    sync.Mutex
	queue []capture
	auth  [2]string
}

// New serves the captures dir/<name>.txt in the order given until the
// test ends.
func New(t testing.TB, dir string, names ...string) *Replay {
	t.Helper()
	r := &Replay{t: t}
	for _, n := range names {
		r.queue = append(r.queue, loadCapture(t, dir, n))
	}
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	r.URL = srv.URL
	return r
}

// RequireBasicAuth makes every request carry these credentials.
func (r *Replay) RequireBasicAuth(user, pass string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.auth = [2]string{user, pass}
}

// ServeHTTP answers with the next capture.
func (r *Replay) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.queue) == 0 {
		r.t.Errorf("unexpected request %s %s", req.Method, req.URL)
		http.Error(w, "no capture left", http.StatusNotImplemented)
		return
	}
	c := r.queue[0]
	if req.Method != c.method || req.URL.Path != c.path || !reflect.DeepEqual(req.URL.Query(), c.query) {
		r.t.Errorf("request %s %s, want %s %s?%s (capture %s)", req.Method, req.URL, c.method, c.path, c.query.Encode(), c.file)
		http.Error(w, "request does not match the capture", http.StatusNotImplemented)
		return
	}
	if r.auth[0] != "" {
		if u, p, ok := req.BasicAuth(); !ok || u != r.auth[0] || p != r.auth[1] {
			r.t.Errorf("request without the expected basic auth")
		}
	}
	r.queue = r.queue[1:]
	for k, vs := range c.header {
		switch k {
		case "Content-Length", "Transfer-Encoding", "Date", "Connection":
			continue
		}
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.WriteHeader(c.status)
	_, _ = w.Write([]byte(c.body))
	for k := range c.trailers {
		w.Header().Set(k, c.trailers.Get(k))
	}
}

// Done fails the test unless every capture was requested.
func (r *Replay) Done() {
	r.t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.queue {
		r.t.Errorf("capture %s was never requested", c.file)
	}
}
