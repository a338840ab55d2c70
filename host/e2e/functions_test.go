package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/client"
	"github.com/orama-network/orama/sdk/serverless"
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

// TestFunctionsGoClient: sdk/client's Serverless against the real
// gateway: deploy, invoke (own and public), versions, logs, delete, and
// the errors it maps (FunctionError for a trap, forbidden, not_found).
func TestFunctionsGoClient(t *testing.T) {
	h := startFnHost(t, "")
	ctx := ctxT(t)
	alpha := client.New(h.URL, client.WithAPIKey(h.alpha[1])).Serverless()
	beta := client.New(h.URL, client.WithAPIKey(h.beta[1])).Serverless()
	anon := client.New(h.URL).Serverless()
	echo := serverlesstest.Module(t, "echo")

	fn, err := alpha.Deploy(ctx, serverless.Definition{Name: "echo", IsPublic: true}, bytes.NewReader(echo))
	if err != nil || fn.Version != 1 || fn.Namespace != "alpha" {
		t.Fatalf("deploy: %+v %v", fn, err)
	}
	if _, err := alpha.Deploy(ctx, serverless.Definition{Name: "echo"}, bytes.NewReader(echo)); err != nil {
		t.Fatal(err)
	}
	res, err := alpha.Invoke(ctx, "echo@1", []byte(`{"a":1}`))
	if err != nil || string(res.Output) != `{"a":1}` || res.RequestID == "" {
		t.Fatalf("invoke echo@1: %+v %v", res, err)
	}
	if res, err := anon.InvokePublic(ctx, "alpha", "echo@1", []byte(`[2]`)); err != nil || string(res.Output) != `[2]` {
		t.Errorf("public echo@1 without a key: %+v %v", res, err)
	}
	if _, err := beta.InvokePublic(ctx, "alpha", "echo", nil); sdk.AsError(err).Code != sdk.CodeForbidden {
		t.Errorf("private echo@2 with beta's key: %v", err)
	}
	vs, err := alpha.Versions(ctx, "echo")
	if err != nil || len(vs) != 2 {
		t.Errorf("versions: %+v %v", vs, err)
	}
	if _, err := alpha.Logs(ctx, "echo", 10); err != nil {
		t.Errorf("logs: %v", err)
	}
	if _, err := alpha.Deploy(ctx, serverless.Definition{Name: "trap"}, bytes.NewReader(serverlesstest.Module(t, "trap"))); err != nil {
		t.Fatal(err)
	}
	var fe *client.FunctionError
	if _, err := alpha.Invoke(ctx, "trap", nil); !errors.As(err, &fe) || fe.HTTPStatus != 500 {
		t.Errorf("trap: %v", err)
	}
	if _, err := alpha.Delete(ctx, "echo"); err != nil {
		t.Errorf("delete: %v", err)
	}
	if _, err := alpha.Get(ctx, "echo"); sdk.AsError(err).Code != sdk.CodeNotFound {
		t.Errorf("get after delete: %v", err)
	}
}
