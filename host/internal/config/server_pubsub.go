package config

import (
	"math"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// serverPubSub decodes the server's pubsub block (at most one).
func (p *parser) serverPubSub(content *hcl.BodyContent, s *Server) {
	if b := p.singleBlock(content, "pubsub"); b != nil {
		p.pubsub(b, &s.PubSub)
	}
}

// pubsub decodes one pubsub block into ps, which holds the defaults.
func (p *parser) pubsub(b *hcl.Block, ps *PubSub) {
	content, diags := b.Body.Content(pubsubSchema)
	p.add(explain(diags, "pubsub block", pubsubSchema)...)
	attrs := content.Attributes

	if a := attrs["max_frame_bytes"]; a != nil {
		if v, ok := p.int64(a, "1048576"); ok {
			if v <= 0 || v > maxPubSubFrame {
				p.errorf(a.Expr.Range(), "Invalid max_frame_bytes",
					"max_frame_bytes must be from 1 to %d (1 MiB, the largest pubsub message); the default is %d.", maxPubSubFrame, defaultPubSubMaxFrame)
			} else {
				ps.MaxFrameBytes = v
			}
		}
	}
	for _, c := range []struct {
		name, example, what string
		dst                 *int
	}{
		{"max_sockets_per_namespace", "10000", "WebSockets open at once in one namespace on this node", &ps.MaxSocketsPerNamespace},
		{"send_queue", "256", "frames waiting for one WebSocket", &ps.SendQueue},
	} {
		a := attrs[c.name]
		if a == nil {
			continue
		}
		if v, ok := p.int64(a, c.example); ok {
			if v <= 0 || v > math.MaxInt32 {
				p.errorf(a.Expr.Range(), "Invalid "+c.name,
					"%s must be a whole number from 1 to %d, the most %s; leave it out for the default (%s).", c.name, math.MaxInt32, c.what, c.example)
			} else {
				*c.dst = int(v)
			}
		}
	}
	for _, d := range []struct {
		name, example string
		dst           *time.Duration
	}{
		{"ping_interval", "30s", &ps.PingInterval},
		{"write_timeout", "10s", &ps.WriteTimeout},
	} {
		if a := attrs[d.name]; a != nil {
			if v, ok := p.duration(a, d.example); ok {
				*d.dst = v
			}
		}
	}
	if a := attrs["flush_interval"]; a != nil {
		p.flushInterval(a, ps)
	}
	if a := attrs["presence_ttl"]; a != nil {
		if v, ok := p.duration(a, "30s"); ok {
			if v < time.Second || v > time.Hour {
				p.errorf(a.Expr.Range(), "Invalid presence_ttl",
					"presence_ttl is how long a member whose node died stays listed; it must be from 1s to 1h, such as \"30s\".")
			} else {
				ps.PresenceTTL = v
			}
		}
	}
}

// maxFlushInterval bounds flush_interval: the latency it may add to a
// busy topic's frames.
const maxFlushInterval = time.Second

// flushInterval decodes flush_interval: "0s" (the default) turns it off.
func (p *parser) flushInterval(a *hcl.Attribute, ps *PubSub) {
	const how = "flush_interval is the least time between two writes to one WebSocket (frames that come sooner leave together); it must be from \"0s\" (off) to \"1s\", such as \"10ms\"."
	s, ok := p.str(a, `"10ms"`)
	if !ok {
		return
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 || d > maxFlushInterval {
		p.errorf(a.Expr.Range(), "Invalid flush_interval", "%s", how)
		return
	}
	ps.FlushInterval = d
}
