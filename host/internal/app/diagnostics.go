package app

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/orama-network/orama/host/internal/config"
)

// diagnosticsText renders diagnostics for one log field.
func diagnosticsText(diags hcl.Diagnostics) string {
	var b strings.Builder
	if err := config.WriteDiagnostics(&b, diags, false); err != nil {
		return diags.Error()
	}
	return b.String()
}
