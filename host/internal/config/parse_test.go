package config

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
)

func TestParseDefaults(t *testing.T) {
	dir, file := testDir(t)
	cfg := mustParse(t, file, "# nothing\n")
	want := Server{
		Listen:          ":6001",
		CORSOrigins:     []string{"*"},
		MaxBodyBytes:    10485760,
		MaxUploadBytes:  10737418240,
		ShutdownTimeout: 15 * time.Second,
		UpgradeWait:     10 * time.Second,
		RequestTimeout:  30 * time.Second,
	}
	s := cfg.Server
	if s.Listen != want.Listen || !slices.Equal(s.CORSOrigins, want.CORSOrigins) || s.MaxBodyBytes != want.MaxBodyBytes ||
		s.MaxUploadBytes != want.MaxUploadBytes || s.ShutdownTimeout != want.ShutdownTimeout || s.UpgradeWait != want.UpgradeWait || s.RequestTimeout != want.RequestTimeout {
		t.Errorf("Server = %+v, want %+v", s, want)
	}
	if cfg.Node != (Node{ID: "node-1", DataDir: filepath.Join(dir, "data")}) {
		t.Errorf("Node = %+v", cfg.Node)
	}
	if cfg.File != file || len(cfg.Plugins) != 0 {
		t.Errorf("File = %q, Plugins = %v", cfg.File, cfg.Plugins)
	}
	// Empty blocks mean defaults too.
	cfg = mustParse(t, file, "server {}\nnode {}\n")
	if cfg.Server.Listen != ":6001" || cfg.Node.ID != "node-1" {
		t.Errorf("empty blocks: %+v %+v", cfg.Server, cfg.Node)
	}
}

func TestParseValues(t *testing.T) {
	dir, file := testDir(t)
	src := `
server {
  listen           = "127.0.0.1:0"
  cors_origins     = ["https://a.example"]
  max_body_bytes   = 1024
  shutdown_timeout = "1s"
  upgrade_wait     = "2s"
  request_timeout  = "3s"
}
node {
  id       = "n2"
  data_dir = "state/orama"
}
plugin "database" {
  path = "bin/orama-plugin-cache"
}
plugin "cache" {
  path   = "./bin/../bin/orama-plugin-cache"
  sha256 = "` + fakeSHA + `"
  config {
    mode  = "embedded"
    peers = []
  }
}
`
	cfg := mustParse(t, file, src)
	s := cfg.Server
	if s.Listen != "127.0.0.1:0" || !slices.Equal(s.CORSOrigins, []string{"https://a.example"}) || s.MaxBodyBytes != 1024 ||
		s.ShutdownTimeout != time.Second || s.UpgradeWait != 2*time.Second || s.RequestTimeout != 3*time.Second {
		t.Errorf("Server = %+v", s)
	}
	if cfg.Node != (Node{ID: "n2", DataDir: filepath.Join(dir, "state", "orama")}) {
		t.Errorf("Node = %+v", cfg.Node)
	}
	if len(cfg.Plugins) != 2 || cfg.Plugins[0].Kind != "database" || cfg.Plugins[1].Kind != "cache" {
		t.Fatalf("Plugins not in file order: %v", cfg.Plugins)
	}
	bin := filepath.Join(dir, "bin", "orama-plugin-cache")
	db, cache := cfg.Plugin("database"), cfg.Plugin("cache")
	if cfg.Plugin("storage") != nil || db != cfg.Plugins[0] || cache != cfg.Plugins[1] {
		t.Fatal("Plugin(kind) lookup is wrong")
	}
	if db.Path != bin || db.SHA256 != nil || string(db.ConfigJSON) != "{}" || len(db.Attrs) != 0 {
		t.Errorf("database plugin = %+v", db)
	}
	if db.ConfigRange != db.BlockRange {
		t.Errorf("without config block, ConfigRange = %v, want BlockRange %v", db.ConfigRange, db.BlockRange)
	}
	if cache.Path != bin || len(cache.SHA256) != 32 || string(cache.ConfigJSON) != `{"mode":"embedded","peers":[]}` {
		t.Errorf("cache plugin = %+v (config %s)", cache, cache.ConfigJSON)
	}
	wantRange(t, "cache BlockRange", cache.BlockRange, 17, 1, 17, 15)
	wantRange(t, "cache ConfigRange", cache.ConfigRange, 20, 3, 20, 9)
	wantRange(t, "mode", cache.Attrs["mode"], 21, 5, 21, 23)
	wantRange(t, "peers", cache.Attrs["peers"], 22, 5, 22, 15)
}

// max_upload_bytes is independent of max_body_bytes and may be written
// as arithmetic; leaving it out keeps the 10 GiB default.
func TestParseMaxUploadBytes(t *testing.T) {
	_, file := testDir(t)
	cfg := mustParse(t, file, "server {\n  max_body_bytes = 1024\n  max_upload_bytes = 4 * 1024 * 1024 * 1024\n}\n")
	if cfg.Server.MaxUploadBytes != 4<<30 || cfg.Server.MaxBodyBytes != 1024 {
		t.Errorf("MaxUploadBytes = %d, MaxBodyBytes = %d", cfg.Server.MaxUploadBytes, cfg.Server.MaxBodyBytes)
	}
	cfg = mustParse(t, file, "server {\n  max_body_bytes = 1024\n}\n")
	if cfg.Server.MaxUploadBytes != 10<<30 {
		t.Errorf("default MaxUploadBytes = %d, want 10 GiB", cfg.Server.MaxUploadBytes)
	}
}

func wantRange(t *testing.T, what string, r hcl.Range, l1, c1, l2, c2 int) {
	t.Helper()
	if r.Start.Line != l1 || r.Start.Column != c1 || r.End.Line != l2 || r.End.Column != c2 {
		t.Errorf("%s = %d:%d-%d:%d, want %d:%d-%d:%d", what,
			r.Start.Line, r.Start.Column, r.End.Line, r.End.Column, l1, c1, l2, c2)
	}
}

func TestParseErrors(t *testing.T) {
	plugin := func(body string) string { return "plugin \"cache\" {\n" + body + "\n}\n" }
	tests := []struct {
		name    string
		src     string
		summary string
		line    int
		detail  []string // substrings of Detail
	}{
		{"unknown block", "servr {}\n", "Unsupported block type", 1,
			[]string{`Did you mean "server"?`, "server, node, plugin"}},
		{"unknown server attribute", "server {\n  lisen = \":1\"\n}\n", "Unsupported argument", 2,
			[]string{`Did you mean "listen"?`, "listen, cors_origins, max_body_bytes, max_upload_bytes, shutdown_timeout, upgrade_wait, request_timeout"}},
		{"unknown node attribute", "node {\n  name = \"x\"\n}\n", "Unsupported argument", 2, []string{"id, data_dir"}},
		{"unknown plugin attribute", plugin(`  path = "bin/orama-plugin-cache"` + "\n  sha265 = \"\""), "Unsupported argument", 3,
			[]string{`Did you mean "sha256"?`, "path, sha256"}},
		{"duplicate server", "server {}\nserver {}\n", "Duplicate server block", 2, []string{"line 1", "Merge"}},
		{"duplicate node", "node {}\n\nnode {}\n", "Duplicate node block", 3, []string{"line 1"}},
		{"duplicate plugin", plugin(`path = "bin/orama-plugin-cache"`) + plugin(`path = "bin/orama-plugin-cache"`),
			"Duplicate plugin block", 4, []string{`plugin "cache"`, "line 1"}},
		{"plugin without label", "plugin {\n  path = \"bin/orama-plugin-cache\"\n}\n", "Missing plugin kind", 1,
			[]string{`plugin "cache" {`, "auth, cache, database, pubsub, serverless, storage"}},
		{"unknown kind", "plugin \"queue\" {\n  path = \"bin/orama-plugin-cache\"\n}\n", "Unknown plugin kind", 1,
			[]string{`"queue"`, "auth, cache, database, pubsub, serverless, storage"}},
		{"missing path", plugin(""), "Missing plugin path", 1, []string{`path = "./bin/orama-plugin-cache"`}},
		{"binary not found", plugin(`path = "bin/nope"`), "Plugin binary not found", 2, []string{"make build", "fix path", "bin/nope"}},
		{"binary not executable", plugin(`path = "bin/plain"`), "Plugin binary not executable", 2, []string{"chmod +x", "bin/plain"}},
		{"sha256 too short", plugin(`path = "bin/orama-plugin-cache"` + "\nsha256 = \"abc\""), "Invalid sha256", 3,
			[]string{"64 hexadecimal characters", "got 3 characters"}},
		{"sha256 not hex", plugin(`path = "bin/orama-plugin-cache"` + "\nsha256 = \"" + strings.Repeat("g", 64) + "\""), "Invalid sha256", 3,
			[]string{"not hexadecimal"}},
		{"checksum mismatch", plugin(`path = "bin/orama-plugin-cache"` + "\nsha256 = \"" + strings.Repeat("ab", 32) + "\""),
			"Plugin checksum mismatch", 3, []string{strings.Repeat("ab", 32), fakeSHA, "verify", "update sha256"}},
		{"nested block in config", plugin(`path = "bin/orama-plugin-cache"` + "\nconfig {\n  tls {\n  }\n}"),
			"Unexpected block in plugin config", 4, []string{"attributes only", "tls = { … }"}},
		{"reference in config", plugin(`path = "bin/orama-plugin-cache"` + "\nconfig {\n  peers = local.peers\n}"),
			"Variables not allowed", 4, []string{"local.peers is a reference", "literal values"}},
		{"function call in config", plugin(`path = "bin/orama-plugin-cache"` + "\nconfig {\n  n = max(1, 2)\n}"),
			"Function calls not allowed", 4, []string{"max(1, 2) calls a function"}},
		{"bad duration", "server {\n  request_timeout = \"5 minutes\"\n}\n", "Invalid duration", 2, []string{`"5 minutes"`, `"30s"`}},
		{"zero duration", "server {\n  upgrade_wait = \"0s\"\n}\n", "Invalid duration", 2, []string{"greater than zero"}},
		{"bad listen", "server {\n  listen = \"localhost\"\n}\n", "Invalid listen address", 2, []string{"host:port", `":6001"`}},
		{"bad listen port", "server {\n  listen = \":99999\"\n}\n", "Invalid listen address", 2, []string{"65535"}},
		{"zero max_body_bytes", "server {\n  max_body_bytes = 0\n}\n", "Invalid max_body_bytes", 2, []string{"greater than zero"}},
		{"negative max_body_bytes", "server {\n  max_body_bytes = -5\n}\n", "Invalid max_body_bytes", 2, []string{"greater than zero"}},
		{"zero max_upload_bytes", "server {\n  max_upload_bytes = 0\n}\n", "Invalid max_upload_bytes", 2, []string{"greater than zero", "10 GiB"}},
		{"fractional max_upload_bytes", "server {\n  max_upload_bytes = 1.5\n}\n", "Incorrect attribute value type", 2, []string{"whole number", "10737418240"}},
		{"wrong type", "server {\n  cors_origins = { a = 1 }\n}\n", "Incorrect attribute value type", 2, []string{"list of strings"}},
		{"reference in server", "server {\n  listen = env.LISTEN\n}\n", "Variables not allowed", 2, []string{"env.LISTEN"}},
		{"empty node id", "node {\n  id = \"\"\n}\n", "Invalid node id", 2, []string{"must not be empty"}},
		{"syntax error", "server {\n  listen = \n}\n", "Invalid expression", 2, nil},
		{"flush_interval over 1s", "server {\n  pubsub {\n    flush_interval = \"2s\"\n  }\n}\n", "Invalid flush_interval", 3, []string{`"0s" (off)`, `"1s"`}},
		{"negative flush_interval", "server {\n  pubsub {\n    flush_interval = \"-5ms\"\n  }\n}\n", "Invalid flush_interval", 3, []string{"least time between two writes"}},
		{"flush_interval not a duration", "server {\n  pubsub {\n    flush_interval = \"fast\"\n  }\n}\n", "Invalid flush_interval", 3, []string{`"10ms"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, file := testDir(t)
			cfg, diags := Parse(file, []byte(tt.src))
			if cfg != nil {
				t.Error("config returned along with errors")
			}
			var found *hcl.Diagnostic
			for _, d := range diags {
				checkWellFormed(t, d)
				if d.Summary == tt.summary && found == nil {
					found = d
				}
			}
			if found == nil {
				t.Fatalf("no %q diagnostic in:\n%s", tt.summary, render(t, diags))
			}
			if len(diags) != 1 {
				t.Errorf("want exactly one diagnostic, got:\n%s", render(t, diags))
			}
			if found.Subject.Filename != file || found.Subject.Start.Line != tt.line {
				t.Errorf("subject = %s, want %s line %d", found.Subject, file, tt.line)
			}
			for _, want := range tt.detail {
				if !strings.Contains(found.Detail, want) {
					t.Errorf("detail %q does not contain %q", found.Detail, want)
				}
			}
		})
	}
}

func TestConfigJSON(t *testing.T) {
	tests := []struct{ attrs, want string }{
		{"", `{}`},
		{`mode = "embedded"`, `{"mode":"embedded"}`},
		{"peers = []", `{"peers":[]}`},
		{"size = 64\nratio = 0.25\nbig = 10000000000", `{"big":10000000000,"ratio":0.25,"size":64}`},
		{"on = true\noff = false\nnothing = null", `{"nothing":null,"off":false,"on":true}`},
		{`hosts = ["a", "b"]`, `{"hosts":["a","b"]}`},
		{`mixed = [1, "a", true]`, `{"mixed":[1,"a",true]}`},
		{`tls = { enabled = true, "ca-file" = "ca.pem", ports = [1, 2] }`, `{"tls":{"ca-file":"ca.pem","enabled":true,"ports":[1,2]}}`},
		{`n = 2 * 21`, `{"n":42}`},
		{`s = "a ${"b"} c"`, `{"s":"a b c"}`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			_, file := testDir(t)
			cfg := mustParse(t, file, "plugin \"cache\" {\n  path = \"bin/orama-plugin-cache\"\n  config {\n"+tt.attrs+"\n  }\n}\n")
			if got := string(cfg.Plugins[0].ConfigJSON); got != tt.want {
				t.Errorf("ConfigJSON = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestPluginPathAbsolute(t *testing.T) {
	dir, file := testDir(t)
	bin := filepath.Join(dir, "bin", "orama-plugin-cache")
	cfg := mustParse(t, file, "plugin \"cache\" {\n  path = \""+filepath.ToSlash(bin)+"\"\n}\n")
	if cfg.Plugins[0].Path != bin {
		t.Errorf("Path = %q, want %q", cfg.Plugins[0].Path, bin)
	}
}
