package config

import (
	"fmt"
	"math"
	"net"
	"strconv"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// server decodes the server block into s, which holds the defaults.
func (p *parser) server(b *hcl.Block, s *Server) {
	content, diags := b.Body.Content(serverSchema)
	p.add(explain(diags, "server block", serverSchema)...)
	attrs := content.Attributes

	if a := attrs["listen"]; a != nil {
		if v, ok := p.str(a, `":6001"`); ok && p.checkListen(a, v) {
			s.Listen = v
		}
	}
	if a := attrs["cors_origins"]; a != nil {
		if v, ok := p.strList(a, `["*"] or ["https://app.example.com"]`); ok {
			s.CORSOrigins = v
		}
	}
	if a := attrs["max_body_bytes"]; a != nil {
		if v, ok := p.int64(a, "10485760"); ok {
			if v <= 0 {
				p.errorf(a.Expr.Range(), "Invalid max_body_bytes",
					"max_body_bytes must be greater than zero; the default is %d (10 MiB).", defaultMaxBodyBytes)
			} else {
				s.MaxBodyBytes = v
			}
		}
	}
	if a := attrs["max_upload_bytes"]; a != nil {
		if v, ok := p.int64(a, "10737418240"); ok {
			if v <= 0 {
				p.errorf(a.Expr.Range(), "Invalid max_upload_bytes",
					"max_upload_bytes must be greater than zero; the default is %d (10 GiB).", int64(defaultMaxUploadBytes))
			} else {
				s.MaxUploadBytes = v
			}
		}
	}
	if a := attrs["shutdown_timeout"]; a != nil {
		if v, ok := p.duration(a, "15s"); ok {
			s.ShutdownTimeout = v
		}
	}
	if a := attrs["upgrade_wait"]; a != nil {
		if v, ok := p.duration(a, "10s"); ok {
			s.UpgradeWait = v
		}
	}
	if a := attrs["request_timeout"]; a != nil {
		if v, ok := p.duration(a, "30s"); ok {
			s.RequestTimeout = v
		}
	}
	p.serverConnections(attrs, s)
	p.serverAuth(content, s)
	p.serverPubSub(content, s)
	p.serverFunctions(content, s)
	p.serverProxy(content, s)
	p.serverTLS(content, s)
	p.serverCache(content, s)
}

// singleBlock returns the block of type typ in content, of which there
// may be at most one: each further one is an error naming the first.
func (p *parser) singleBlock(content *hcl.BodyContent, typ string) *hcl.Block {
	var first *hcl.Block
	for _, b := range content.Blocks {
		if b.Type != typ {
			continue
		}
		if first != nil {
			p.errorf(b.DefRange, "Duplicate "+typ+" block",
				"A %s block is already defined on line %d. Merge the two blocks into one.", typ, first.DefRange.Start.Line)
			continue
		}
		first = b
	}
	return first
}

func (p *parser) checkListen(a *hcl.Attribute, addr string) bool {
	const fix = `Write it as ":6001" (every interface) or "127.0.0.1:6001".`
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		p.errorf(a.Expr.Range(), "Invalid listen address", "%q is not a host:port address (%s). "+fix, addr, stripAddr(err))
		return false
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		p.errorf(a.Expr.Range(), "Invalid listen address", "%q is not a port number between 0 and 65535. "+fix, port)
		return false
	}
	return true
}

// stripAddr returns the reason of a net.AddrError without the address,
// which the diagnostic already quotes.
func stripAddr(err error) string {
	if ae, ok := err.(*net.AddrError); ok {
		return ae.Err
	}
	return err.Error()
}

// node decodes the node block into n, which holds the defaults.
func (p *parser) node(b *hcl.Block, n *Node) {
	content, diags := b.Body.Content(nodeSchema)
	p.add(explain(diags, "node block", nodeSchema)...)

	if a := content.Attributes["id"]; a != nil {
		if v, ok := p.str(a, `"node-1"`); ok {
			if v == "" {
				p.errorf(a.Expr.Range(), "Invalid node id", "id must not be empty; give this node a name unique in its cluster, such as %q.", defaultNodeID)
			} else {
				n.ID = v
			}
		}
	}
	if a := content.Attributes["data_dir"]; a != nil {
		if v, ok := p.str(a, fmt.Sprintf("%q", defaultDataDir)); ok {
			if v == "" {
				p.errorf(a.Expr.Range(), "Invalid data_dir", "data_dir must not be empty; name a directory the host may write to, such as %q.", defaultDataDir)
			} else {
				n.DataDir = p.abs(v)
			}
		}
	}
}

// serverConnections decodes the attributes against slow and greedy
// clients: the three deadlines and the two connection caps.
func (p *parser) serverConnections(attrs hcl.Attributes, s *Server) {
	for _, d := range []struct {
		name, example string
		dst           *time.Duration
	}{
		{"read_header_timeout", "10s", &s.ReadHeaderTimeout},
		{"read_body_timeout", "30s", &s.ReadBodyTimeout},
		{"idle_timeout", "60s", &s.IdleTimeout},
	} {
		if a := attrs[d.name]; a != nil {
			if v, ok := p.duration(a, d.example); ok {
				*d.dst = v
			}
		}
	}
	count := func(name, example, what string) (int, *hcl.Attribute) {
		a := attrs[name]
		if a == nil {
			return 0, nil
		}
		v, ok := p.int64(a, example)
		switch {
		case !ok:
			return 0, nil
		case v <= 0 || v > math.MaxInt32:
			p.errorf(a.Expr.Range(), "Invalid "+name,
				"%s must be a whole number from 1 to %d, the most %s; leave it out for the default.", name, math.MaxInt32, what)
			return 0, nil
		}
		return int(v), a
	}
	total, _ := count("max_connections", "4096", "connections open at once")
	perIP, perIPAttr := count("max_connections_per_ip", "128", "connections open at once from one client address")
	if total > 0 && perIP > total {
		p.errorf(perIPAttr.Expr.Range(), "Invalid max_connections_per_ip",
			"max_connections_per_ip (%d) is above max_connections (%d): one address could take every connection. Lower it, or raise max_connections.", perIP, total)
		perIP = 0
	}
	s.MaxConnections, s.MaxConnectionsPerIP = total, perIP
}
