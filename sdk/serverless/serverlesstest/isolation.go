package serverlesstest

import (
	"slices"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/serverless"
)

func testNamespaceIsolation(t *testing.T, s serverless.Serverless) {
	ctx := t.Context()
	a, b, name := plugintest.Unique("ns-a"), plugintest.Unique("ns-b"), plugintest.Unique("fn")
	pub := def(a, name)
	pub.IsPublic = true
	mustDeploy(t, s, pub, Module(t, "echo"))
	mustDeploy(t, s, def(b, plugintest.Unique("fn")), Module(t, "echo"))

	_, err := s.Get(ctx, b, name, 0)
	plugintest.WantCode(t, err, "Get of another namespace's function", sdk.CodeNotFound)
	_, err = s.Get(ctx, b, name, 1)
	plugintest.WantCode(t, err, "Get @1 of another namespace's function", sdk.CodeNotFound)
	_, err = s.Versions(ctx, b, name)
	plugintest.WantCode(t, err, "Versions of another namespace's function", sdk.CodeNotFound)
	_, err = s.Logs(ctx, b, name, 0)
	plugintest.WantCode(t, err, "Logs of another namespace's function", sdk.CodeNotFound)
	_, err = s.Delete(ctx, b, name, 0)
	plugintest.WantCode(t, err, "Delete of another namespace's function", sdk.CodeNotFound)
	_, err = s.Delete(ctx, b, name, 1)
	plugintest.WantCode(t, err, "Delete @1 of another namespace's function", sdk.CodeNotFound)
	// Even public, a's function is not b's: invoked as b's it does not exist.
	_, err = s.Invoke(ctx, own(b, name, 0, nil))
	plugintest.WantCode(t, err, "Invoke of another namespace's function as one's own", sdk.CodeNotFound)
	fs, err := s.List(ctx, b)
	if err != nil || slices.ContainsFunc(fs, func(f serverless.Function) bool { return f.Name == name }) {
		t.Errorf("List of b = %+v, %v; want no function of a", fs, err)
	}
	// a's function is untouched.
	wantVersions(t, s, a, name, 1)
	wantOutput(t, mustInvoke(t, s, own(a, name, 0, []byte("a"))), "a's function after b's attempts", []byte("a"))

	// Names that run together when joined naively stay apart.
	x := plugintest.Unique("x")
	mustDeploy(t, s, def(x+"-y", "z"), Module(t, "echo"))
	_, err = s.Get(ctx, x, "y-z", 0)
	plugintest.WantCode(t, err, "Get of (x, y-z) when (x-y, z) exists", sdk.CodeNotFound)
}

func testSameNameTwoNamespaces(t *testing.T, s serverless.Serverless) {
	ctx := t.Context()
	a, b, name := plugintest.Unique("ns-a"), plugintest.Unique("ns-b"), plugintest.Unique("fn")
	mustDeploy(t, s, def(a, name), Module(t, "echo"))
	mustDeploy(t, s, def(a, name), Module(t, "echo"))
	if f := mustDeploy(t, s, def(b, name), Module(t, "stderr")); f.Version != 1 {
		t.Errorf("b's first deploy of a name a also uses returned version %d, want 1", f.Version)
	}
	wantOutput(t, mustInvoke(t, s, own(a, name, 0, []byte("a"))), "a's function", []byte("a"))
	wantOutput(t, mustInvoke(t, s, own(b, name, 0, []byte("b"))), "b's function", []byte(StderrOutput))
	if n, err := s.Delete(ctx, b, name, 0); err != nil || n != 1 {
		t.Fatalf("Delete of b's function = %d, %v; want 1", n, err)
	}
	wantVersions(t, s, a, name, 1, 2)
	wantOutput(t, mustInvoke(t, s, own(a, name, 0, []byte("a"))), "a's function after deleting b's", []byte("a"))
}
