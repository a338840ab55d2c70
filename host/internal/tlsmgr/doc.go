// Package tlsmgr makes the gateway's HTTPS: the *tls.Config of its
// listener (TLS 1.3 by default, HTTP/2 and HTTP/1.1 offered) with a
// certificate from files, reloaded when they change, or obtained and
// renewed from an ACME CA by certmagic (HTTP-01 and TLS-ALPN-01), and the
// handler of the optional plain-HTTP listener: ACME HTTP-01 challenges,
// and a redirect to HTTPS for everything else.
package tlsmgr
