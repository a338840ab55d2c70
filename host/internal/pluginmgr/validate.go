package pluginmgr

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/hcl/v2"
	"github.com/orama-network/orama/host/internal/config"
	"github.com/orama-network/orama/sdk/plugin"
)

// Validate launches each plugin of cfg just long enough to have it check
// its config block (ValidateConfig: no side effects) and returns what it
// rejected as diagnostics pointing at the attributes' lines. A binary that
// does not start as an Orama plugin is reported at the plugin block.
func Validate(ctx context.Context, log hclog.Logger, cfg *config.Config) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, p := range cfg.Plugins {
		inst, err := launch(ctx, p, launchOptions{log: log.Named(p.Kind), nodeID: cfg.Node.ID, dataDir: cfg.Node.DataDir, validateOnly: true})
		if inst != nil {
			inst.kill()
		}
		var ce plugin.ConfigError
		switch {
		case err == nil:
		case errors.As(err, &ce):
			diags = append(diags, p.FieldDiagnostics(ce)...)
		default:
			r := p.BlockRange
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Plugin failed to start",
				Detail:   fmt.Sprintf("The %s plugin at %s could not be started as an Orama plugin: %v. Check that the path points at an orama-plugin-%s binary built for this host (make build).", p.Kind, p.Path, err, p.Kind),
				Subject:  &r,
			})
		}
	}
	return diags
}
