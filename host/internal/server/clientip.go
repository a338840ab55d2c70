package server

import (
	"net/http"
	"net/netip"
	"strings"
)

// clientIP works out the address a request's per-IP rate limit counts
// against.
type clientIP struct {
	trusted []netip.Prefix
}

func newClientIP(trusted []netip.Prefix) clientIP {
	out := make([]netip.Prefix, 0, len(trusted))
	for _, p := range trusted {
		out = append(out, p.Masked())
	}
	return clientIP{trusted: out}
}

func (c clientIP) isTrusted(a netip.Addr) bool {
	for _, p := range c.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// of returns the client address of r: the peer (RemoteAddr), unless the
// peer is a trusted proxy, in which case X-Forwarded-For is walked from
// the right, skipping trusted proxies, and the first address that is not
// one is the client. A value that does not parse stops the walk at the
// hop that reported it. IPv6 clients count per /64 (one host's share).
func (c clientIP) of(r *http.Request) netip.Addr {
	peer := parseHost(r.RemoteAddr)
	if !peer.IsValid() || len(c.trusted) == 0 || !c.isTrusted(peer) {
		return bucketAddr(peer)
	}
	client := peer
	hops := r.Header["X-Forwarded-For"]
walk:
	for i := len(hops) - 1; i >= 0; i-- {
		parts := strings.Split(hops[i], ",")
		for j := len(parts) - 1; j >= 0; j-- {
			a := parseHost(strings.TrimSpace(parts[j]))
			if !a.IsValid() {
				break walk
			}
			client = a
			if !c.isTrusted(a) {
				break walk
			}
		}
	}
	return bucketAddr(client)
}

// parseHost parses "ip", "ip:port" or "[ipv6]:port"; the zero Addr when
// it is none of those.
func parseHost(s string) netip.Addr {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap()
	}
	if a, err := netip.ParseAddr(strings.Trim(s, "[]")); err == nil {
		return a.Unmap().WithZone("")
	}
	return netip.Addr{}
}

// bucketAddr is the address a bucket is kept for: IPv4 as is, IPv6 by /64.
func bucketAddr(a netip.Addr) netip.Addr {
	if a.Is6() {
		if p, err := a.WithZone("").Prefix(64); err == nil {
			return p.Addr()
		}
	}
	return a
}
