package service_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/serverless"
	"github.com/orama-network/orama/sdk/serverless/serverlesstest"
)

func def(ns, name string) serverless.Definition {
	return serverless.Definition{Namespace: ns, Name: name}
}

func TestDeployInvokeEcho(t *testing.T) {
	b := newBackends(t)
	s := node(t, b, t.TempDir(), nil)
	ctx := t.Context()
	f, err := s.Deploy(ctx, def("ns", "echo"), serverlesstest.Module(t, "echo"))
	if err != nil {
		t.Fatalf("Deploy: %v", err)
	}
	if f.Version != 1 || f.WASMCID == "" || f.MemoryLimitMB != serverless.DefaultMemoryLimitMB || f.Status != serverless.StatusActive {
		t.Fatalf("Deploy = %+v", f)
	}
	res, err := s.Invoke(ctx, serverless.Invocation{Namespace: "ns", Name: "echo", Input: []byte(`{"a":1}`), Caller: "ns", RequestID: "r1"})
	if err != nil || res.Status != serverless.ResultSuccess || string(res.Output) != `{"a":1}` || res.Version != 1 {
		t.Fatalf("Invoke = %+v, %v", res, err)
	}
	// The module's code is pinned in the system namespace, not the tenant's.
	if _, err := b.store.Status(ctx, "_system", f.WASMCID); err != nil {
		t.Fatalf("code pin in _system: %v", err)
	}
	_, err = b.store.Status(ctx, "ns", f.WASMCID)
	plugintest.WantCode(t, err, "the tenant's pin of the code", sdk.CodeNotFound)
}

func TestDeployMissingImportInvalid(t *testing.T) {
	b := newBackends(t)
	s := node(t, b, t.TempDir(), nil)
	_, err := s.Deploy(t.Context(), def("ns", "bad"), serverlesstest.Module(t, "missing_import"))
	e := plugintest.WantCode(t, err, "deploy of a module with a missing import", sdk.CodeInvalid)
	if !strings.Contains(e.Message, "no_such_function") {
		t.Errorf("message %q does not name the missing import %s", e.Message, serverlesstest.MissingImport)
	}
	_, err = s.Get(t.Context(), "ns", "bad", 0)
	plugintest.WantCode(t, err, "Get after a failed deploy", sdk.CodeNotFound)
	if pins, _ := b.store.Pins(t.Context(), "_system"); len(pins) != 0 {
		t.Errorf("a failed deploy left pins: %v", pins)
	}
}

func TestDeployTooLarge(t *testing.T) {
	b := newBackends(t)
	s := node(t, b, t.TempDir(), map[string]any{"max_module_bytes": 1024})
	module := append(bytes.Clone(serverlesstest.Module(t, "echo")), make([]byte, 2048)...)
	_, err := s.Deploy(t.Context(), def("ns", "big"), module)
	plugintest.WantCode(t, err, "deploy above max_module_bytes", sdk.CodeTooLarge)
}
