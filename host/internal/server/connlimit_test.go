package server

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestConnectionsFor(t *testing.T) {
	for _, c := range []struct {
		nofile uint64
		want   int
	}{
		{0, 1024},         // unknown
		{256, 192},        // small limits keep a quarter
		{1024, 768},       // still a quarter
		{2048, 1536},      // 4×fdReserve: the fixed reserve from here
		{4096, 3584},      //
		{20000, 8192},     // this machine: the memory ceiling
		{1 << 20, 8192},   //
		{1<<63 - 1, 8192}, // unlimited
		{60, 64},          // never below the floor
	} {
		if got := connectionsFor(c.nofile); got != c.want {
			t.Errorf("connectionsFor(%d) = %d, want %d", c.nofile, got, c.want)
		}
	}
	if d := DefaultMaxConnections(); d < minDefaultConnections || d > maxDefaultConnections {
		t.Errorf("DefaultMaxConnections() = %d", d)
	}
}

// serveLimited serves e's handler on a real listener and returns its
// address.
func serveLimited(t *testing.T, e *testEnv) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- e.srv.Serve(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-served })
	return ln.Addr().String()
}

// healthOn sends GET /health on conn and reports whether an answer came
// (false: the server closed the connection without one).
func healthOn(t *testing.T, conn net.Conn) bool {
	t.Helper()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second)) // a liveness guard only
	if _, err := io.WriteString(conn, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		return false
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == 200
}

// servedOnNew reports whether a new connection gets an answer; a refused
// one may already fail to connect (the server's RST can beat the dial).
func servedOnNew(t *testing.T, addr string) bool {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return false
	}
	defer c.Close()
	return healthOn(t, c)
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// Connections over the per-address cap are closed unanswered and counted;
// a slot freed by a close is taken again.
func TestConnLimitPerIP(t *testing.T) {
	e := newTestEnv(t, func(o *Options) { o.MaxConnections = 10; o.MaxConnectionsPerIP = 2 })
	addr := serveLimited(t, e)
	a, b := dial(t, addr), dial(t, addr)
	if !healthOn(t, a) || !healthOn(t, b) {
		t.Fatal("connections within the cap not served")
	}
	if servedOnNew(t, addr) {
		t.Fatal("a third connection from one address was served (cap 2)")
	}
	if got := testutil.ToFloat64(e.srv.conns.metrics.refused.WithLabelValues(refusedPerIP)); got != 1 {
		t.Errorf("refused per IP = %v, want 1", got)
	}
	a.Close()
	waitFor(t, func() bool { return testutil.ToFloat64(e.srv.conns.metrics.open) == 1 })
	if !healthOn(t, dial(t, addr)) {
		t.Fatal("a connection after one closed was not served")
	}
	if !strings.Contains(e.logs.String(), "refusing connections over the cap") {
		t.Error("the refusal was not logged")
	}
}

// The overall cap holds for everyone, trusted proxies too, which the
// per-address cap spares.
func TestConnLimitTotalAndTrustedProxies(t *testing.T) {
	e := newTestEnv(t, func(o *Options) {
		o.MaxConnections = 3
		o.MaxConnectionsPerIP = 1
		o.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	})
	addr := serveLimited(t, e)
	for i := range 3 {
		if !healthOn(t, dial(t, addr)) {
			t.Fatalf("connection %d from a trusted proxy not served (per-IP cap 1 must not apply)", i+1)
		}
	}
	if servedOnNew(t, addr) {
		t.Fatal("a fourth connection was served (overall cap 3)")
	}
	if got := testutil.ToFloat64(e.srv.conns.metrics.refused.WithLabelValues(refusedTotal)); got != 1 {
		t.Errorf("refused overall = %v, want 1", got)
	}
}

// Refusals are logged at most once per connRefusalLogEvery.
func TestConnLimitLogsWithoutFlooding(t *testing.T) {
	logs := &apitest.SyncBuffer{}
	l := newConnLimiter(1, 1, func(netip.Addr) bool { return false }, testLogger(logs), mustConnMetrics(t))
	ip := netip.MustParseAddr("192.0.2.1")
	if l.admit(ip) != "" {
		t.Fatal("first connection refused")
	}
	for range 1000 {
		if l.admit(ip) == "" {
			t.Fatal("over the cap admitted")
		}
	}
	if n := strings.Count(logs.String(), "refusing connections"); n != 1 {
		t.Errorf("%d log lines for 1000 refusals, want 1", n)
	}
	l.release(ip)
	if l.admit(netip.MustParseAddr("192.0.2.2")) != "" {
		t.Error("a slot freed by release is not taken again")
	}
}

func mustConnMetrics(t *testing.T) *connMetrics {
	m, err := newConnMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func testLogger(w io.Writer) hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{Output: w, Level: hclog.Debug})
}
