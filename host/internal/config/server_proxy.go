package config

import (
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/orama-network/orama/sdk/netguard"
)

// Proxy is the server's proxy { } block: POST /v1/proxy/anon. Every field
// has a default; the proxy is on, dialling targets directly through the
// SSRF guard, unless the block says otherwise.
type Proxy struct {
	Enabled          bool
	SOCKS5           string        // host:port every request goes through (an anonymity network's client); "" = direct
	Allow            []string      // destinations exempt from the guard (CIDR, IP, host:port): tests and private deployments
	Timeout          time.Duration // the whole exchange with the target, redirects included
	MaxResponseBytes int64         // the target's response body; larger: 502
}

const maxProxyResponse = 10 << 20 // API.md: ≤ 10 MB

func defaultProxy() Proxy {
	return Proxy{Enabled: true, Allow: []string{}, Timeout: netguard.DefaultTimeout, MaxResponseBytes: maxProxyResponse}
}

var proxySchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "enabled"},
		{Name: "socks5"},
		{Name: "allow"},
		{Name: "timeout"},
		{Name: "max_response_bytes"},
	},
}

// serverProxy decodes the server's proxy block (at most one).
func (p *parser) serverProxy(content *hcl.BodyContent, s *Server) {
	if b := p.singleBlock(content, "proxy"); b != nil {
		p.proxy(b, &s.Proxy)
	}
}

// proxy decodes one proxy block into px, which holds the defaults.
func (p *parser) proxy(b *hcl.Block, px *Proxy) {
	content, diags := b.Body.Content(proxySchema)
	p.add(explain(diags, "proxy block", proxySchema)...)
	attrs := content.Attributes
	if a := attrs["enabled"]; a != nil {
		if v, ok := p.typed(a, cty.Bool, "true or false"); ok {
			px.Enabled = v.True()
		}
	}
	if a := attrs["socks5"]; a != nil {
		if v, ok := p.str(a, `"127.0.0.1:9050"`); ok {
			if _, err := netguard.New(netguard.Config{SOCKS5: v}); v != "" && err != nil {
				p.errorf(a.Expr.Range(), "Invalid socks5", "socks5 is the host:port of a SOCKS5 proxy, such as \"127.0.0.1:9050\"; got %q.", v)
			} else {
				px.SOCKS5 = v
			}
		}
	}
	if a := attrs["allow"]; a != nil {
		if v, ok := p.strList(a, `["10.0.0.0/8", "127.0.0.1:8080"]`); ok {
			for _, e := range v {
				if _, err := netguard.New(netguard.Config{Allow: []string{e}}); err != nil {
					p.errorf(a.Expr.Range(), "Invalid allow entry",
						"%q is not a CIDR (\"10.0.0.0/8\"), an IP (\"127.0.0.1\") or a host:port (\"127.0.0.1:8080\").", e)
					v = nil
					break
				}
			}
			if v != nil {
				px.Allow = v
			}
		}
	}
	if a := attrs["timeout"]; a != nil {
		if v, ok := p.duration(a, "30s"); ok {
			px.Timeout = v
		}
	}
	if a := attrs["max_response_bytes"]; a != nil {
		if v, ok := p.int64(a, "10485760"); ok {
			if v <= 0 || v > maxProxyResponse {
				p.errorf(a.Expr.Range(), "Invalid max_response_bytes",
					"max_response_bytes bounds a proxied response body; it must be from 1 to %d bytes (the default).", maxProxyResponse)
			} else {
				px.MaxResponseBytes = v
			}
		}
	}
}
