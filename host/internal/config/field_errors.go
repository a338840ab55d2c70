package config

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/orama-network/orama/sdk/plugin"
)

// FieldDiagnostics turns the field errors a plugin returned for its config
// block into diagnostics that point at the attribute at fault, or at the
// config block when the attribute is empty or not in the file. A nested
// attribute ("tls.cert") points at its top-level attribute ("tls").
func (p *Plugin) FieldDiagnostics(errs []plugin.FieldError) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, fe := range errs {
		msg := strings.TrimRight(strings.TrimSpace(fe.Message), ".")
		if msg == "" {
			msg = "invalid value"
		}
		d := &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid plugin configuration",
			Subject:  p.ConfigRange.Ptr(),
		}
		if fe.Attribute == "" {
			d.Detail = fmt.Sprintf("The %s plugin rejected its configuration: %s.", p.Kind, msg)
		} else {
			d.Detail = fmt.Sprintf("The %s plugin rejected attribute %q: %s.", p.Kind, fe.Attribute, msg)
			if rng, ok := p.attrRange(fe.Attribute); ok {
				d.Subject = rng.Ptr()
			}
		}
		diags = append(diags, d)
	}
	return diags
}

func (p *Plugin) attrRange(attr string) (hcl.Range, bool) {
	if rng, ok := p.Attrs[attr]; ok {
		return rng, true
	}
	top, _, _ := strings.Cut(attr, ".")
	top, _, _ = strings.Cut(top, "[")
	rng, ok := p.Attrs[top]
	return rng, ok
}
