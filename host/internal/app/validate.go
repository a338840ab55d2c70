package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/host/internal/config"
	"github.com/orama-network/orama/host/internal/pluginmgr"
)

// validate checks the file, then asks each plugin to check its block.
func validate(ctx context.Context, path string, stdout, stderr io.Writer) int {
	cfg, diags := config.Load(path)
	if !diags.HasErrors() {
		ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		log := hclog.New(&hclog.LoggerOptions{Name: "orama", Level: hclog.Warn, Output: stderr})
		diags = append(diags, pluginmgr.Validate(ctx, log, cfg)...)
	}
	if len(diags) > 0 {
		_ = config.WriteDiagnostics(stderr, diags, isTerminal(os.Stderr))
	}
	if diags.HasErrors() {
		fmt.Fprintf(stderr, "%s: %d error(s)\n", path, len(diags.Errs()))
		return 1
	}
	fmt.Fprintf(stdout, "%s: valid (%d plugin(s))\n", path, len(cfg.Plugins))
	return 0
}
