package config

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

var (
	rootSchema = &hcl.BodySchema{
		Blocks: []hcl.BlockHeaderSchema{
			{Type: "server"},
			{Type: "node"},
			{Type: "plugin", LabelNames: []string{"kind"}},
			{Type: "telemetry"},
		},
	}
	serverSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "listen"},
			{Name: "cors_origins"},
			{Name: "max_body_bytes"},
			{Name: "max_upload_bytes"},
			{Name: "shutdown_timeout"},
			{Name: "upgrade_wait"},
			{Name: "request_timeout"},
			{Name: "read_header_timeout"},
			{Name: "read_body_timeout"},
			{Name: "idle_timeout"},
			{Name: "max_connections"},
			{Name: "max_connections_per_ip"},
			{Name: "auth"},
			{Name: "key_cache_ttl"},
			{Name: "trusted_proxies"},
		},
		Blocks: []hcl.BlockHeaderSchema{
			{Type: "rate_limit", LabelNames: []string{"group"}},
			{Type: "pubsub"},
			{Type: "functions"},
			{Type: "proxy"},
			{Type: "tls"},
			{Type: "cache"},
		},
	}
	pubsubSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "max_frame_bytes"},
			{Name: "max_sockets_per_namespace"},
			{Name: "send_queue"},
			{Name: "ping_interval"},
			{Name: "presence_ttl"},
			{Name: "write_timeout"},
			{Name: "flush_interval"},
		},
	}
	rateLimitSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "requests_per_second", Required: true},
			{Name: "burst"},
			{Name: "ip_requests_per_second"},
			{Name: "ip_burst"},
		},
	}
	nodeSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "id"},
			{Name: "data_dir"},
		},
	}
	pluginSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "path"},
			{Name: "sha256"},
		},
		Blocks: []hcl.BlockHeaderSchema{
			{Type: "config"},
		},
	}
)

// explain completes the diagnostics hcl produces when a body does not match
// schema, so each Detail says what is allowed in that place. where names
// the place: "server block", "top level of the file", ….
func explain(diags hcl.Diagnostics, where string, schema *hcl.BodySchema) hcl.Diagnostics {
	var attrs, blocks []string
	for _, a := range schema.Attributes {
		attrs = append(attrs, a.Name)
	}
	for _, b := range schema.Blocks {
		blocks = append(blocks, b.Type)
	}
	for _, d := range diags {
		switch {
		case d.Summary == "Unsupported argument" && len(attrs) > 0:
			d.Detail += fmt.Sprintf(" The %s accepts these arguments: %s.", where, strings.Join(attrs, ", "))
		case d.Summary == "Unsupported argument":
			d.Detail += fmt.Sprintf(" The %s accepts no arguments, only %s blocks.", where, orList(blocks))
		case d.Summary == "Unsupported block type" && len(blocks) > 0:
			d.Detail += fmt.Sprintf(" The %s accepts these blocks: %s.", where, strings.Join(blocks, ", "))
		case d.Summary == "Unsupported block type":
			d.Detail += fmt.Sprintf(" The %s accepts no blocks; remove it or write it as an argument (name = value).", where)
		case d.Summary == "Missing kind for plugin":
			d.Summary = "Missing plugin kind"
			d.Detail = fmt.Sprintf("A plugin block needs its kind as a label, for example plugin \"cache\" { … }. Known kinds: %s.", strings.Join(kinds, ", "))
		case d.Summary == "Missing group for rate_limit":
			d.Summary = "Missing rate limit group"
			d.Detail = fmt.Sprintf("A rate_limit block needs its route group as a label, for example rate_limit \"default\" { … }. Groups: %s.", strings.Join(RateLimitGroups, ", "))
		case strings.HasPrefix(d.Summary, "Extraneous label for "):
			d.Detail += " Remove the extra label."
		}
	}
	return diags
}

// orList joins names as `a, b or c`.
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
