// Package netguard is an HTTP client for requests to URLs that users
// choose — the http_fetch host function of serverless functions and the
// host's anonymous proxy — that cannot be turned against the gateway's
// own network (SSRF).
//
// Every connection is checked on the IP address actually dialled, after
// DNS resolution, by the dialer's Control hook: a name that resolves (or
// re-resolves: DNS rebinding) to a refused address is refused, and so is
// every redirect to one. Refused: loopback, private (RFC 1918), link-local
// (with the 169.254.169.254 cloud metadata address), carrier-grade NAT,
// unspecified, multicast, broadcast and other special-purpose ranges, IPv6
// unique-local, link-local and site-local, and the IPv4-mapped, NAT64 and
// 6to4 forms of refused IPv4 addresses (see Check). An allow-list (CIDRs,
// IPs, or host:port) exempts chosen destinations, for tests and private
// deployments. Only http and https; a bounded number of redirects; one
// time limit for the whole exchange; the response body is bounded (a
// larger one is an error, never silently cut); the environment's proxy
// settings are ignored (a proxy would dial on the client's behalf).
package netguard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/orama-network/orama/sdk"
)

// Defaults of a Config's zero fields.
const (
	DefaultTimeout      = 30 * time.Second
	DefaultMaxBodyBytes = 10 << 20
	DefaultMaxRedirects = 5
)

// Config shapes a Client. Zero fields take the defaults.
type Config struct {
	// Allow exempts destinations from the refusal: a CIDR ("10.1.0.0/16"),
	// an IP ("127.0.0.1", any port), or a host:port ("127.0.0.1:8080",
	// "[::1]:8080", "internal.example:443" — a name is matched as written
	// in the URL, before resolution).
	Allow        []string
	Timeout      time.Duration // the whole exchange: connect, redirects, body
	MaxBodyBytes int64         // the response body; more is an error
	MaxRedirects int           // redirects followed; negative: none
	// SOCKS5 is the host:port of a SOCKS5 proxy every request goes
	// through, such as an anonymity network's local client: there is no
	// bypass, and when the proxy is down requests fail (unavailable),
	// never go direct. Host names are passed to the proxy unresolved, so
	// no DNS query leaves this machine; IP literals and "localhost" names
	// are still checked here (and the allow-list applies to them), but
	// what a name resolves to is for the proxy to refuse — Tor refuses
	// internal addresses.
	SOCKS5 string
}

// Client makes guarded HTTP requests. Safe for concurrent use.
type Client struct {
	cfg       Config
	nets      []netip.Prefix
	addrPorts map[netip.AddrPort]bool
	hostPorts map[string]bool
	hc        *http.Client
}

// New returns a Client. Errors: invalid, naming an Allow entry that is
// none of the accepted forms.
func New(cfg Config) (*Client, error) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.MaxRedirects == 0 {
		cfg.MaxRedirects = DefaultMaxRedirects
	}
	c := &Client{cfg: cfg, addrPorts: map[netip.AddrPort]bool{}, hostPorts: map[string]bool{}}
	for _, a := range cfg.Allow {
		if err := c.allow(a); err != nil {
			return nil, err
		}
	}
	guarded := &net.Dialer{Timeout: cfg.Timeout, Control: c.control}
	open := &net.Dialer{Timeout: cfg.Timeout}
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		if c.hostPorts[strings.ToLower(addr)] {
			return open.DialContext(ctx, network, addr)
		}
		return guarded.DialContext(ctx, network, addr)
	}
	if cfg.SOCKS5 != "" {
		var err error
		if dial, err = c.socksDial(cfg.SOCKS5, open); err != nil {
			return nil, err
		}
	}
	tr := &http.Transport{
		Proxy:                 nil, // never the environment's proxy
		DialContext:           dial,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   10 * time.Second,
		MaxIdleConns:          64,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	c.hc = &http.Client{Transport: tr, Timeout: cfg.Timeout, CheckRedirect: c.checkRedirect}
	return c, nil
}

// allow adds one Allow entry.
func (c *Client) allow(a string) error {
	if pfx, err := netip.ParsePrefix(a); err == nil {
		c.nets = append(c.nets, pfx.Masked())
		return nil
	}
	if ip, err := netip.ParseAddr(a); err == nil {
		c.nets = append(c.nets, netip.PrefixFrom(ip.Unmap(), ip.Unmap().BitLen()))
		return nil
	}
	if ap, err := netip.ParseAddrPort(a); err == nil {
		c.addrPorts[netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())] = true
		return nil
	}
	if host, port, err := net.SplitHostPort(a); err == nil && host != "" && port != "" {
		c.hostPorts[strings.ToLower(a)] = true
		return nil
	}
	return sdk.Errorf(sdk.CodeInvalid, "netguard: allow entry %q is not a CIDR, an IP or a host:port", a)
}

// control is the dialer's hook: it sees the resolved address about to be
// connected.
func (c *Client) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return &RefusedError{Addr: address, Reason: "not an IP address"}
	}
	return c.check(ap, address)
}

// check applies the allow-list, then Check, to the address about to be
// reached; address names it in the error.
func (c *Client) check(ap netip.AddrPort, address string) error {
	ip := ap.Addr().WithZone("").Unmap()
	if c.addrPorts[netip.AddrPortFrom(ip, ap.Port())] {
		return nil
	}
	for _, n := range c.nets {
		if n.Contains(ip) {
			return nil
		}
	}
	if reason := refused(ap.Addr()); reason != "" {
		return &RefusedError{Addr: address, Reason: reason}
	}
	return nil
}

// checkRedirect bounds redirects and keeps them to http and https; the
// address of each is checked when it is dialled.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > c.cfg.MaxRedirects {
		return &redirectError{fmt.Sprintf("more than %d redirects", max(c.cfg.MaxRedirects, 0))}
	}
	if err := checkURL(req.URL); err != nil {
		return &redirectError{"redirect to " + err.Error()}
	}
	return nil
}

type redirectError struct{ msg string }

func (e *redirectError) Error() string { return e.msg }

// checkURL accepts absolute http and https URLs only.
func checkURL(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("scheme %q: only http and https are allowed", u.Scheme)
	}
	if u.Host == "" {
		return errors.New("a URL without a host")
	}
	return nil
}

// HTTPClient returns the guarded *http.Client (address checks, redirect
// policy, time limit) for callers that stream the response; its body is
// not bounded: Do and Fetch bound it.
func (c *Client) HTTPClient() *http.Client { return c.hc }

// Response is a whole response.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Fetch sends one request and reads the whole response. See Do.
func (c *Client) Fetch(ctx context.Context, method, rawURL string, header http.Header, body []byte) (*Response, error) {
	if method == "" {
		method = http.MethodGet
	}
	var rd io.Reader
	if len(body) > 0 {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, rd)
	if err != nil {
		return nil, sdk.Errorf(sdk.CodeInvalid, "bad request: %v", err)
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	return c.Do(req)
}

// Do sends req and reads the whole response. Errors (*sdk.Error):
// forbidden when an address dialled (the URL's or a redirect's) is
// refused; invalid for a URL that is not http(s), a redirect elsewhere or
// too many redirects; too_large for a body over MaxBodyBytes; unavailable
// when the target cannot be reached or the time limit passes.
func (c *Client) Do(req *http.Request) (*Response, error) {
	if err := checkURL(req.URL); err != nil {
		return nil, sdk.Errorf(sdk.CodeInvalid, "%v", err)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, classify(err, c.cfg.Timeout)
	}
	defer resp.Body.Close()
	if resp.ContentLength > c.cfg.MaxBodyBytes {
		return nil, tooLarge(c.cfg.MaxBodyBytes)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxBodyBytes+1))
	if err != nil {
		return nil, classify(err, c.cfg.Timeout)
	}
	if int64(len(b)) > c.cfg.MaxBodyBytes {
		return nil, tooLarge(c.cfg.MaxBodyBytes)
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: b}, nil
}

func tooLarge(n int64) error {
	return sdk.Errorf(sdk.CodeTooLarge, "response body exceeds %d bytes", n)
}

// classify turns a transport error into an *sdk.Error that says why.
func classify(err error, timeout time.Duration) error {
	var refused *RefusedError
	var redirect *redirectError
	var ne net.Error
	switch {
	case errors.As(err, &refused):
		return sdk.Errorf(sdk.CodeForbidden, "%s", refused.Error())
	case errors.As(err, &redirect):
		return sdk.Errorf(sdk.CodeInvalid, "%s", redirect.msg)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return sdk.Errorf(sdk.CodeUnavailable, timedOut+" (limit %s)", timeout)
	case errors.Is(err, context.Canceled):
		return sdk.Errorf(sdk.CodeUnavailable, "request canceled")
	}
	return sdk.Errorf(sdk.CodeUnavailable, "request failed: %v", err)
}

const timedOut = "request timed out"

// IsTimeout reports whether err is Do's error for a request that ran out
// of its time limit.
func IsTimeout(err error) bool {
	var e *sdk.Error
	return errors.As(err, &e) && e.Code == sdk.CodeUnavailable && strings.HasPrefix(e.Message, timedOut)
}

// IsRefused reports whether err is (or wraps) a refused address, as
// RefusedError or as the forbidden *sdk.Error of Do.
func IsRefused(err error) bool {
	var r *RefusedError
	if errors.As(err, &r) {
		return true
	}
	var e *sdk.Error
	return errors.As(err, &e) && e.Code == sdk.CodeForbidden
}
