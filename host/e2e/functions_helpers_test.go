package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fnWait bounds the waits of the functions tests: generous, never a
// performance assertion.
const fnWait = 30 * time.Second

// fnKeySecret seals the serverless plugin's secrets in these tests.
const fnKeySecret = "e2e-functions-secret-0123456789abcdef-0123"

// serverlessBlock is a plugin block for the real serverless plugin; extra
// lines go in its config block.
func serverlessBlock(extra string) string {
	return pluginBlock("serverless", bins.serverless, fmt.Sprintf("    key_secret = %q\n%s", fnKeySecret, extra))
}

// fnHost is a gateway with every plugin the serverless plugin uses
// (cache, SQLite database, embedded storage, local pubsub) and auth with
// simple keys, and API keys of namespaces alpha and beta.
type fnHost struct {
	*host
	alpha, beta []string // X-API-Key header pairs
}

// startFnHost starts an fnHost; fnExtra goes in the serverless plugin's
// config block.
func startFnHost(t *testing.T, fnExtra string) *fnHost {
	t.Helper()
	return startFnHostServer(t, "", fnExtra)
}

// startFnHostServer is startFnHost with serverExtra in the server block.
func startFnHostServer(t *testing.T, serverExtra, fnExtra string) *fnHost {
	t.Helper()
	return startFnHostBlocks(t, serverExtra, fnExtra, "")
}

// startFnHostBlocks is startFnHostServer with more top-level blocks
// (telemetry { … }) at the end of the file.
func startFnHostBlocks(t *testing.T, serverExtra, fnExtra, blocks string) *fnHost {
	t.Helper()
	h := startHost(t, func(port int) string {
		return authConfig(port, "e2e", serverExtra, cacheBlock(bins.cache, "")+sqliteBlock()+storageBlock("")+
			pubsubBlock("")+authBlock(`    allow_simple_keys = true`)+serverlessBlock(fnExtra)) + blocks
	})
	key := func(wallet, ns string) []string {
		r := h.send(http.MethodPost, "/v1/auth/simple-key", map[string]string{"wallet": wallet, "namespace": ns})
		k := r.str("api_key")
		if r.code != http.StatusOK || k == "" {
			t.Fatalf("simple-key for %s: %s", ns, r)
		}
		return apiKey(k)
	}
	return &fnHost{host: h, alpha: key("0x1111111111111111111111111111111111111111", "alpha"),
		beta: key("0x2222222222222222222222222222222222222222", "beta")}
}

// deployForm posts a multipart deploy: fields are name/value pairs, the
// module the file "wasm"; hdr are header pairs (the credential).
func (h *fnHost) deployForm(module []byte, fields []string, hdr ...string) reply {
	h.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for i := 0; i+1 < len(fields); i += 2 {
		_ = mw.WriteField(fields[i], fields[i+1])
	}
	fw, _ := mw.CreateFormFile("wasm", "fn.wasm")
	_, _ = fw.Write(module)
	_ = mw.Close()
	resp, raw := h.request(http.MethodPost, "/v1/functions", &b, append([]string{"Content-Type", mw.FormDataContentType()}, hdr...)...)
	out := reply{code: resp.StatusCode, header: resp.Header, raw: raw}
	_ = json.Unmarshal(raw, &out.body)
	return out
}

// mustDeploy deploys module as name in alpha (fields added) and returns
// the function object.
func (h *fnHost) mustDeploy(name string, module []byte, fields ...string) map[string]any {
	h.t.Helper()
	r := h.deployForm(module, append([]string{"name", name, "namespace", "alpha"}, fields...), h.alpha...)
	if r.code != http.StatusCreated {
		h.t.Fatalf("deploy %s: %s", name, r)
	}
	fn, _ := r.body["function"].(map[string]any)
	if fn == nil {
		h.t.Fatalf("deploy %s: no function in %s", name, r)
	}
	return fn
}

// invoke posts body to path (hdr: header pairs) and returns the answer.
func (h *fnHost) invoke(path, body string, hdr ...string) reply {
	h.t.Helper()
	resp, raw := h.request(http.MethodPost, path, strings.NewReader(body), hdr...)
	out := reply{code: resp.StatusCode, header: resp.Header, raw: raw}
	_ = json.Unmarshal(raw, &out.body)
	return out
}

// wat compiles WAT source with wat2wasm (a test that needs it fails
// without it).
func wat(t *testing.T, src string) []byte {
	t.Helper()
	dir := t.TempDir()
	in, out := filepath.Join(dir, "m.wat"), filepath.Join(dir, "m.wasm")
	if err := os.WriteFile(in, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command("wat2wasm", in, "-o", out).CombinedOutput(); err != nil {
		t.Fatalf("wat2wasm (make tools-wabt installs it): %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
