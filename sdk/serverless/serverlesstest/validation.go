package serverlesstest

import (
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/serverless"
)

// badNames are function names every call refuses as invalid.
var badNames = []string{"", "-lead", "_lead", "has space", "a@1", "a/b", "a.b", "ünï", strings.Repeat("a", serverless.MaxNameLen+1)}

func testInvalidNames(t *testing.T, s serverless.Serverless) {
	ctx := t.Context()
	ns := plugintest.Unique("ns")
	echo := Module(t, "echo")
	for _, name := range badNames {
		what := func(call string) string { return call + " with name " + short(name) }
		_, err := s.Deploy(ctx, def(ns, name), echo)
		plugintest.WantCode(t, err, what("Deploy"), sdk.CodeInvalid)
		_, err = s.Get(ctx, ns, name, 0)
		plugintest.WantCode(t, err, what("Get"), sdk.CodeInvalid)
		_, err = s.Versions(ctx, ns, name)
		plugintest.WantCode(t, err, what("Versions"), sdk.CodeInvalid)
		_, err = s.Delete(ctx, ns, name, 0)
		plugintest.WantCode(t, err, what("Delete"), sdk.CodeInvalid)
		_, err = s.Invoke(ctx, own(ns, name, 0, nil))
		plugintest.WantCode(t, err, what("Invoke"), sdk.CodeInvalid)
		_, err = s.Logs(ctx, ns, name, 0)
		plugintest.WantCode(t, err, what("Logs"), sdk.CodeInvalid)
	}
	name := plugintest.Unique("fn")
	for _, bad := range []string{"", strings.Repeat("n", serverless.MaxNamespaceLen+1)} {
		_, err := s.Deploy(ctx, def(bad, name), echo)
		plugintest.WantCode(t, err, "Deploy with namespace "+short(bad), sdk.CodeInvalid)
		_, err = s.List(ctx, bad)
		plugintest.WantCode(t, err, "List with namespace "+short(bad), sdk.CodeInvalid)
		_, err = s.Get(ctx, bad, name, 0)
		plugintest.WantCode(t, err, "Get with namespace "+short(bad), sdk.CodeInvalid)
	}
	mustDeploy(t, s, def(ns, name), echo)
	_, err := s.Get(ctx, ns, name, -1)
	plugintest.WantCode(t, err, "Get @-1", sdk.CodeInvalid)
	_, err = s.Delete(ctx, ns, name, -1)
	plugintest.WantCode(t, err, "Delete @-1", sdk.CodeInvalid)
	_, err = s.Invoke(ctx, own(ns, name, -1, nil))
	plugintest.WantCode(t, err, "Invoke @-1", sdk.CodeInvalid)
	_, err = s.Logs(ctx, ns, name, -1)
	plugintest.WantCode(t, err, "Logs with limit -1", sdk.CodeInvalid)
	wantVersions(t, s, ns, name, 1)
}

func testInvalidDefinitions(t *testing.T, s serverless.Serverless) {
	ctx := t.Context()
	ns, name := plugintest.Unique("ns"), plugintest.Unique("fn")
	bad := map[string]func(d *serverless.Definition){
		"memory_limit_mb":     func(d *serverless.Definition) { d.MemoryLimitMB = serverless.MaxMemoryLimitMB + 1 },
		"timeout_seconds":     func(d *serverless.Definition) { d.TimeoutSeconds = -1 },
		"retry_count":         func(d *serverless.Definition) { d.RetryCount = serverless.MaxRetryCount + 1 },
		"retry_delay_seconds": func(d *serverless.Definition) { d.RetryDelaySeconds = serverless.MaxRetryDelay + 1 },
		"env_vars":            func(d *serverless.Definition) { d.EnvVars = map[string]string{"": "x"} },
	}
	for field, mutate := range bad {
		d := def(ns, name)
		mutate(&d)
		_, err := s.Deploy(ctx, d, Module(t, "echo"))
		if e := plugintest.WantCode(t, err, "Deploy with a bad "+field, sdk.CodeInvalid); e != nil && !strings.Contains(e.Message, field) {
			t.Errorf("Deploy with a bad %s: message %q does not name the field", field, e.Message)
		}
	}
	_, err := s.Versions(ctx, ns, name)
	plugintest.WantCode(t, err, "Versions after refused deploys", sdk.CodeNotFound)
}

func testMissingImport(t *testing.T, s serverless.Serverless) {
	ctx := t.Context()
	ns, name := plugintest.Unique("ns"), plugintest.Unique("fn")
	_, err := s.Deploy(ctx, def(ns, name), Module(t, "missing_import"))
	if e := plugintest.WantCode(t, err, "Deploy of a module with a missing import", sdk.CodeInvalid); e != nil &&
		!strings.Contains(e.Message, MissingImport) {
		t.Errorf("Deploy of a module with a missing import: message %q does not name %s", e.Message, MissingImport)
	}
	_, err = s.Get(ctx, ns, name, 0)
	plugintest.WantCode(t, err, "Get after a refused deploy", sdk.CodeNotFound)
}

func testBadModules(t *testing.T, s serverless.Serverless) {
	ctx := t.Context()
	ns, name := plugintest.Unique("ns"), plugintest.Unique("fn")
	for what, module := range map[string][]byte{
		"no bytes":           nil,
		"garbage":            []byte("this is not a wasm module at all"),
		"a truncated module": Module(t, "echo")[:20],
		"no _start":          Module(t, "not_command"),
	} {
		_, err := s.Deploy(ctx, def(ns, name), module)
		plugintest.WantCode(t, err, "Deploy of "+what, sdk.CodeInvalid)
	}
	_, err := s.Versions(ctx, ns, name)
	plugintest.WantCode(t, err, "Versions after refused deploys", sdk.CodeNotFound)
}

func testModuleTooLarge(t *testing.T, s serverless.Serverless) {
	ns, name := plugintest.Unique("ns"), plugintest.Unique("fn")
	module := make([]byte, serverless.MaxModuleBytes+1)
	copy(module, Module(t, "echo"))
	_, err := s.Deploy(t.Context(), def(ns, name), module)
	plugintest.WantCode(t, err, "Deploy of a module over MaxModuleBytes", sdk.CodeTooLarge)
}

func testHealth(t *testing.T, s serverless.Serverless) {
	h, err := s.Health(t.Context())
	if err != nil || !h.OK {
		t.Errorf("Health = %+v, %v; want OK", h, err)
	}
}
