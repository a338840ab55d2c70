package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Issue 8 at the gateway's edge, mounted over real TCP against the real
// host:
//   - defect 3: slow requests (slowloris) and connection floods;
//   - defect 9: invalid UTF-8 reaching a plugin (cache, database, path and
//     query; storage is in security_storage_test.go).

// slowClient is one slowloris connection: it sends a request's start and
// then one byte every drip, for at most drips bytes, until the server
// ends the connection. The loop stops by itself.
type slowClient struct {
	conn net.Conn
	b    byte // the byte dripped: one that keeps the request unfinished and well-formed
	// cut: the server answered or closed before the client ran out of
	// bytes to drip; status is the answer's status (0: closed without).
	cut    bool
	status int
	body   string // the answer's body
	after  int    // bytes dripped before the end
}

const (
	slowDrip  = 250 * time.Millisecond
	slowDrips = 80 // 20 s of dripping: far beyond the 2 s deadlines under test
)

// openSlow dials addr and sends start; it returns nil when the dial or
// the first write fails (a refused connection).
func openSlow(addr, start string, b byte) *slowClient {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil
	}
	if _, err := io.WriteString(c, start); err != nil {
		c.Close()
		return nil
	}
	return &slowClient{conn: c, b: b}
}

// drip runs the slow sender and a reader of the answer; it returns when
// the server ends the connection or the drips run out.
func (s *slowClient) drip() {
	defer s.conn.Close()
	ended := make(chan int, 1)
	go func() {
		_ = s.conn.SetReadDeadline(time.Now().Add(slowDrip*slowDrips + 10*time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(s.conn), nil)
		if err != nil {
			var ne net.Error
			if asNetErr(err, &ne) && ne.Timeout() {
				ended <- -1 // the client's own guard: not cut
				return
			}
			ended <- 0
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		s.body = string(b) // read by drip after <-ended
		ended <- resp.StatusCode
	}()
	t := time.NewTicker(slowDrip)
	defer t.Stop()
	for s.after = 0; s.after < slowDrips; s.after++ {
		select {
		case st := <-ended:
			s.cut, s.status = st >= 0, st
			return
		case <-t.C:
		}
		if _, err := s.conn.Write([]byte{s.b}); err != nil {
			st := <-ended
			s.cut, s.status = st >= 0, st
			return
		}
	}
}

func asNetErr(err error, target *net.Error) bool {
	ne, ok := err.(net.Error)
	if ok {
		*target = ne
	}
	return ok
}

// refused reports whether a new connection from 127.0.0.1 is closed by the
// server without an answer to GET /v1/health.
func refused(addr string) bool {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return true
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(30 * time.Second)) // a liveness guard only
	if _, err := io.WriteString(c, "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		return true
	}
	_, err = http.ReadResponse(bufio.NewReader(c), nil)
	return err != nil
}

// clientFrom is an HTTP client whose connections start at local (another
// loopback address: another client to the host) and are not kept alive.
func clientFrom(local string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 10 * time.Second}
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		DialContext:       func(ctx context.Context, n, a string) (net.Conn, error) { return d.DialContext(ctx, n, a) },
		DisableKeepAlives: true,
	}}
}

func edgeStatus(c *http.Client, method, url, body string) (int, string) {
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// metric reads one sample of the host's /metrics (0 when absent).
func metric(t *testing.T, c *http.Client, url, sample string) float64 {
	t.Helper()
	code, body := edgeStatus(c, "GET", url+"/metrics", "")
	if code != 200 {
		t.Fatalf("/metrics: %d %s", code, body)
	}
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(sample) + ` (\S+)$`).FindStringSubmatch(body)
	if m == nil {
		return 0
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}

// TestSecurityEdgeSlowloris: the attack of defect 3 — headers announcing
// a 1 MB body on the public POST /v1/auth/challenge, then a byte now and
// then; and headers that never end — from one address, against a host
// allowing 6 connections per address with 2 s header and body deadlines.
// The 7th connection from that address is refused (and counted); a
// client on another address is served during the attack; every slow
// connection is cut by its deadline (400 for the body, a close for the
// headers), long before the attacker runs out of bytes; and afterwards
// the attacker's address is served again.
func TestSecurityEdgeSlowloris(t *testing.T) {
	const perIP = 6
	h := startAuthHost(t, fmt.Sprintf(`  read_header_timeout    = "2s"
  read_body_timeout      = "2s"
  max_connections_per_ip = %d`, perIP), "")
	addr := strings.TrimPrefix(h.URL, "http://")
	local := clientFrom("127.0.0.1")
	other := clientFrom("127.0.0.2") // another client: loopback, another address

	// Start from no open connection of 127.0.0.1 (the harness's health
	// checks may have left idle ones).
	http.DefaultClient.CloseIdleConnections()    // the harness and h.Client share its transport
	deadline := time.Now().Add(60 * time.Second) // a backstop, not an assertion
	for metric(t, local, h.URL, "orama_http_connections_open") > 1 {
		if time.Now().After(deadline) {
			t.Fatal("connections of earlier requests still open after 60 s")
		}
		time.Sleep(100 * time.Millisecond)
	}

	slowBody := "POST /v1/auth/challenge HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{"
	slowHead := "POST /v1/auth/challenge HTTP/1.1\r\nHost: x\r\nX-Slow: "
	var slow []*slowClient
	for i := range perIP {
		// JSON white space keeps the body valid and unfinished; a letter
		// keeps a header value going.
		start, b := slowBody, byte(' ')
		if i%3 == 2 {
			start, b = slowHead, 'a'
		}
		if s := openSlow(addr, start, b); s != nil {
			slow = append(slow, s)
		}
	}
	var wg sync.WaitGroup
	for _, s := range slow {
		wg.Go(s.drip)
	}

	if !refused(addr) {
		t.Errorf("a connection beyond max_connections_per_ip = %d was served", perIP)
	}
	if code, body := edgeStatus(other, "GET", h.URL+"/v1/health", ""); code != 200 {
		t.Errorf("another client's health during the attack: %d %s", code, body)
	}
	challenge := `{"wallet":"0x1111111111111111111111111111111111111111","purpose":"e2e","namespace":"slowloris"}`
	if code, body := edgeStatus(other, "POST", h.URL+"/v1/auth/challenge", challenge); code != 200 {
		t.Errorf("another client's challenge during the attack: %d %s", code, body)
	}

	wg.Wait()
	if len(slow) != perIP {
		t.Errorf("%d of the %d slow connections within the cap were refused", perIP-len(slow), perIP)
	}
	for i, s := range slow {
		switch {
		case !s.cut:
			t.Errorf("slow connection %d was never cut: the server waited through %d drips", i, s.after)
		case i%3 != 2 && (s.status != 400 || !strings.Contains(s.body, "read_body_timeout")):
			t.Errorf("slow body %d: cut with %d %q, want 400 naming read_body_timeout", i, s.status, s.body)
		}
	}

	// The attacker's address is served again, and the refusal was counted.
	if code, body := edgeStatus(local, "POST", h.URL+"/v1/auth/challenge", challenge); code != 200 {
		t.Errorf("challenge from 127.0.0.1 after the slow connections were cut: %d %s", code, body)
	}
	if n := metric(t, local, h.URL, `orama_http_connections_refused_total{reason="max_connections_per_ip"}`); n < 1 {
		t.Errorf("refused connections counted: %v, want ≥ 1", n)
	}
	if !strings.Contains(h.logs.String(), "refusing connections over the cap") {
		t.Error("the refusal was not logged")
	}
}

// TestSecurityEdgeInvalidUTF8: strings that are not UTF-8 — in the JSON
// of the cache and database routes, in the path, in a query parameter —
// are 400 naming the field, never a 500 from inside gRPC and never
// silently turned into U+FFFD (two different keys stored as one).
func TestSecurityEdgeInvalidUTF8(t *testing.T) {
	h := startHost(t, func(port int) string {
		return configText(port, cacheBlock(bins.cache, "")+databaseBlock(`    driver = "sqlite"`))
	})
	if r := h.do("POST", "/v1/rqlite/create-table", `{"schema":"CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"}`); r.code != 201 {
		t.Fatalf("create-table: %d %s", r.code, r.raw)
	}
	cases := []struct{ path, body, msg string }{
		{"/v1/cache/put", "{\"dmap\":\"d\",\"key\":\"\xff\",\"value\":1}", `invalid UTF-8 in "key"`},
		{"/v1/cache/put", "{\"dmap\":\"\xfe\xff\",\"key\":\"k\",\"value\":1}", `invalid UTF-8 in "dmap"`},
		{"/v1/cache/put", "{\"dmap\":\"d\",\"key\":\"k\",\"value\":{\"a\":\"\xc3\"}}", `invalid UTF-8 in "value.a"`},
		{"/v1/cache/get", "{\"dmap\":\"d\",\"key\":\"\xfe\"}", `invalid UTF-8 in "key"`},
		{"/v1/cache/mget", "{\"dmap\":\"d\",\"keys\":[\"ok\",\"\xff\"]}", `invalid UTF-8 in "keys[1]"`},
		{"/v1/cache/scan", "{\"dmap\":\"d\",\"match\":\"\xff*\"}", `invalid UTF-8 in "match"`},
		{"/v1/cache/delete", "{\"dmap\":\"d\",\"key\":\"\xff\"}", `invalid UTF-8 in "key"`},
		{"/v1/rqlite/query", "{\"sql\":\"SELECT '\xff\xfe'\"}", `invalid UTF-8 in "sql"`},
		{"/v1/rqlite/exec", "{\"sql\":\"INSERT INTO notes (body) VALUES (?)\",\"args\":[\"\xff\xfe\"]}", `invalid UTF-8 in "args[0]"`},
		{"/v1/rqlite/find", "{\"table\":\"notes\",\"criteria\":{\"bo\xffdy\":\"x\"}}", `invalid UTF-8 in a field name of "criteria"`},
		{"/v1/rqlite/find-one", "{\"table\":\"notes\",\"criteria\":{\"body\":\"\xff\"}}", `invalid UTF-8 in "criteria.body"`},
		{"/v1/rqlite/select", "{\"table\":\"no\xfftes\"}", `invalid UTF-8 in "table"`},
		{"/v1/rqlite/transaction", "{\"statements\":[\"SELECT 1\",\"SELECT '\xff'\"]}", `invalid UTF-8 in "statements[1]"`},
		{"/v1/rqlite/drop-table", "{\"table\":\"\xff\"}", `invalid UTF-8 in "table"`},
	}
	for _, c := range cases {
		r := h.do("POST", c.path, c.body)
		if msg, _ := r.body["error"].(string); r.code != 400 || msg != c.msg {
			t.Errorf("%s %q: %d %s, want 400 %q", c.path, c.body, r.code, r.raw, c.msg)
		}
	}
	for _, c := range []struct{ method, path, msg string }{
		{"GET", "/v1/rqlite/schema?namespace=%FF%FE", `invalid UTF-8 in "namespace"`},
		{"GET", "/v1/storage/get/%FF%FE", `invalid UTF-8 in "path"`},
		{"GET", "/v1/storage/status/%C3", `invalid UTF-8 in "path"`},
	} {
		r := h.do(c.method, c.path, "")
		if msg, _ := r.body["error"].(string); r.code != 400 || msg != c.msg {
			t.Errorf("%s %s: %d %s, want 400 %q", c.method, c.path, r.code, r.raw, c.msg)
		}
	}
	// Nothing was stored under U+FFFD, and valid UTF-8 works.
	if r := h.do("POST", "/v1/cache/get", `{"dmap":"d","key":"\ufffd"}`); r.code != 404 {
		t.Errorf("a key was stored as U+FFFD: %d %s", r.code, r.raw)
	}
	if r := h.do("POST", "/v1/cache/put", `{"dmap":"d","key":"clé 😀","value":"naïve"}`); r.code != 200 {
		t.Errorf("UTF-8 key: %d %s", r.code, r.raw)
	}
	if r := h.do("POST", "/v1/cache/get", `{"dmap":"d","key":"clé 😀"}`); r.code != 200 || r.body["value"] != "naïve" {
		t.Errorf("UTF-8 key read back: %d %s", r.code, r.raw)
	}
	if r := h.do("POST", "/v1/rqlite/exec", `{"sql":"INSERT INTO notes (body) VALUES (?)","args":["héllo"]}`); r.code != 200 {
		t.Errorf("UTF-8 arg: %d %s", r.code, r.raw)
	}
	if r := h.do("GET", "/v1/health", ""); r.code != 200 {
		t.Errorf("health after the refused requests: %d %s", r.code, r.raw)
	}
}
