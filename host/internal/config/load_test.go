package config

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.hcl")
	cfg, diags := Load(path)
	if cfg != nil || len(diags) != 1 {
		t.Fatalf("Load = %v, %v", cfg, diags)
	}
	d := diags[0]
	checkWellFormed(t, d)
	if d.Summary != "Configuration file not found" || d.Subject.Filename != path || !strings.Contains(d.Detail, path) {
		t.Errorf("diagnostic = %+v", d)
	}
	if out := render(t, diags); !strings.Contains(out, path+":1:1") {
		t.Errorf("output does not name the file:\n%s", out)
	}
}

func TestLoadResolvesAgainstFileDir(t *testing.T) {
	dir, _ := testDir(t)
	sub := filepath.Join(dir, "etc")
	file := filepath.Join(sub, "config.hcl")
	writeFile(t, file, "node {\n  data_dir = \"../var\"\n}\nplugin \"cache\" {\n  path = \"../bin/orama-plugin-cache\"\n}\n", 0o644)

	t.Chdir(sub) // load by a relative name; results are still absolute
	cfg, diags := Load("config.hcl")
	if len(diags) > 0 {
		t.Fatalf("unexpected diagnostics:\n%s", render(t, diags))
	}
	if cfg.File != file {
		t.Errorf("File = %q, want %q", cfg.File, file)
	}
	if want := filepath.Join(dir, "var"); cfg.Node.DataDir != want {
		t.Errorf("DataDir = %q, want %q", cfg.Node.DataDir, want)
	}
	if want := filepath.Join(dir, "bin", "orama-plugin-cache"); cfg.Plugins[0].Path != want {
		t.Errorf("Path = %q, want %q", cfg.Plugins[0].Path, want)
	}
}

func TestLoadUnreadable(t *testing.T) {
	dir := t.TempDir() // reading a directory fails, even as root
	cfg, diags := Load(dir)
	if cfg != nil || len(diags) != 1 || diags[0].Summary != "Cannot read configuration file" {
		t.Fatalf("Load(dir) = %v, %v", cfg, diags)
	}
	checkWellFormed(t, diags[0])
}
