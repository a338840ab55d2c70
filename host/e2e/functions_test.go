package e2e

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/orama-network/orama/sdk/serverless/serverlesstest"
)

// TestFunctionsGoGreeting: a standard Go program built with the stock
// toolchain (GOOS=wasip1 GOARCH=wasm) deploys with the multipart fields
// name, namespace and file wasm, and POST /v1/functions/NAME/invoke
// returns its JSON as is.
func TestFunctionsGoGreeting(t *testing.T) {
	h := startFnHost(t, "")
	module := serverlesstest.GoModule(t, serverlesstest.GreetingSource)
	fn := h.mustDeploy("greeting", module)
	if fn["name"] != "greeting" || fn["namespace"] != "alpha" || fmt.Sprint(fn["version"]) != "1" || fn["wasm_cid"] == "" {
		t.Fatalf("function object %v", fn)
	}
	r := h.invoke("/v1/functions/greeting/invoke", `{"name":"Orama"}`, h.alpha...)
	if r.code != http.StatusOK || string(r.raw) != serverlesstest.GreetingOutput("Orama") {
		t.Fatalf("invoke: %s, want %q", r, serverlesstest.GreetingOutput("Orama"))
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	if r.header.Get("X-Request-ID") == "" || r.header.Get("X-Duration-Ms") == "" {
		t.Errorf("headers %v", r.header)
	}
	// Again (the warm path), and through /v1/invoke with the owner's key.
	r = h.invoke("/v1/invoke/alpha/greeting", `{"name":"again"}`, h.alpha...)
	if r.code != http.StatusOK || string(r.raw) != serverlesstest.GreetingOutput("again") {
		t.Fatalf("second invoke: %s", r)
	}
	// Input that is not JSON: the program exits 1 → 500 with its message.
	r = h.invoke("/v1/functions/greeting/invoke", `not json`, h.alpha...)
	wantStatus(t, "bad input", r, http.StatusInternalServerError)
}
