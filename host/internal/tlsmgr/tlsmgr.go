package tlsmgr

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"

	"github.com/hashicorp/go-hclog"

	"github.com/orama-network/orama/host/internal/config"
)

// ALPN protocols the listener offers, best first. A WebSocket upgrade
// is an HTTP/1.1 request (net/http's HTTP/2 server does not offer
// RFC 8441's extended CONNECT), so browsers and Go clients open their
// WebSockets on an http/1.1 connection and everything else rides h2.
var nextProtos = []string{"h2", "http/1.1"}

// Manager holds the certificates of the gateway's HTTPS listener.
type Manager struct {
	tls  *tls.Config
	http http.Handler // the plain-HTTP listener's handler
	acme *acmeCerts   // nil for certificate files
	log  hclog.Logger
}

// New prepares the certificates of c for the HTTPS listener on listen
// (the server's listen address; its port is where redirects point and
// where TLS-ALPN-01 is answered). For files it loads them; for ACME it
// loads what the storage already holds, and Start obtains the rest.
func New(ctx context.Context, c *config.TLS, listen string, log hclog.Logger) (*Manager, error) {
	m := &Manager{log: log.Named("tls")}
	_, httpsPort, _ := net.SplitHostPort(listen)
	m.tls = &tls.Config{MinVersion: minVersion(c.MinVersion), NextProtos: nextProtos}
	if c.ACME != nil {
		a, err := newACME(ctx, c.ACME, listen, c.HTTPListen, m.log)
		if err != nil {
			return nil, err
		}
		m.acme = a
		m.tls.GetCertificate = a.magic.GetCertificate
		if a.tlsALPN {
			m.tls.NextProtos = append(nextProtos[:len(nextProtos):len(nextProtos)], acmeTLS1)
		}
		m.http = a.issuer.HTTPChallengeHandler(redirect(httpsPort))
		return m, nil
	}
	kp, err := loadKeyPair(c.CertFile, c.KeyFile, m.log)
	if err != nil {
		return nil, err
	}
	m.tls.GetCertificate = kp.GetCertificate
	m.http = redirect(httpsPort)
	return m, nil
}

// TLSConfig is the listener's configuration; the server must not change it.
func (m *Manager) TLSConfig() *tls.Config { return m.tls }

// HTTPHandler answers the plain-HTTP listener (tls { http_listen }):
// ACME HTTP-01 challenges, and 308 to HTTPS for every other request.
func (m *Manager) HTTPHandler() http.Handler { return m.http }

// Start begins managing the ACME certificates once the listeners accept
// connections (the CA's validation reaches them): certificates already
// in storage are used at once, missing ones are obtained in the
// background (retried with backoff), and all are renewed before they
// expire until ctx ends or Close. A no-op for certificate files.
func (m *Manager) Start(ctx context.Context) error {
	if m.acme == nil {
		return nil
	}
	return m.acme.start(ctx)
}

// Close stops the renewals.
func (m *Manager) Close() {
	if m.acme != nil {
		m.acme.cache.Stop()
	}
}

func minVersion(v string) uint16 {
	if v == config.TLSVersion12 {
		return tls.VersionTLS12
	}
	return tls.VersionTLS13
}
