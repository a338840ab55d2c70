package config

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// plugin decodes a plugin "<kind>" block, checking its binary on disk.
func (p *parser) plugin(b *hcl.Block) *Plugin {
	pl := &Plugin{
		Kind:        b.Labels[0],
		BlockRange:  b.DefRange,
		ConfigRange: b.DefRange,
		ConfigJSON:  []byte("{}"),
		Attrs:       map[string]hcl.Range{},
	}
	if !knownKind(pl.Kind) {
		p.errorf(b.LabelRanges[0], "Unknown plugin kind",
			"%q is not a plugin kind the host can route to. Use one of: %s.", pl.Kind, strings.Join(kinds, ", "))
	}
	where := fmt.Sprintf("plugin %q block", pl.Kind)
	content, diags := b.Body.Content(pluginSchema)
	p.add(explain(diags, where, pluginSchema)...)

	pathOK := p.pluginPath(pl, content)
	shaAttr := content.Attributes["sha256"]
	shaOK := true
	if shaAttr != nil {
		shaOK = p.pluginSHA(pl, shaAttr)
	}
	if pathOK {
		p.checkBinary(pl, content.Attributes["path"], shaAttr, shaOK)
	}

	var seen *hcl.Block
	for _, cb := range content.Blocks {
		if seen != nil {
			p.errorf(cb.DefRange, "Duplicate config block",
				"The %s already has a config block on line %d. Merge the two blocks into one.", where, seen.DefRange.Start.Line)
			continue
		}
		seen = cb
		p.pluginConfig(pl, cb)
	}
	return pl
}

// pluginPath decodes path into pl; it reports whether there is a path to check.
func (p *parser) pluginPath(pl *Plugin, content *hcl.BodyContent) bool {
	example := fmt.Sprintf("./bin/orama-plugin-%s", pl.Kind)
	a := content.Attributes["path"]
	if a == nil {
		p.errorf(pl.BlockRange, "Missing plugin path",
			"Add path = %q to the plugin %q block, naming the plugin binary.", example, pl.Kind)
		return false
	}
	before := len(p.diags)
	v, ok := p.str(a, fmt.Sprintf("%q", example))
	switch {
	case !ok && len(p.diags) > before: // invalid, reported
		return false
	case !ok || v == "": // null or empty
		p.errorf(a.Expr.Range(), "Missing plugin path", "path must name the plugin binary, such as %q.", example)
		return false
	}
	pl.Path = p.abs(v)
	return true
}

// pluginSHA decodes sha256 into pl; it reports whether the value is usable.
func (p *parser) pluginSHA(pl *Plugin, a *hcl.Attribute) bool {
	before := len(p.diags)
	v, ok := p.str(a, `"<64 hex characters>"`)
	if !ok {
		return len(p.diags) == before // null: unset
	}
	sum, err := hex.DecodeString(v)
	if err != nil || len(sum) != sha256.Size {
		problem := fmt.Sprintf("got %d characters", len(v))
		if len(v) == 2*sha256.Size {
			problem = "this value has characters that are not hexadecimal"
		}
		p.errorf(a.Expr.Range(), "Invalid sha256",
			"sha256 must be the 64 hexadecimal characters that `sha256sum %s` prints; %s. Fix the value, or remove sha256 to skip the check.",
			pl.Path, problem)
		return false
	}
	pl.SHA256 = sum
	return true
}
