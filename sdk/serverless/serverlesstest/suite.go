package serverlesstest

import (
	"bytes"
	"fmt"
	"slices"
	"testing"

	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/serverless"
)

// Run runs the conformance suite. open is called once per subtest; it may
// return a fresh implementation or the same shared one (every subtest uses
// its own namespaces), and it should register its own cleanup.
//
// The implementation must run real WASM: the suite deploys the fixtures
// of Module (host_ids among them, for get_caller_wallet, get_request_id,
// get_env and get_secret) and a Go program (GoModule), and expects an output cap below
// BigOutBytes and a module limit of at most serverless.MaxModuleBytes. It
// needs wat2wasm and the go tool, and fails without them.
func Run(t *testing.T, open func(t *testing.T) serverless.Serverless) {
	t.Helper()
	tests := []plugintest.Case[serverless.Serverless]{
		{Name: "Deploy", Test: testDeploy},
		{Name: "VersionsNeverReused", Test: testVersionsNeverReused},
		{Name: "Get", Test: testGet},
		{Name: "List", Test: testList},
		{Name: "Versions", Test: testVersions},
		{Name: "DeleteOne", Test: testDeleteOne},
		{Name: "DeleteAll", Test: testDeleteAll},
		{Name: "InvokeEcho", Test: testInvokeEcho},
		{Name: "InvokeVersion", Test: testInvokeVersion},
		{Name: "CallerPrivate", Test: testCallerPrivate},
		{Name: "CallerPublic", Test: testCallerPublic},
		{Name: "NamespaceIsolation", Test: testNamespaceIsolation},
		{Name: "SameNameTwoNamespaces", Test: testSameNameTwoNamespaces},
		{Name: "InvalidNames", Test: testInvalidNames},
		{Name: "InvalidDefinitions", Test: testInvalidDefinitions},
		{Name: "MissingImport", Test: testMissingImport},
		{Name: "BadModules", Test: testBadModules},
		{Name: "ModuleTooLarge", Test: testModuleTooLarge},
		{Name: "InputTooLarge", Test: testInputTooLarge},
		{Name: "Trap", Test: testTrap},
		{Name: "ExitNonZero", Test: testExitNonZero},
		{Name: "Timeout", Test: testTimeout},
		{Name: "MemoryLimit", Test: testMemoryLimit},
		{Name: "OutputCap", Test: testOutputCap},
		{Name: "StderrLogs", Test: testStderrLogs},
		{Name: "LogsLimit", Test: testLogsLimit},
		{Name: "Secrets", Test: testSecrets},
		{Name: "SecretsIsolation", Test: testSecretsIsolation},
		{Name: "SecretsInvalid", Test: testSecretsInvalid},
		{Name: "Identity", Test: testIdentity},
		{Name: "GoGreeting", Test: testGoGreeting},
		{Name: "Health", Test: testHealth},
	}
	plugintest.RunCases(t, open, tests...)
}

// def returns the definition of a private function with defaults.
func def(namespace, name string) serverless.Definition {
	return serverless.Definition{Namespace: namespace, Name: name}
}

// mustDeploy deploys module under d, failing the test when it cannot.
func mustDeploy(t *testing.T, s serverless.Serverless, d serverless.Definition, module []byte) serverless.Function {
	t.Helper()
	f, err := s.Deploy(t.Context(), d, module)
	if err != nil {
		t.Fatalf("Deploy(%s, %s): %v", short(d.Namespace), d.Name, err)
	}
	return f
}

// mustInvoke invokes inv, failing the test when Invoke returns an error.
func mustInvoke(t *testing.T, s serverless.Serverless, inv serverless.Invocation) serverless.Result {
	t.Helper()
	r, err := s.Invoke(t.Context(), inv)
	if err != nil {
		t.Fatalf("Invoke(%s, %s): %v", short(inv.Namespace), serverless.Ref(inv.Name, inv.Version), err)
	}
	return r
}

// wantOutput fails unless r is a success with exactly out on stdout.
func wantOutput(t *testing.T, r serverless.Result, what string, out []byte) {
	t.Helper()
	if r.Status != serverless.ResultSuccess {
		t.Errorf("%s: status %q (%s), want success", what, r.Status, r.Error)
		return
	}
	if !bytes.Equal(r.Output, out) {
		t.Errorf("%s: output %q, want %q", what, clipBytes(r.Output), clipBytes(out))
	}
}

// own invokes as the function's own namespace.
func own(namespace, name string, version int, input []byte) serverless.Invocation {
	return serverless.Invocation{Namespace: namespace, Name: name, Version: version, Input: input,
		Caller: namespace, RequestID: plugintest.Unique("req")}
}

// versionsOf returns the versions of fs, in order.
func versionsOf(fs []serverless.Function) []int {
	out := make([]int, len(fs))
	for i, f := range fs {
		out[i] = f.Version
	}
	return out
}

// wantVersions fails unless Versions lists exactly want, oldest first.
func wantVersions(t *testing.T, s serverless.Serverless, namespace, name string, want ...int) {
	t.Helper()
	fs, err := s.Versions(t.Context(), namespace, name)
	if err != nil {
		t.Errorf("Versions(%s): %v", name, err)
		return
	}
	if got := versionsOf(fs); !slices.Equal(got, want) {
		t.Errorf("Versions(%s) = %v, want %v", name, got, want)
	}
	for _, f := range fs {
		if f.Name != name || f.Namespace != namespace {
			t.Errorf("Versions(%s) lists %s/%s", name, short(f.Namespace), f.Name)
		}
	}
}

// short abbreviates long names in failure messages.
func short(s string) string {
	if len(s) <= 40 {
		return s
	}
	return fmt.Sprintf("%s…(%d bytes)", s[:30], len(s))
}

// clipBytes abbreviates long outputs in failure messages.
func clipBytes(b []byte) string {
	if len(b) <= 200 {
		return string(b)
	}
	return fmt.Sprintf("%s…(%d bytes)", b[:100], len(b))
}
