package serverlesstest

import (
	"testing"

	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/serverless"
)

// testIdentity runs the host_ids fixture, which prints get_caller_wallet,
// get_request_id, get_env("GREETING"), get_env("MISSING"),
// get_secret("api_key") and get_secret("missing") a line each ("<0>"
// for nothing). Secrets and env vars are the function's own namespace's
// and version's, whoever calls it.
func testIdentity(t *testing.T, s serverless.Serverless) {
	ctx := t.Context()
	a, b, name := plugintest.Unique("ns-a"), plugintest.Unique("ns-b"), plugintest.Unique("ids")
	if err := s.SetSecret(ctx, a, "api_key", []byte("a-secret")); err != nil {
		t.Fatalf("SetSecret in a: %v", err)
	}
	if err := s.SetSecret(ctx, b, "api_key", []byte("b-secret")); err != nil {
		t.Fatalf("SetSecret in b: %v", err)
	}
	d := def(a, name)
	d.IsPublic = true
	d.EnvVars = map[string]string{"GREETING": "hi there"}
	mustDeploy(t, s, d, Module(t, "host_ids"))

	inv := own(a, name, 0, nil)
	inv.Wallet = "0xabc"
	wantOutput(t, mustInvoke(t, s, inv), "host_ids as its namespace",
		[]byte("0xabc\n"+inv.RequestID+"\nhi there\n<0>\na-secret\n<0>\n"))

	// Called from namespace b (it is public): still a's secret.
	inv = own(a, name, 0, nil)
	inv.Caller, inv.Wallet = b, ""
	wantOutput(t, mustInvoke(t, s, inv), "host_ids called from another namespace",
		[]byte("<0>\n"+inv.RequestID+"\nhi there\n<0>\na-secret\n<0>\n"))

	// A replaced secret is read at once; a deleted one is gone.
	if err := s.SetSecret(ctx, a, "api_key", []byte("rotated")); err != nil {
		t.Fatalf("SetSecret again: %v", err)
	}
	inv = own(a, name, 0, nil)
	wantOutput(t, mustInvoke(t, s, inv), "host_ids after rotating the secret",
		[]byte("<0>\n"+inv.RequestID+"\nhi there\n<0>\nrotated\n<0>\n"))
	if err := s.DeleteSecret(ctx, a, "api_key"); err != nil {
		t.Fatalf("DeleteSecret: %v", err)
	}
	inv = own(a, name, 0, nil)
	wantOutput(t, mustInvoke(t, s, inv), "host_ids after deleting the secret",
		[]byte("<0>\n"+inv.RequestID+"\nhi there\n<0>\n<0>\n<0>\n"))

	// Env vars belong to a version: version 2 without them reads none.
	mustDeploy(t, s, def(a, name), Module(t, "host_ids"))
	inv = own(a, name, 0, nil)
	wantOutput(t, mustInvoke(t, s, inv), "host_ids version 2",
		[]byte("<0>\n"+inv.RequestID+"\n<0>\n<0>\n<0>\n<0>\n"))
}
