package tlsmgr

import (
	"context"
	"crypto/x509"
	"fmt"
	"net"
	"os"
	"strconv"

	"github.com/caddyserver/certmagic"
	"github.com/hashicorp/go-hclog"
	"github.com/mholt/acmez/v3"
	"go.uber.org/zap"

	"github.com/orama-network/orama/host/internal/config"
)

// acmeTLS1 is the ALPN protocol of the TLS-ALPN-01 challenge (RFC 8737).
const acmeTLS1 = acmez.ACMETLS1Protocol

// acmeCerts are the certificates certmagic manages for one gateway.
//
// Storage is certmagic's FileStorage under acme { storage_dir }
// (<data_dir>/tls by default): the ACME account, each certificate with
// its key and metadata, and lock files. Several nodes pointed at one
// shared directory share the certificates: an obtain or a renewal takes
// the name's lock (a file created with O_EXCL, its timestamp refreshed
// while held), so one node talks to the CA while the others wait and
// then load its result; and the challenge tokens are written there too,
// so whichever node the CA's validation reaches can answer it.
type acmeCerts struct {
	cfg     *config.ACME
	magic   *certmagic.Config
	cache   *certmagic.Cache
	issuer  *certmagic.ACMEIssuer
	tlsALPN bool // the TLS-ALPN-01 challenge is on
	log     hclog.Logger
}

func newACME(ctx context.Context, c *config.ACME, listen, httpListen string, log hclog.Logger) (*acmeCerts, error) {
	if err := os.MkdirAll(c.StorageDir, 0o700); err != nil {
		return nil, fmt.Errorf("tls: acme storage_dir: %w", err)
	}
	roots, err := caRoots(c.CARootFile)
	if err != nil {
		return nil, err
	}
	zl := zap.New(newHCLogCore(log.Named("acme")))
	a := &acmeCerts{cfg: c, log: log}
	a.cache = certmagic.NewCache(certmagic.CacheOptions{
		GetConfigForCert: func(certmagic.Certificate) (*certmagic.Config, error) { return a.magic, nil },
		Logger:           zl,
	})
	a.magic = certmagic.New(a.cache, certmagic.Config{
		Storage:           &certmagic.FileStorage{Path: c.StorageDir},
		DefaultServerName: c.Domains[0], // clients without SNI (dialling an IP)
		Logger:            zl,
	})
	host, tlsPort := splitPort(listen)
	_, httpPort := splitPort(httpListen)
	a.tlsALPN = c.Challenge != config.ChallengeHTTP01
	a.issuer = certmagic.NewACMEIssuer(a.magic, certmagic.ACMEIssuer{
		CA:     c.DirectoryURL,
		Email:  c.Email,
		Agreed: true, // configuring acme { } accepts the CA's subscriber agreement (README)
		// HTTP-01 needs our plain-HTTP listener; TLS-ALPN-01 is answered by
		// the HTTPS listener itself (GetCertificate sees acme-tls/1).
		DisableHTTPChallenge:    c.Challenge == config.ChallengeTLSALPN01 || httpListen == "",
		DisableTLSALPNChallenge: !a.tlsALPN,
		// certmagic starts its own challenge listener only when it can bind
		// these; ours hold them, so it answers through our listeners.
		ListenHost:     host,
		AltHTTPPort:    httpPort,
		AltTLSALPNPort: tlsPort,
		TrustedRoots:   roots,
		Logger:         zl,
	})
	a.magic.Issuers = []certmagic.Issuer{a.issuer}
	return a, nil
}

// start loads the certificates from storage and obtains the missing ones
// in the background.
func (a *acmeCerts) start(ctx context.Context) error {
	a.log.Info("managing certificates", "domains", a.cfg.Domains, "ca", a.cfg.DirectoryURL,
		"storage", a.cfg.StorageDir, "challenge", challenges(a.issuer))
	if err := a.magic.ManageAsync(ctx, a.cfg.Domains); err != nil {
		return fmt.Errorf("tls: acme: %w", err)
	}
	return nil
}

func challenges(iss *certmagic.ACMEIssuer) []string {
	var out []string
	if !iss.DisableHTTPChallenge {
		out = append(out, config.ChallengeHTTP01)
	}
	if !iss.DisableTLSALPNChallenge {
		out = append(out, config.ChallengeTLSALPN01)
	}
	return out
}

// caRoots is the system's roots plus those of file; nil (the system's)
// when file is "".
func caRoots(file string) (*x509.CertPool, error) {
	if file == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("tls: acme ca_root_file: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("tls: acme ca_root_file %s: no PEM certificate in it", file)
	}
	return pool, nil
}

// splitPort splits a listen address; port 0 when absent or unparsable.
func splitPort(addr string) (host string, port int) {
	h, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0
	}
	port, _ = strconv.Atoi(p)
	return h, port
}
