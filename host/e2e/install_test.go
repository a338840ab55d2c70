package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// installedConfig runs orama install -dry-run into root with the real
// binaries (referenced, -no-copy) and returns the rendered config with
// /etc/orama and the data dir (the default /var/lib/orama) moved under
// root, where the dry run made them.
func installedConfig(t *testing.T, root string, args ...string) string {
	t.Helper()
	args = append([]string{"install", "-dry-run", "-root", root, "-bin-dir", bins.dir, "-no-copy"}, args...)
	code, out, errs := orama(t, nil, args...)
	if code != 0 || !strings.Contains(out, "systemd-analyze verify: ok") {
		t.Fatalf("orama install: %d\n%s\n%s", code, out, errs)
	}
	b, err := os.ReadFile(filepath.Join(root, "etc/orama/config.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(b), `"/etc/orama/`, `"`+filepath.Join(root, "etc/orama")+`/`)
	return strings.ReplaceAll(text, `"/var/lib/orama"`, `"`+filepath.Join(root, "var/lib/orama")+`"`)
}

// A gateway serves the config orama install renders, and orama status
// prints its node and its plugins as a table.
func TestInstalledConfigServesAndStatusPrintsIt(t *testing.T) {
	root := t.TempDir()
	h := startHost(t, func(port int) string {
		return installedConfig(t, root, "-node-id", "e2e-install", "-listen", fmt.Sprintf("127.0.0.1:%d", port))
	})
	_, hl := h.health()

	code, out, errs := orama(t, nil, "status", "-gateway", h.URL)
	if code != 0 {
		t.Fatalf("orama status: %d\n%s\n%s", code, out, errs)
	}
	t.Logf("orama status:\n%s", out)
	if !strings.Contains(out, "Gateway "+h.URL+": ok") || !strings.Contains(out, "e2e-install  this node") {
		t.Errorf("status lacks the gateway or the node:\n%s", out)
	}
	kinds := []string{"auth", "cache", "database", "pubsub", "serverless", "storage"}
	for _, kind := range kinds {
		p, ok := hl.Plugins[kind]
		if !ok {
			t.Fatalf("/v1/health has no %s plugin: %+v", kind, hl)
		}
		row := ""
		for _, l := range strings.Split(out, "\n") {
			if f := strings.Fields(l); len(f) > 0 && f[0] == kind {
				row = l
			}
		}
		f := strings.Fields(row)
		if len(f) < 7 || f[1] != "running" || f[2] != fmt.Sprint(p.PID) || f[3] != "0" || f[4] != p.Version || f[6] != "yes" {
			t.Errorf("row of %s: %q (health: %+v)", kind, row, p)
		}
	}
	if !strings.Contains(out, "PLUGIN") || !strings.Contains(out, "STATE") || !strings.Contains(out, "RESTARTS") {
		t.Errorf("no table header:\n%s", out)
	}

	h.stop()
	if code, _, errs := orama(t, nil, "status", "-gateway", h.URL, "-timeout", "2s"); code != 1 || !strings.Contains(errs, "cannot reach the gateway") {
		t.Errorf("status of a stopped gateway: %d %q", code, errs)
	}
}

// The config of a node joining a cluster is accepted by every real
// plugin (orama validate asks each about its block).
func TestInstalledClusterConfigValidates(t *testing.T) {
	root := t.TempDir()
	text := installedConfig(t, root, "-node-id", "node-2", "-listen", "127.0.0.1:7001",
		"-bind-addr", "127.0.0.2", "-peers", "127.0.0.1:3322,/ip4/127.0.0.1/tcp/4101/p2p/12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo",
		"-join", "http://127.0.0.1:4001", "-cluster-secret", strings.Repeat("c", 40), "-swarm-key", strings.Repeat("5a", 32))
	for _, want := range []string{`driver = "rqlite"`, `driver = "libp2p"`, `swarm_key_file = "` + root, `peers = ["127.0.0.1:3322"]`} {
		if !strings.Contains(text, want) {
			t.Errorf("config lacks %q:\n%s", want, text)
		}
	}
	path := filepath.Join(t.TempDir(), "config.hcl")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := orama(t, nil, "validate", "-config", path); code != 0 || !strings.Contains(out, "valid (6 plugin(s))") {
		t.Errorf("orama validate: %d\n%s\n%s", code, out, errs)
	}
}
