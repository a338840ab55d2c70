package netguard

import (
	"context"
	"net"
	"net/netip"
	"strings"

	"golang.org/x/net/proxy"

	"github.com/orama-network/orama/sdk"
)

// socksDial returns the transport's dial function when every request goes
// through the SOCKS5 proxy at addr (Config.SOCKS5). The proxy itself is
// dialled with open: it is the operator's choice, usually on loopback.
func (c *Client) socksDial(addr string, open *net.Dialer) (func(ctx context.Context, network, addr string) (net.Conn, error), error) {
	if host, port, err := net.SplitHostPort(addr); err != nil || host == "" || port == "" {
		return nil, sdk.Errorf(sdk.CodeInvalid, "netguard: socks5 %q is not a host:port", addr)
	}
	d, err := proxy.SOCKS5("tcp", addr, nil, open)
	if err != nil {
		return nil, sdk.Errorf(sdk.CodeInvalid, "netguard: socks5 %q: %v", addr, err)
	}
	cd := d.(proxy.ContextDialer) // x/net's SOCKS5 dialer always is one
	return func(ctx context.Context, network, target string) (net.Conn, error) {
		if err := c.checkTarget(target); err != nil {
			return nil, err
		}
		conn, err := cd.DialContext(ctx, network, target)
		if err != nil {
			return nil, &socksError{err}
		}
		return conn, nil
	}, nil
}

// checkTarget checks a destination handed to the SOCKS5 proxy: an IP
// literal like a dialled address, a name only for being this machine
// ("localhost", "*.localhost": RFC 6761); other names are resolved by the
// proxy.
func (c *Client) checkTarget(target string) error {
	if c.hostPorts[strings.ToLower(target)] {
		return nil
	}
	if ap, err := netip.ParseAddrPort(target); err == nil {
		return c.check(ap, target)
	}
	host, _, err := net.SplitHostPort(target)
	if err != nil {
		return &RefusedError{Addr: target, Reason: "not a host:port"}
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return &RefusedError{Addr: target, Reason: "loopback"}
	}
	return nil
}

// socksError is a failure to reach a destination through the proxy (the
// proxy down, or refusing the destination).
type socksError struct{ err error }

func (e *socksError) Error() string { return "through the SOCKS5 proxy: " + e.err.Error() }
func (e *socksError) Unwrap() error { return e.err }
