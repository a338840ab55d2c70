package netguard

import (
	"net/netip"
)

// class is a range of addresses refused, and why.
type class struct {
	prefix netip.Prefix
	reason string
}

func p(s, reason string) class { return class{netip.MustParsePrefix(s), reason} }

// refusedV4 are the IPv4 ranges no outbound request may reach: this host,
// its networks and the special-purpose ranges that are not the public
// internet. Ordered most specific first where they overlap.
var refusedV4 = []class{
	p("255.255.255.255/32", "broadcast"),
	p("169.254.169.254/32", "link-local (cloud metadata)"),
	p("0.0.0.0/8", "unspecified (this network)"),
	p("10.0.0.0/8", "private"),
	p("100.64.0.0/10", "carrier-grade NAT"),
	p("127.0.0.0/8", "loopback"),
	p("169.254.0.0/16", "link-local"),
	p("172.16.0.0/12", "private"),
	p("192.0.0.0/24", "IETF protocol assignments"),
	p("192.0.2.0/24", "documentation"),
	p("192.168.0.0/16", "private"),
	p("198.18.0.0/15", "benchmarking"),
	p("198.51.100.0/24", "documentation"),
	p("203.0.113.0/24", "documentation"),
	p("224.0.0.0/4", "multicast"),
	p("240.0.0.0/4", "reserved"),
}

// refusedV6 are the IPv6 ranges refused outright. The forms that embed an
// IPv4 address (v4-mapped, NAT64, 6to4) are checked by what they embed.
var refusedV6 = []class{
	p("::/128", "unspecified"),
	p("::1/128", "loopback"),
	p("::/96", "IPv4-compatible (deprecated)"),
	p("64:ff9b:1::/48", "local-use NAT64"),
	p("100::/64", "discard-only"),
	p("2001::/32", "Teredo"),
	p("2001:db8::/32", "documentation"),
	p("fc00::/7", "unique local (private)"),
	p("fe80::/10", "link-local"),
	p("fec0::/10", "site-local (deprecated)"),
	p("ff00::/8", "multicast"),
}

var (
	nat64   = netip.MustParsePrefix("64:ff9b::/96")
	sixToIP = netip.MustParsePrefix("2002::/16")
)

// Check reports why addr must not be dialled (an error naming its class),
// or nil for a public address. The allow-list of a Client is not applied
// here.
func Check(addr netip.Addr) error {
	if reason := refused(addr); reason != "" {
		return &RefusedError{Addr: addr.String(), Reason: reason}
	}
	return nil
}

// refused returns the class of a refused address, "" for a public one.
func refused(addr netip.Addr) string {
	if !addr.IsValid() {
		return "not an IP address"
	}
	addr = addr.WithZone("")
	if addr.Is4In6() {
		if r := refused(addr.Unmap()); r != "" {
			return r + ", IPv4-mapped"
		}
		return ""
	}
	if addr.Is4() {
		for _, c := range refusedV4 {
			if c.prefix.Contains(addr) {
				return c.reason
			}
		}
		return ""
	}
	b := addr.As16()
	switch {
	case nat64.Contains(addr):
		if r := refused(netip.AddrFrom4([4]byte(b[12:16]))); r != "" {
			return r + ", through NAT64"
		}
		return ""
	case sixToIP.Contains(addr):
		if r := refused(netip.AddrFrom4([4]byte(b[2:6]))); r != "" {
			return r + ", through 6to4"
		}
		return ""
	}
	for _, c := range refusedV6 {
		if c.prefix.Contains(addr) {
			return c.reason
		}
	}
	return ""
}

// RefusedError is a dial refused because of the address it would reach.
type RefusedError struct {
	Addr   string // the address (ip or ip:port) actually dialled
	Reason string // its class: "loopback", "private", …
}

func (e *RefusedError) Error() string {
	return "refused address " + e.Addr + " (" + e.Reason + ")"
}
