package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk/serverless/serverlesstest"
)

// TestFunctionsCLI: orama functions and orama secrets against the real
// gateway: deploy a module file, invoke it (own and another namespace's
// public function), list, versions, logs, delete; set, list and delete a
// secret that a function reads.
func TestFunctionsCLI(t *testing.T) {
	h := startFnHost(t, "")
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	echo := write("echo.wasm", serverlesstest.Module(t, "echo"))
	ids := write("ids.wasm", serverlesstest.Module(t, "host_ids"))
	env := func(key []string) []string {
		return []string{"ORAMA_GATEWAY=" + h.URL, "ORAMA_API_KEY=" + key[1], "HOME=" + dir}
	}
	run := func(key []string, want int, args ...string) string {
		t.Helper()
		code, out, errs := orama(t, env(key), args...)
		if code != want {
			t.Fatalf("orama %s: exit %d, want %d; stdout %q stderr %q", strings.Join(args, " "), code, want, out, errs)
		}
		return out
	}

	run(h.alpha, 0, "functions", "deploy", "echo", "-file", echo, "-public")
	run(h.alpha, 0, "functions", "deploy", "echo", "-file", echo)
	if out := run(h.alpha, 0, "functions", "invoke", "echo@1", "-data", `{"cli":true}`); strings.TrimSpace(out) != `{"cli":true}` {
		t.Errorf("invoke: %q", out)
	}
	if out := run(h.beta, 0, "functions", "invoke", "echo@1", "-namespace", "alpha", "-data", `[1]`); strings.TrimSpace(out) != `[1]` {
		t.Errorf("beta invokes alpha's public echo@1: %q", out)
	}
	run(h.beta, 1, "functions", "invoke", "echo", "-namespace", "alpha", "-data", `[1]`) // echo@2 is private
	if out := run(h.alpha, 0, "functions", "list"); !strings.Contains(out, "echo") {
		t.Errorf("list: %q", out)
	}
	if out := run(h.alpha, 0, "functions", "versions", "echo"); strings.Count(out, "\n") < 3 {
		t.Errorf("versions: %q", out)
	}
	run(h.alpha, 0, "functions", "logs", "echo", "-limit", "5")

	run(h.alpha, 0, "secrets", "set", "api_key", "-value", "cli-s3cret")
	if out := run(h.alpha, 0, "secrets", "list"); !strings.Contains(out, "api_key") || strings.Contains(out, "cli-s3cret") {
		t.Errorf("secrets list: %q", out)
	}
	run(h.alpha, 0, "functions", "deploy", "ids", "-file", ids)
	if out := run(h.alpha, 0, "functions", "invoke", "ids", "-data", ""); !strings.Contains(out, "cli-s3cret") {
		t.Errorf("the function did not read the secret: %q", out)
	}
	run(h.alpha, 0, "secrets", "delete", "api_key")
	run(h.alpha, 0, "functions", "delete", "echo@1")
	run(h.alpha, 0, "functions", "delete", "echo")
	run(h.alpha, 1, "functions", "get", "echo")
}
