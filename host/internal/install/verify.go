package install

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/orama-network/orama/host/internal/config"
)

// ErrNoSystemdAnalyze is VerifyUnit's error when systemd-analyze is not
// installed (Debian and Ubuntu: package systemd).
var ErrNoSystemdAnalyze = errors.New("systemd-analyze is not installed (Debian, Ubuntu: apt-get install systemd)")

// VerifyConfig loads pl's config with config.Load, from a copy in a
// temporary directory whose paths are those the install creates moved
// under root: a dry run's files, or "/" for the system's.
func VerifyConfig(pl *Plan, root string) (*config.Config, hcl.Diagnostics) {
	src, err := RenderConfig(pl.Options, pl.Paths.Under(root, pl.Options))
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot render the config", Detail: err.Error()}}
	}
	dir, err := os.MkdirTemp("", "orama-install-verify-")
	if err == nil {
		defer os.RemoveAll(dir)
		err = os.WriteFile(filepath.Join(dir, "config.hcl"), src, 0o600)
	}
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot verify the config", Detail: err.Error()}}
	}
	return config.Load(filepath.Join(dir, "config.hcl"))
}

// Preflight is pl as it reads before the binaries are copied: the same
// files, with the binaries where they are now. VerifyConfig and
// VerifyUnit of it check an install before it writes anything.
func Preflight(pl *Plan) *Plan {
	q := *pl
	q.Paths.BinDir = pl.Options.BinDir
	o := *pl.Options
	o.CopyBinaries = false
	q.Options = &o
	return &q
}

// VerifyUnit runs `systemd-analyze verify` on pl's unit with its paths
// under root (so ExecStart names a binary that exists), from a temporary
// directory. It returns what systemd-analyze printed; an error when it
// failed or warned, ErrNoSystemdAnalyze when it is missing.
func VerifyUnit(ctx context.Context, pl *Plan, root string) (string, error) {
	tool, err := exec.LookPath("systemd-analyze")
	if err != nil {
		return "", ErrNoSystemdAnalyze
	}
	dir, err := os.MkdirTemp("", "orama-install-unit-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, ServiceName)
	if err := os.WriteFile(path, RenderUnit(pl.Options, pl.Paths.Under(root, pl.Options)), 0o644); err != nil {
		return "", err
	}
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, tool, "verify", path)
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	text := strings.TrimSpace(out.String())
	switch {
	case err != nil:
		return text, fmt.Errorf("systemd-analyze verify: %v", err)
	case text != "":
		return text, fmt.Errorf("systemd-analyze verify warned about the unit")
	}
	return "", nil
}
