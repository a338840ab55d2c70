package service_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk/serverless"
)

// watModule compiles testdata/<name>.wat with wat2wasm (failing the test
// when it is missing).
func watModule(t *testing.T, name string) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), name+".wasm")
	if b, err := exec.Command("wat2wasm", "-o", out, filepath.Join("testdata", name+".wat")).CombinedOutput(); err != nil {
		t.Fatalf("wat2wasm %s: %v\n%s", name, err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestHTTPFetchGuarded: http_fetch reaches an address of http_allow and
// is refused a loopback one that is not.
func TestHTTPFetchGuarded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-From", "test")
		_, _ = w.Write([]byte("pong"))
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	module := watModule(t, "fetch_stdin")
	b := newBackends(t)

	type result struct {
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    string            `json:"body"`
		Error   string            `json:"error"`
	}
	run := func(s serverless.Serverless) result {
		t.Helper()
		if _, err := s.Deploy(t.Context(), def("ns", "fetch"), module); err != nil {
			t.Fatal(err)
		}
		res := invokeOK(t, s, "ns", "fetch", 0, srv.URL+"/ping")
		var r result
		if err := json.Unmarshal(res.Output, &r); err != nil {
			t.Fatalf("output %q: %v", res.Output, err)
		}
		return r
	}
	allowed := node(t, b, t.TempDir(), map[string]any{"http_allow": []string{host}})
	if r := run(allowed); r.Status != 200 || r.Body != "pong" || r.Headers["X-From"] != "test" {
		t.Errorf("allowed fetch = %+v", r)
	}
	strict := node(t, b, t.TempDir(), nil)
	if r := run(strict); r.Status != 0 || !strings.Contains(r.Error, "127.0.0.1") {
		t.Errorf("loopback fetch without http_allow = %+v, want refused", r)
	}
}
