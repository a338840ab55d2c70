package install

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// applyDryRun renders o into a new root with stub binaries and returns
// the plan and the root.
func applyDryRun(t *testing.T, o Options) (*Plan, string) {
	t.Helper()
	bin := t.TempDir()
	for _, name := range BinaryNames {
		if err := os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	o.BinDir = bin
	if err := o.Check(); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	pl, err := NewPlan(&o, root)
	if err != nil {
		t.Fatal(err)
	}
	if err := Apply(pl, root, nil); err != nil {
		t.Fatal(err)
	}
	return pl, root
}

// systemdAnalyze runs `systemd-analyze verify` on the unit text, saved
// as orama.service; a missing systemd-analyze fails the test.
func systemdAnalyze(t *testing.T, unit []byte) (string, error) {
	t.Helper()
	tool, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Fatalf("systemd-analyze is needed to check the unit: install Debian's or Ubuntu's package systemd (apt-get install systemd): %v", err)
	}
	path := filepath.Join(t.TempDir(), ServiceName)
	if err := os.WriteFile(path, unit, 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cmd := exec.Command(tool, "verify", path)
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	return strings.TrimSpace(out.String()), err
}

func TestRenderedUnitPassesSystemdAnalyzeVerify(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(o *Options)
	}{
		{"single node, binaries copied", func(o *Options) {}},
		{"cluster node on :443, binaries referenced", func(o *Options) {
			o.Listen, o.BindAddr, o.Peers, o.CopyBinaries = ":443", "10.0.0.2", []string{"10.0.0.1:3322"}, false
		}},
	} {
		o := valid()
		c.edit(&o)
		pl, root := applyDryRun(t, o)
		unit, err := os.ReadFile(filepath.Join(root, UnitPath))
		if err != nil {
			t.Fatal(err)
		}
		// ExecStart must name a binary that exists: the dry run's copy.
		if o.CopyBinaries {
			unit = bytes.ReplaceAll(unit, []byte("ExecStart="+BinInstallDir), []byte("ExecStart="+filepath.Join(root, BinInstallDir)))
		}
		if out, err := systemdAnalyze(t, unit); err != nil || out != "" {
			t.Errorf("%s: systemd-analyze verify: %v\n%s\n%s", c.name, err, out, unit)
		}
		if out, err := VerifyUnit(t.Context(), pl, root); err != nil {
			t.Errorf("%s: VerifyUnit: %v\n%s", c.name, err, out)
		}
	}
	// The check is strict: a warning fails it as an error would.
	pl, root := applyDryRun(t, valid())
	unit := RenderUnit(pl.Options, pl.Paths.Under(root, pl.Options))
	if out, err := systemdAnalyze(t, append(unit, "Bogus=1\n"...)); err == nil && out == "" {
		t.Error("systemd-analyze verify accepted an unknown key")
	}
}

func TestRenderedConfigLoadsWithoutDiagnostics(t *testing.T) {
	o := valid()
	o.BindAddr, o.Peers, o.Join = "10.0.0.2", []string{"10.0.0.1:3322", "/ip4/10.0.0.1/tcp/4101/p2p/12D3KooWAbc"}, []string{"10.0.0.1:4001"}
	o.SwarmKey, o.ClusterSecret = strings.Repeat("0f", 32), strings.Repeat("s", 40)
	pl, root := applyDryRun(t, o)
	cfg, diags := VerifyConfig(pl, root)
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	if cfg.Server.ShutdownTimeout != ShutdownTimeout || StopTimeout <= ShutdownTimeout {
		t.Errorf("shutdown_timeout %s, stop timeout %s", cfg.Server.ShutdownTimeout, StopTimeout)
	}
	if p := cfg.Plugin("cache"); p == nil || p.Path != filepath.Join(root, BinInstallDir, "orama-plugin-cache") {
		t.Errorf("verification config does not point at the dry run's binaries: %+v", p)
	}
	for _, f := range pl.Files {
		if strings.Contains(f.Note, "secret") || strings.Contains(f.Note, "swarm") {
			fi, err := os.Stat(filepath.Join(root, f.Path))
			if err != nil || fi.Mode().Perm() != 0o600 {
				t.Errorf("%s: %v %v", f.Path, err, fi)
			}
		}
	}
}

// The rendered config declares the same plugins as config.hcl at the
// root of the repository (the embedded defaults it follows).
func TestConfigTemplateFollowsTheRepositoryDefaults(t *testing.T) {
	repo, err := os.ReadFile(filepath.Join("..", "..", "..", "config.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	o := valid()
	if err := o.Check(); err != nil {
		t.Fatal(err)
	}
	rendered, err := RenderConfig(&o, PathsOf(&o))
	if err != nil {
		t.Fatal(err)
	}
	kinds := regexp.MustCompile(`(?m)^plugin "(\w+)"`)
	list := func(src []byte) string {
		var out []string
		for _, m := range kinds.FindAllSubmatch(src, -1) {
			out = append(out, string(m[1]))
		}
		return strings.Join(out, " ")
	}
	if a, b := list(repo), list(rendered); a != b || a == "" {
		t.Errorf("config.hcl declares %q, the install renders %q: update config.hcl.tmpl", a, b)
	}
}
