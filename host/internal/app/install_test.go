package app

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orama-network/orama/host/internal/config"
	"github.com/orama-network/orama/host/internal/install"
)

// stubBinaries makes a directory with an executable stub of every binary
// an install needs.
func stubBinaries(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range install.BinaryNames {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\necho "+name+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const (
	testSecret = "0123456789abcdef0123456789abcdef-cluster"
	testPeerID = "12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo"
)

// joinArgs are the flags of a node joining a cluster.
func joinArgs(root, bin string) []string {
	return []string{"install", "-dry-run", "-root", root, "-bin-dir", bin,
		"-node-id", "node-2", "-listen", "10.0.0.2:7001", "-data-dir", "/srv/orama", "-user", "gw",
		"-bind-addr", "10.0.0.2", "-peers", "10.0.0.1:3322,/ip4/10.0.0.1/tcp/4101/p2p/" + testPeerID,
		"-peers", "10.0.0.3:3322", "-join", "http://10.0.0.1:4001", "-join", "10.0.0.3:4001",
		"-cluster-secret", testSecret, "-swarm-key", strings.Repeat("ab", 32)}
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

func readText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestInstallDryRunPutsEveryFlagInPlace(t *testing.T) {
	root, bin := t.TempDir(), stubBinaries(t)
	code, out, errs := run(append(joinArgs(root, bin), "-no-copy")...)
	if code != 0 {
		t.Fatalf("install: %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"Dry run", filepath.Join(root, "etc/orama/config.hcl"), "systemd-analyze verify: ok"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	// With -no-copy the config names the binaries where they are, so it
	// loads as it lies in the dry run's root.
	cfgPath := filepath.Join(root, "etc/orama/config.hcl")
	cfg, diags := config.Load(cfgPath)
	if len(diags) > 0 {
		t.Fatalf("the rendered config has diagnostics: %s\n%s", config.DiagnosticsText(diags), readText(t, cfgPath))
	}
	if cfg.Node.ID != "node-2" || cfg.Node.DataDir != "/srv/orama" || cfg.Server.Listen != "10.0.0.2:7001" {
		t.Errorf("node/server: %+v %q", cfg.Node, cfg.Server.Listen)
	}
	plugin := func(kind string) map[string]any {
		p := cfg.Plugin(kind)
		if p == nil {
			t.Fatalf("no %s plugin", kind)
		}
		if p.Path != filepath.Join(bin, "orama-plugin-"+kind) {
			t.Errorf("%s path %s", kind, p.Path)
		}
		var m map[string]any
		if err := json.Unmarshal(p.ConfigJSON, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	js := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	cache := plugin("cache")
	if js(cache["peers"]) != `["10.0.0.1:3322","10.0.0.3:3322"]` || cache["bind_addr"] != "10.0.0.2" || cache["memberlist_port"] != 3322.0 {
		t.Errorf("cache config %s", js(cache))
	}
	db := plugin("database")
	if db["driver"] != "rqlite" || js(db["hosts"]) != `["http://10.0.0.1:4001","http://10.0.0.3:4001"]` {
		t.Errorf("database config %s", js(db))
	}
	ps := plugin("pubsub")
	if ps["driver"] != "libp2p" || js(ps["peers"]) != `["/ip4/10.0.0.1/tcp/4101/p2p/`+testPeerID+`"]` ||
		js(ps["listen"]) != `["/ip4/10.0.0.2/tcp/4101"]` || ps["swarm_key_file"] != "/etc/orama/swarm.key" {
		t.Errorf("pubsub config %s", js(ps))
	}
	for _, kind := range []string{"auth", "serverless"} {
		if m := plugin(kind); m["key_secret_file"] != "/etc/orama/cluster_secret" {
			t.Errorf("%s config %s", kind, js(m))
		}
	}
	plugin("storage")

	// Secrets: 0600, the given values.
	secret := filepath.Join(root, "etc/orama/cluster_secret")
	if m := mode(t, secret); m != 0o600 {
		t.Errorf("cluster_secret mode %o", m)
	}
	if s := readText(t, secret); s != testSecret+"\n" {
		t.Errorf("cluster_secret %q", s)
	}
	swarm := filepath.Join(root, "etc/orama/swarm.key")
	if m := mode(t, swarm); m != 0o600 {
		t.Errorf("swarm.key mode %o", m)
	}
	if s := readText(t, swarm); s != "/key/swarm/psk/1.0.0/\n/base16/\n"+strings.Repeat("ab", 32)+"\n" {
		t.Errorf("swarm.key %q", s)
	}
	if m := mode(t, filepath.Join(root, "srv/orama")); m != 0o750 {
		t.Errorf("data dir mode %o", m)
	}
	if m := mode(t, cfgPath); m != 0o640 {
		t.Errorf("config mode %o", m)
	}

	unit := readText(t, filepath.Join(root, "etc/systemd/system/orama.service"))
	for _, want := range []string{
		"ExecStart=" + bin + "/orama serve -config /etc/orama/config.hcl\n",
		"User=gw\n", "Group=gw\n", "ReadWritePaths=/srv/orama\n", "Restart=on-failure\n", "RestartSec=5s\n",
		"KillSignal=SIGTERM\n", "KillMode=mixed\n", "NoNewPrivileges=yes\n", "ProtectSystem=strict\n",
		"ProtectHome=yes\n", "PrivateTmp=yes\n", "LimitNOFILE=", "WantedBy=multi-user.target\n", "CapabilityBoundingSet=\n",
	} {
		if !strings.Contains(unit, want) {
			t.Errorf("unit lacks %q:\n%s", want, unit)
		}
	}
	if !strings.Contains(unit, "TimeoutStopSec=45s\n") || cfg.Server.ShutdownTimeout >= install.StopTimeout {
		t.Errorf("TimeoutStopSec must exceed shutdown_timeout %s:\n%s", cfg.Server.ShutdownTimeout, unit)
	}
}

func TestInstallDryRunCopiesBinariesAndMakesASecret(t *testing.T) {
	root, bin := t.TempDir(), stubBinaries(t)
	code, out, errs := run("install", "-dry-run", "-root", root, "-bin-dir", bin, "-node-id", "solo", "-listen", ":443")
	if code != 0 {
		t.Fatalf("install: %d\n%s\n%s", code, out, errs)
	}
	for _, name := range install.BinaryNames {
		path := filepath.Join(root, "usr/local/lib/orama", name)
		if m := mode(t, path); m != 0o755 {
			t.Errorf("%s mode %o", name, m)
		}
		if s := readText(t, path); !strings.Contains(s, "echo "+name) {
			t.Errorf("%s is not a copy: %q", name, s)
		}
	}
	cfg := readText(t, filepath.Join(root, "etc/orama/config.hcl"))
	for _, want := range []string{`path = "/usr/local/lib/orama/orama-plugin-cache"`, `data_dir = "/var/lib/orama"`,
		`driver = "sqlite"`, `driver = "local"`, `peers = []`} {
		if !strings.Contains(cfg, want) {
			t.Errorf("config lacks %q:\n%s", want, cfg)
		}
	}
	if strings.Contains(cfg, "swarm_key_file") || strings.Contains(cfg, "bind_addr") {
		t.Errorf("a single node's config has cluster settings:\n%s", cfg)
	}
	unit := readText(t, filepath.Join(root, "etc/systemd/system/orama.service"))
	if !strings.Contains(unit, "ExecStart=/usr/local/lib/orama/orama serve") || !strings.Contains(unit, "AmbientCapabilities=CAP_NET_BIND_SERVICE") {
		t.Errorf("unit:\n%s", unit)
	}
	secretPath := filepath.Join(root, "etc/orama/cluster_secret")
	secret := readText(t, secretPath)
	if len(strings.TrimSpace(secret)) < 32 || mode(t, secretPath) != 0o600 || !strings.Contains(out, "A new cluster secret") {
		t.Errorf("generated secret %q (mode %o); report:\n%s", secret, mode(t, secretPath), out)
	}

	// -cluster-secret-file replaces the secret (with -force).
	file := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(file, []byte("  "+testSecret+"\n\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	other := t.TempDir()
	if code, out, errs := run("install", "-dry-run", "-root", other, "-bin-dir", bin, "-cluster-secret-file", file); code != 0 ||
		readText(t, filepath.Join(other, "etc/orama/cluster_secret")) != testSecret+"\n" {
		t.Errorf("-cluster-secret-file: %d\n%s\n%s", code, out, errs)
	}

	// Again: refused without -force; with it the secret is kept.
	code, _, errs = run("install", "-dry-run", "-root", root, "-bin-dir", bin, "-node-id", "solo")
	if code != 1 || !strings.Contains(errs, "exists") || !strings.Contains(errs, "-force") {
		t.Errorf("second install without -force: %d %q", code, errs)
	}
	code, out, errs = run("install", "-dry-run", "-root", root, "-bin-dir", bin, "-node-id", "solo", "-force")
	if code != 0 || !strings.Contains(out, "kept") {
		t.Fatalf("install -force: %d\n%s\n%s", code, out, errs)
	}
	if again := readText(t, secretPath); again != secret {
		t.Errorf("install -force replaced the cluster secret")
	}
}

func TestInstallRefusals(t *testing.T) {
	bin := stubBinaries(t)
	defer func(f func() int) { geteuid = f }(geteuid)
	geteuid = func() int { return 1000 }
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"not root", []string{"-bin-dir", bin}, 1, "needs root"},
		{"dry run without root dir", []string{"-dry-run", "-bin-dir", bin}, 2, "-root DIR"},
		{"root dir without dry run", []string{"-root", t.TempDir(), "-bin-dir", bin}, 2, "-dry-run only"},
		{"bad peer", []string{"-dry-run", "-root", t.TempDir(), "-bin-dir", bin, "-bind-addr", "10.0.0.2", "-peers", "10.0.0.1"}, 2, `-peers "10.0.0.1"`},
		{"bad multiaddr", []string{"-dry-run", "-root", t.TempDir(), "-bin-dir", bin, "-bind-addr", "10.0.0.2", "-peers", "/ip4/10.0.0.1/tcp/4101"}, 2, "/p2p/"},
		{"bad listen", []string{"-dry-run", "-root", t.TempDir(), "-bin-dir", bin, "-listen", "6001"}, 2, "-listen"},
		{"bad join", []string{"-dry-run", "-root", t.TempDir(), "-bin-dir", bin, "-join", "rqlite"}, 2, "-join"},
		{"short secret", []string{"-dry-run", "-root", t.TempDir(), "-bin-dir", bin, "-cluster-secret", "x"}, 2, "-cluster-secret"},
		{"bad swarm key", []string{"-dry-run", "-root", t.TempDir(), "-bin-dir", bin, "-swarm-key", "zz"}, 2, "-swarm-key"},
		{"two secrets", []string{"-dry-run", "-root", t.TempDir(), "-bin-dir", bin, "-cluster-secret", testSecret, "-cluster-secret-file", "x"}, 2, "not both"},
		{"missing secret file", []string{"-dry-run", "-root", t.TempDir(), "-bin-dir", bin, "-cluster-secret-file", "/nonexistent/secret"}, 2, "-cluster-secret-file"},
		{"missing binaries", []string{"-dry-run", "-root", t.TempDir(), "-bin-dir", t.TempDir()}, 1, "lacks orama, orama-plugin-cache"},
		{"argument", []string{"-dry-run", "-root", t.TempDir(), "-bin-dir", bin, "extra"}, 2, "unexpected argument"},
	} {
		code, _, errs := run(append([]string{"install"}, c.args...)...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", c.name, code, errs, c.code, c.want)
		}
	}
	if code, out, _ := run("install", "-h"); code != 0 || !strings.Contains(out, "-dry-run -root DIR") {
		t.Errorf("install -h: %d %q", code, out)
	}
}

// The install proper (not a dry run), with the system's root and the
// service user replaced: the files are written with their owners, the
// installed config loads, and the next commands are printed.
func TestInstallAsRootWritesFilesWithOwners(t *testing.T) {
	sys, bin := t.TempDir(), stubBinaries(t)
	defer func(e func() int, r string, u func(context.Context, string, string, io.Writer) (*install.Owner, error)) {
		geteuid, systemRoot, serviceUser = e, r, u
	}(geteuid, systemRoot, serviceUser)
	var asked string
	geteuid, systemRoot = func() int { return 0 }, sys
	serviceUser = func(_ context.Context, name, dataDir string, _ io.Writer) (*install.Owner, error) {
		asked = name + " " + dataDir
		return &install.Owner{UID: os.Getuid(), GID: os.Getgid()}, nil
	}
	code, out, errs := run("install", "-bin-dir", bin, "-no-copy", "-node-id", "n1", "-user", "gw", "-data-dir", "/srv/gw")
	if code != 0 {
		t.Fatalf("install: %d\n%s\n%s", code, out, errs)
	}
	if asked != "gw /srv/gw" {
		t.Errorf("service user asked for %q", asked)
	}
	for _, want := range []string{"Installed the Orama gateway", "systemctl daemon-reload", "systemctl enable --now orama.service",
		"orama status -gateway http://localhost:6001"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if _, diags := config.Load(filepath.Join(sys, "etc/orama/config.hcl")); len(diags) > 0 {
		t.Errorf("installed config: %s", config.DiagnosticsText(diags))
	}
	if m := mode(t, filepath.Join(sys, "srv/gw")); m != 0o750 {
		t.Errorf("data dir mode %o", m)
	}
	if m := mode(t, filepath.Join(sys, "etc/orama/cluster_secret")); m != 0o600 {
		t.Errorf("cluster secret mode %o", m)
	}
	if code, _, errs := run("install", "-bin-dir", bin, "-no-copy"); code != 1 || !strings.Contains(errs, "-force") {
		t.Errorf("second install: %d %q", code, errs)
	}
}
