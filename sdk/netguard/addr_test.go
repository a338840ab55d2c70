package netguard

import (
	"errors"
	"net/netip"
	"testing"
)

func TestCheck(t *testing.T) {
	cases := []struct {
		addr   string
		reason string // "" : allowed
	}{
		// public
		{"8.8.8.8", ""},
		{"1.1.1.1", ""},
		{"93.184.215.14", ""},
		{"2606:4700:4700::1111", ""},
		{"2a00:1450:4001:80b::200e", ""},
		{"::ffff:8.8.8.8", ""},
		{"64:ff9b::808:808", ""},
		{"2002:808:808::1", ""},
		// IPv4
		{"0.0.0.0", "unspecified (this network)"},
		{"0.1.2.3", "unspecified (this network)"},
		{"10.0.0.1", "private"},
		{"10.255.255.255", "private"},
		{"172.16.0.1", "private"},
		{"172.31.255.254", "private"},
		{"172.32.0.1", ""},
		{"192.168.1.1", "private"},
		{"100.64.0.1", "carrier-grade NAT"},
		{"100.127.255.254", "carrier-grade NAT"},
		{"100.128.0.1", ""},
		{"127.0.0.1", "loopback"},
		{"127.255.255.254", "loopback"},
		{"169.254.169.254", "link-local (cloud metadata)"},
		{"169.254.1.1", "link-local"},
		{"192.0.0.8", "IETF protocol assignments"},
		{"192.0.2.1", "documentation"},
		{"198.18.0.1", "benchmarking"},
		{"224.0.0.1", "multicast"},
		{"239.255.255.250", "multicast"},
		{"240.0.0.1", "reserved"},
		{"255.255.255.255", "broadcast"},
		// IPv6
		{"::", "unspecified"},
		{"::1", "loopback"},
		{"fc00::1", "unique local (private)"},
		{"fd12:3456:789a::1", "unique local (private)"},
		{"fe80::1", "link-local"},
		{"fe80::1%eth0", "link-local"},
		{"febf::1", "link-local"},
		{"fec0::1", "site-local (deprecated)"},
		{"ff02::1", "multicast"},
		{"2001:db8::1", "documentation"},
		{"2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"},
		{"100::1", "discard-only"},
		{"::127.0.0.1", "IPv4-compatible (deprecated)"},
		{"64:ff9b:1::1", "local-use NAT64"},
		// IPv4 forms in IPv6
		{"::ffff:127.0.0.1", "loopback, IPv4-mapped"},
		{"::ffff:10.1.2.3", "private, IPv4-mapped"},
		{"::ffff:169.254.169.254", "link-local (cloud metadata), IPv4-mapped"},
		{"64:ff9b::7f00:1", "loopback, through NAT64"},
		{"64:ff9b::a9fe:a9fe", "link-local (cloud metadata), through NAT64"},
		{"64:ff9b::c0a8:101", "private, through NAT64"},
		{"2002:7f00:1::", "loopback, through 6to4"},
		{"2002:a00:1::1", "private, through 6to4"},
	}
	for _, c := range cases {
		err := Check(netip.MustParseAddr(c.addr))
		if c.reason == "" {
			if err != nil {
				t.Errorf("%s: %v, want allowed", c.addr, err)
			}
			continue
		}
		var r *RefusedError
		if !errors.As(err, &r) || r.Reason != c.reason {
			t.Errorf("%s: %v, want refused (%s)", c.addr, err, c.reason)
			continue
		}
		if want := "refused address " + netip.MustParseAddr(c.addr).String() + " (" + c.reason + ")"; err.Error() != want {
			t.Errorf("%s: message %q, want %q", c.addr, err, want)
		}
	}
	if err := Check(netip.Addr{}); err == nil {
		t.Error("the zero Addr is allowed")
	}
}
