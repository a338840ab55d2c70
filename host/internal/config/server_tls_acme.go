package config

import (
	"net"
	"net/mail"
	"net/url"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// ACME is the tls block's acme { } block: a certificate obtained and
// renewed automatically from an ACME CA (RFC 8555).
type ACME struct {
	Email        string   // the CA account's contact; "" = none
	Domains      []string // names on the certificate, at least one
	DirectoryURL string   // the CA's directory (DefaultACMEDirectory)
	// Challenge is ChallengeHTTP01 or ChallengeTLSALPN01; "" lets the
	// CA use TLS-ALPN-01 on the listen address and, when tls {
	// http_listen } is set, HTTP-01 there.
	Challenge string
	// CARootFile (absolute) holds PEM roots to trust when talking to the
	// CA, on top of the system's: a private CA, or a test CA. "" = none.
	CARootFile string
	// StorageDir (absolute) holds the account, certificates and keys;
	// <data_dir>/tls by default. Nodes that share it share certificates.
	StorageDir string
}

// ACME challenge types of acme { challenge }.
const (
	ChallengeHTTP01    = "http-01"
	ChallengeTLSALPN01 = "tls-alpn-01"
)

// DefaultACMEDirectory is Let's Encrypt's production directory.
const DefaultACMEDirectory = "https://acme-v02.api.letsencrypt.org/directory"

var acmeSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "email"},
		{Name: "domains", Required: true},
		{Name: "directory_url"},
		{Name: "challenge"},
		{Name: "ca_root_file"},
		{Name: "storage_dir"},
	},
}

// acme decodes one acme block of the tls block t (whose http_listen is
// already decoded).
func (p *parser) acme(b *hcl.Block, t *TLS) *ACME {
	content, diags := b.Body.Content(acmeSchema)
	p.add(explain(diags, "acme block", acmeSchema)...)
	attrs := content.Attributes
	m := &ACME{Domains: []string{}, DirectoryURL: DefaultACMEDirectory}
	if a := attrs["email"]; a != nil {
		if v, ok := p.str(a, `"ops@example.com"`); ok {
			if addr, err := mail.ParseAddress(v); v != "" && (err != nil || addr.Address != v) {
				p.errorf(a.Expr.Range(), "Invalid email", "email is the CA account's contact, a bare address such as \"ops@example.com\"; got %q.", v)
			} else {
				m.Email = v
			}
		}
	}
	if a := attrs["domains"]; a != nil {
		if v, ok := p.strList(a, `["gw.example.com"]`); ok {
			p.domains(a, v, m)
		}
	}
	if a := attrs["directory_url"]; a != nil {
		if v, ok := p.str(a, `"`+DefaultACMEDirectory+`"`); ok {
			if u, err := url.Parse(v); err != nil || u.Scheme != "https" || u.Host == "" {
				p.errorf(a.Expr.Range(), "Invalid directory_url",
					"directory_url is the https:// URL of the ACME CA's directory, such as %q (the default); got %q.", DefaultACMEDirectory, v)
			} else {
				m.DirectoryURL = v
			}
		}
	}
	if a := attrs["challenge"]; a != nil {
		if v, ok := p.str(a, `"`+ChallengeHTTP01+`"`); ok {
			switch {
			case v != ChallengeHTTP01 && v != ChallengeTLSALPN01:
				p.errorf(a.Expr.Range(), "Invalid challenge",
					"challenge is %q or %q; leave it out to allow both. Got %q.", ChallengeHTTP01, ChallengeTLSALPN01, v)
			case v == ChallengeHTTP01 && t.HTTPListen == "":
				p.errorf(a.Expr.Range(), "HTTP-01 needs http_listen",
					"The CA checks HTTP-01 on port 80: set http_listen = \":80\" in the tls block, or use %q, which the listen address answers.", ChallengeTLSALPN01)
			default:
				m.Challenge = v
			}
		}
	}
	if a := attrs["ca_root_file"]; a != nil {
		if path, ok := p.existingFile(a, `"/etc/orama/acme-root.pem"`, "CA root"); ok {
			if _, err := certPool(path); err != nil {
				p.errorf(a.Expr.Range(), "Invalid ca_root_file", "%s: %s. Give a PEM file of the CA's root certificates.", path, err)
			} else {
				m.CARootFile = path
			}
		}
	}
	if a := attrs["storage_dir"]; a != nil {
		if v, ok := p.str(a, `"/mnt/shared/orama-tls"`); ok {
			if v == "" {
				p.errorf(a.Expr.Range(), "Invalid storage_dir",
					"storage_dir must not be empty; leave it out for <data_dir>/tls, or name a directory shared by the nodes.")
			} else {
				m.StorageDir = p.abs(v)
			}
		}
	}
	return m
}

// domains checks the names of acme { domains }: host names or IP
// addresses, without ports, schemes or wildcards.
func (p *parser) domains(a *hcl.Attribute, names []string, m *ACME) {
	if len(names) == 0 {
		p.errorf(a.Expr.Range(), "Missing domains", "domains lists the names on the certificate, such as [\"gw.example.com\"]; give at least one.")
		return
	}
	for _, d := range names {
		if reason := badDomain(d); reason != "" {
			p.errorf(a.Expr.Range(), "Invalid domain", "%q %s. Write a host name such as \"gw.example.com\".", d, reason)
			return
		}
	}
	m.Domains = names
}

func badDomain(d string) string {
	switch {
	case d == "":
		return "is empty"
	case strings.Contains(d, "*"):
		return "is a wildcard, which needs the DNS-01 challenge Orama does not do"
	case net.ParseIP(d) != nil:
		return ""
	case strings.ContainsAny(d, ":/ @"):
		return "is not a bare host name (no scheme, port or path)"
	case len(d) > 253:
		return "is longer than 253 characters"
	}
	for _, label := range strings.Split(strings.TrimSuffix(d, "."), ".") {
		if label == "" || len(label) > 63 || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return "has an empty, too long or hyphen-edged label"
		}
		for _, r := range label {
			if !(r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				return "has a character other than letters, digits, hyphens and dots (write an internationalized name in its xn-- form)"
			}
		}
	}
	return ""
}
