package config

import (
	"encoding/json"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// pluginConfig turns the attributes of a plugin's config block into
// pl.ConfigJSON, a JSON object keyed by attribute name, and records where
// each attribute is defined.
func (p *parser) pluginConfig(pl *Plugin, b *hcl.Block) {
	pl.ConfigRange = b.DefRange
	attrs, ok := p.configAttributes(pl, b.Body)
	if !ok {
		return
	}
	obj := make(map[string]json.RawMessage, len(attrs))
	for name, a := range attrs {
		pl.Attrs[name] = a.Range
		v, ok := p.literal(a.Expr)
		if !ok {
			continue
		}
		raw, err := ctyjson.Marshal(v, v.Type())
		if err != nil {
			p.errorf(a.Expr.Range(), "Invalid plugin configuration value",
				"The value of %s cannot be sent to the plugin (%s); write it as a string, number, boolean, list or object.", name, err)
			continue
		}
		obj[name] = raw
	}
	js, err := json.Marshal(obj) // keys sorted: the same settings give the same bytes
	if err != nil {
		p.errorf(b.DefRange, "Invalid plugin configuration",
			"The config block cannot be encoded as JSON (%s); simplify its values.", err)
		return
	}
	pl.ConfigJSON = js
}

// configAttributes returns the attributes of a config body, reporting any
// nested blocks: the block holds attributes only.
func (p *parser) configAttributes(pl *Plugin, body hcl.Body) (hcl.Attributes, bool) {
	sb, ok := body.(*hclsyntax.Body)
	if !ok { // not from hclsyntax: let hcl refuse blocks itself
		attrs, diags := body.JustAttributes()
		p.add(diags...)
		return attrs, !diags.HasErrors()
	}
	for _, nb := range sb.Blocks {
		p.errorf(nb.DefRange(), "Unexpected block in plugin config",
			"The config block of plugin %q holds attributes only. Write %s = { … } (an object) instead of the block %s.",
			pl.Kind, nb.Type, blockHeader(nb))
	}
	attrs := make(hcl.Attributes, len(sb.Attributes))
	for name, a := range sb.Attributes {
		attrs[name] = a.AsHCLAttribute()
	}
	return attrs, true
}

func blockHeader(b *hclsyntax.Block) string {
	h := b.Type
	for _, l := range b.Labels {
		h += fmt.Sprintf(" %q", l)
	}
	return h + " { … }"
}
