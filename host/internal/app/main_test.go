package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestVersionAndHelp(t *testing.T) {
	if code, out, _ := run("version"); code != 0 || !strings.HasPrefix(out, "orama ") {
		t.Errorf("version: %d %q", code, out)
	}
	if code, out, _ := run("help"); code != 0 || !strings.Contains(out, "validate") {
		t.Errorf("help: %d %q", code, out)
	}
	if code, _, errs := run("frobnicate"); code != 2 || !strings.Contains(errs, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %d %q", code, errs)
	}
	if code, _, _ := run("validate", "-nope"); code != 2 {
		t.Errorf("bad flag: %d, want 2", code)
	}
}

func TestValidateReportsDiagnosticsWithLine(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.hcl")
	src := "server {\n  listen = \":6001\"\n  listne = \"x\"\n}\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := run("validate", "-config", path)
	if code != 1 {
		t.Fatalf("validate of a bad file exited %d", code)
	}
	if !strings.Contains(errs, "config.hcl:3:") || !strings.Contains(errs, "listne") {
		t.Errorf("diagnostic lacks file:line or the attribute:\n%s", errs)
	}
}

func TestValidateAcceptsAFileWithoutPlugins(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.hcl")
	if err := os.WriteFile(path, []byte("node {\n  id = \"n\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := run("validate", "-config", path); code != 0 || !strings.Contains(out, "valid") {
		t.Errorf("validate: %d %q %q", code, out, errs)
	}
}

func TestReloadWithoutRunningGateway(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.hcl")
	if err := os.WriteFile(path, []byte("node {\n  data_dir = \"./data\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := run("reload", "-config", path)
	if code != 1 || !strings.Contains(errs, "no running gateway") {
		t.Errorf("reload with no gateway: %d %q", code, errs)
	}
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "data", "orama.pid"), []byte("garbage\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := run("reload", "-config", path); code != 1 || !strings.Contains(errs, "bad pid file") {
		t.Errorf("reload with a bad pid file: %d %q", code, errs)
	}
}

func TestServeRefusesBadConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.hcl")
	if err := os.WriteFile(path, []byte("plugin \"cache\" {\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := run("serve", "-config", path)
	if code != 1 || !strings.Contains(errs, "path") {
		t.Errorf("serve with a plugin block lacking path: %d %q", code, errs)
	}
}
