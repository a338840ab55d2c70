package config

import (
	"testing"

	"github.com/orama-network/orama/sdk/plugin"
)

func TestFieldDiagnostics(t *testing.T) {
	_, file := testDir(t)
	src := `plugin "cache" {
  path = "bin/orama-plugin-cache"
  config {
    mode  = "embedded"
      peers = ["a"]
    tls   = { cert = "c.pem" }
  }
}
plugin "database" {
  path = "bin/orama-plugin-cache"
}
`
	cfg := mustParse(t, file, src)
	cache := cfg.Plugin("cache")
	errs := plugin.ConfigError{
		{Attribute: "peers", Message: "must be host:port addresses."},
		{Attribute: "mode", Message: `unknown mode "x"`},
		{Attribute: "tls.cert", Message: "file not found"},
		{Attribute: "servers", Message: "unknown attribute"},
		{Attribute: "", Message: "mode client needs servers"},
		{Attribute: "mode", Message: ""},
	}
	diags := cache.FieldDiagnostics(errs)
	want := []struct {
		line, col int
		detail    string
	}{
		{5, 7, `The cache plugin rejected attribute "peers": must be host:port addresses.`},
		{4, 5, `The cache plugin rejected attribute "mode": unknown mode "x".`},
		{6, 5, `The cache plugin rejected attribute "tls.cert": file not found.`},
		{3, 3, `The cache plugin rejected attribute "servers": unknown attribute.`},
		{3, 3, `The cache plugin rejected its configuration: mode client needs servers.`},
		{4, 5, `The cache plugin rejected attribute "mode": invalid value.`},
	}
	if len(diags) != len(want) {
		t.Fatalf("got %d diagnostics, want %d", len(diags), len(want))
	}
	for i, d := range diags {
		checkWellFormed(t, d)
		w := want[i]
		if d.Summary != "Invalid plugin configuration" || d.Detail != w.detail {
			t.Errorf("%d: %q / %q, want detail %q", i, d.Summary, d.Detail, w.detail)
		}
		if d.Subject.Filename != file || d.Subject.Start.Line != w.line || d.Subject.Start.Column != w.col {
			t.Errorf("%d: subject %s, want line %d col %d", i, d.Subject, w.line, w.col)
		}
	}

	// Without a config block, errors point at the plugin block.
	db := cfg.Plugin("database")
	d := db.FieldDiagnostics([]plugin.FieldError{{Attribute: "driver", Message: "required"}})[0]
	if d.Subject.Start.Line != 9 || d.Detail != `The database plugin rejected attribute "driver": required.` {
		t.Errorf("database: %s %q", d.Subject, d.Detail)
	}
	if diags := db.FieldDiagnostics(nil); diags != nil {
		t.Errorf("no field errors gave %v", diags)
	}
}
