package config

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
)

// TLS is the server's tls { } block: HTTPS on the server's listen
// address, with a certificate from files or from an ACME CA. A server
// without the block serves plain HTTP.
type TLS struct {
	// MinVersion is the oldest protocol accepted: TLSVersion13 (the
	// default) or TLSVersion12.
	MinVersion string
	// CertFile and KeyFile (absolute) hold a PEM certificate chain and
	// its key; both set, or ACME is.
	CertFile, KeyFile string
	// ACME obtains and renews the certificate automatically; nil when
	// the certificate comes from files.
	ACME *ACME
	// HTTPListen is an optional plain-HTTP listener (such as ":80") that
	// answers ACME HTTP-01 challenges and redirects everything else to
	// HTTPS; "" = none.
	HTTPListen string
}

// TLS protocol versions of tls { min_version }.
const (
	TLSVersion12 = "1.2"
	TLSVersion13 = "1.3"
)

var tlsSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "min_version"},
		{Name: "cert_file"},
		{Name: "key_file"},
		{Name: "http_listen"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "acme"}},
}

// serverTLS decodes the server's tls block (at most one).
func (p *parser) serverTLS(content *hcl.BodyContent, s *Server) {
	if b := p.singleBlock(content, "tls"); b != nil {
		s.TLS = p.tls(b)
	}
}

// tls decodes one tls block.
func (p *parser) tls(b *hcl.Block) *TLS {
	content, diags := b.Body.Content(tlsSchema)
	p.add(explain(diags, "tls block", tlsSchema)...)
	attrs := content.Attributes
	t := &TLS{MinVersion: TLSVersion13}
	if a := attrs["min_version"]; a != nil {
		if v, ok := p.str(a, `"1.3"`); ok {
			if v != TLSVersion12 && v != TLSVersion13 {
				p.errorf(a.Expr.Range(), "Invalid min_version",
					"min_version is %q (the default) or %q; older protocols are not offered. Got %q.", TLSVersion13, TLSVersion12, v)
			} else {
				t.MinVersion = v
			}
		}
	}
	if a := attrs["http_listen"]; a != nil {
		if v, ok := p.str(a, `":80"`); ok && p.checkListen(a, v) {
			t.HTTPListen = v
		}
	}
	certAttr, keyAttr := attrs["cert_file"], attrs["key_file"]
	acme := p.singleBlock(content, "acme")
	switch {
	case acme != nil && (certAttr != nil || keyAttr != nil):
		p.errorf(acme.DefRange, "Conflicting TLS certificate sources",
			"The tls block has cert_file/key_file and an acme block; keep the files for a certificate you manage, or the acme block for an automatic one.")
	case acme != nil:
		t.ACME = p.acme(acme, t)
	case certAttr == nil && keyAttr == nil:
		p.errorf(b.DefRange, "Missing TLS certificate",
			"The tls block needs cert_file and key_file (PEM files), or an acme { domains = [...] } block to obtain a certificate automatically.")
	default:
		p.keyPair(b, certAttr, keyAttr, t)
	}
	return t
}

// keyPair decodes cert_file and key_file and checks that they load as a
// key pair, so a bad file stops the start with its line.
func (p *parser) keyPair(b *hcl.Block, certAttr, keyAttr *hcl.Attribute, t *TLS) {
	if certAttr == nil || keyAttr == nil {
		missing, rng := "key_file", certAttr
		if certAttr == nil {
			missing, rng = "cert_file", keyAttr
		}
		p.errorf(rng.NameRange, "Missing "+missing,
			"cert_file and key_file go together: add %s, the PEM file of the other half of the pair.", missing)
		return
	}
	certFile, ok1 := p.existingFile(certAttr, `"/etc/orama/tls/cert.pem"`, "TLS certificate")
	keyFile, ok2 := p.existingFile(keyAttr, `"/etc/orama/tls/key.pem"`, "TLS key")
	if !ok1 || !ok2 {
		return
	}
	if _, err := tls.LoadX509KeyPair(certFile, keyFile); err != nil {
		p.errorf(certAttr.Expr.Range(), "Invalid TLS key pair",
			"%s and %s do not load as a certificate and its key (%s). Give PEM files: the certificate chain, leaf first, and its unencrypted private key.", certFile, keyFile, err)
		return
	}
	t.CertFile, t.KeyFile = certFile, keyFile
}

// existingFile decodes a file name attribute (relative to the config
// file) and checks that the file can be read.
func (p *parser) existingFile(a *hcl.Attribute, example, what string) (string, bool) {
	v, ok := p.str(a, example)
	if !ok {
		return "", false
	}
	if v == "" {
		p.errorf(a.Expr.Range(), "Invalid "+a.Name, "%s names the %s file; it must not be empty.", a.Name, what)
		return "", false
	}
	path := p.abs(v)
	f, err := os.Open(path)
	if err == nil {
		var st fs.FileInfo
		if st, err = f.Stat(); err == nil && st.IsDir() {
			err = errors.New("is a directory")
		}
		f.Close()
	}
	if err != nil {
		p.errorf(a.Expr.Range(), "Cannot read "+what+" file",
			"%s: %s. Give the path of a readable PEM file (relative paths start at the config file's directory).", path, stripPath(err))
		return "", false
	}
	return path, true
}

// certPool checks that path holds at least one PEM certificate.
func certPool(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, errors.New("no PEM certificate in it")
	}
	return pool, nil
}

// stripPath returns the reason of a *fs.PathError without the path.
func stripPath(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// resolveTLS puts the default ACME storage under data_dir, once the node
// block is known.
func (p *parser) resolveTLS(cfg *Config) {
	if t := cfg.Server.TLS; t != nil && t.ACME != nil && t.ACME.StorageDir == "" {
		t.ACME.StorageDir = filepath.Join(cfg.Node.DataDir, "tls")
	}
}
