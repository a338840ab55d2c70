package server

import (
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/prometheus/client_golang/prometheus"
)

// Connection caps. Every accepted connection holds a file descriptor, a
// goroutine and buffers until it closes, so a stranger who opens many and
// keeps them open (slowloris) could exhaust the descriptors — after which
// accept fails for everyone and the plugins cannot open files — or the
// memory. connLimiter caps the connections open at once, overall and per
// client address, below the descriptor limit; a connection over a cap is
// closed at once, before any byte of it is read (an RST: no TIME_WAIT, no
// HTTP parsing), counted in orama_http_connections_refused_total and
// logged at most once per connRefusalLogEvery. The deadlines of
// server.go (read_header_timeout, read_body_timeout, idle_timeout) are
// what frees the slots of slow connections.
//
// The per-address cap counts the TCP peer: behind a reverse proxy every
// connection comes from the proxy, so peers in trusted_proxies are held
// only to the overall cap. IPv6 peers count per /64, as the rate limits.

const (
	// fdReserve is kept free of HTTP connections for everything else
	// the host opens: plugin connections, config and log files, the
	// metrics' /proc reads.
	fdReserve = 512
	// maxDefaultConnections bounds the derived default: each idle
	// connection costs some 30 KB, so the cap is also a memory bound.
	maxDefaultConnections = 8192
	minDefaultConnections = 64
	// DefaultMaxConnectionsPerIP is the per-address cap unless set: far
	// above what browsers open (6 per origin) and far below the overall
	// cap.
	DefaultMaxConnectionsPerIP = 128
	connRefusalLogEvery        = 10 * time.Second
)

// DefaultMaxConnections is the overall cap unless set: the open-file
// limit (RLIMIT_NOFILE, which the Go runtime raises to its hard limit at
// start) minus fdReserve — a quarter of it for small limits — and at most
// maxDefaultConnections.
func DefaultMaxConnections() int {
	return connectionsFor(openFileLimit())
}

func connectionsFor(nofile uint64) int {
	if nofile == 0 { // unknown
		return 1024
	}
	reserve := uint64(fdReserve)
	if nofile < 4*fdReserve {
		reserve = nofile / 4
	}
	n := nofile - reserve
	switch {
	case n > maxDefaultConnections:
		return maxDefaultConnections
	case n < minDefaultConnections:
		return minDefaultConnections
	}
	return int(n)
}

// connLimiter counts the open connections of a listener, overall and per
// client address.
type connLimiter struct {
	max, perIP int
	exempt     func(netip.Addr) bool // peers held to the overall cap only
	log        hclog.Logger
	metrics    *connMetrics

	mu       sync.Mutex
	total    int
	byIP     map[netip.Addr]int
	lastLog  time.Time
	unlogged map[string]int // refusals since the last log line, by reason
}

func newConnLimiter(max, perIP int, exempt func(netip.Addr) bool, log hclog.Logger, m *connMetrics) *connLimiter {
	return &connLimiter{max: max, perIP: perIP, exempt: exempt, log: log, metrics: m,
		byIP: make(map[netip.Addr]int), unlogged: make(map[string]int)}
}

// Refusal reasons (the metric's label).
const (
	refusedTotal = "max_connections"
	refusedPerIP = "max_connections_per_ip"
)

// admit takes a slot for a connection from ip, or returns the reason it
// is refused.
func (l *connLimiter) admit(ip netip.Addr) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.total >= l.max:
		return l.refuseLocked(refusedTotal, ip)
	case l.byIP[ip] >= l.perIP && !l.exempt(ip):
		return l.refuseLocked(refusedPerIP, ip)
	}
	l.total++
	l.byIP[ip]++
	l.metrics.open.Inc()
	return ""
}

// refuseLocked counts a refusal and logs, at most once per
// connRefusalLogEvery, how many there were since the last line.
func (l *connLimiter) refuseLocked(reason string, ip netip.Addr) string {
	l.metrics.refused.WithLabelValues(reason).Inc()
	l.unlogged[reason]++
	if now := time.Now(); now.Sub(l.lastLog) >= connRefusalLogEvery {
		l.lastLog = now
		l.log.Warn("refusing connections over the cap", "max_connections", l.max,
			"max_connections_per_ip", l.perIP, "open", l.total,
			"refused_max_connections", l.unlogged[refusedTotal],
			"refused_max_connections_per_ip", l.unlogged[refusedPerIP], "last_peer", ip.String())
		clear(l.unlogged)
	}
	return reason
}

func (l *connLimiter) release(ip netip.Addr) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.total--
	if n := l.byIP[ip] - 1; n > 0 {
		l.byIP[ip] = n
	} else {
		delete(l.byIP, ip)
	}
	l.metrics.open.Dec()
}

// listener wraps ln: Accept returns only connections within the caps.
func (l *connLimiter) listener(ln net.Listener) net.Listener {
	return &limitListener{Listener: ln, l: l}
}

type limitListener struct {
	net.Listener
	l *connLimiter
}

func (ll *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := ll.Listener.Accept()
		if err != nil {
			return nil, err
		}
		ip := peerAddr(c.RemoteAddr())
		if ll.l.admit(ip) == "" {
			return &limitedConn{Conn: c, l: ll.l, ip: ip}, nil
		}
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // RST: the descriptor and the port are free at once
		}
		_ = c.Close()
	}
}

// peerAddr is the address a connection counts against (IPv6 by /64).
func peerAddr(a net.Addr) netip.Addr {
	if ta, ok := a.(*net.TCPAddr); ok {
		if ap := ta.AddrPort(); ap.IsValid() {
			return bucketAddr(ap.Addr().Unmap())
		}
	}
	if a == nil {
		return netip.Addr{}
	}
	return bucketAddr(parseHost(a.String()))
}

// limitedConn gives its slot back when closed (once, however often
// net/http closes it).
type limitedConn struct {
	net.Conn
	l    *connLimiter
	ip   netip.Addr
	once sync.Once
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.release(c.ip) })
	return err
}

// connMetrics are the connection gauges and counters.
type connMetrics struct {
	open    prometheus.Gauge
	refused *prometheus.CounterVec // reason
}

func newConnMetrics(reg prometheus.Registerer) (*connMetrics, error) {
	open := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "orama_http_connections_open",
		Help: "HTTP connections open now (counted against max_connections).",
	})
	refused := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "orama_http_connections_refused_total",
		Help: "HTTP connections closed on accept because a cap was reached, by cap (max_connections, max_connections_per_ip).",
	}, []string{"reason"})
	var err error
	if open, err = register(reg, open); err != nil {
		return nil, err
	}
	if refused, err = register(reg, refused); err != nil {
		return nil, err
	}
	for _, r := range []string{refusedTotal, refusedPerIP} {
		refused.WithLabelValues(r) // present at 0 from the start
	}
	return &connMetrics{open: open, refused: refused}, nil
}
