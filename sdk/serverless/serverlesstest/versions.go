package serverlesstest

import (
	"maps"
	"slices"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/serverless"
)

func testDeploy(t *testing.T, s serverless.Serverless) {
	ns, name := plugintest.Unique("ns"), plugintest.Unique("fn")
	d := serverless.Definition{Namespace: ns, Name: name, IsPublic: true, MemoryLimitMB: 16, TimeoutSeconds: 7,
		RetryCount: 1, RetryDelaySeconds: 2, EnvVars: map[string]string{"GREETING": "hi", "EMPTY": ""}}
	f := mustDeploy(t, s, d, Module(t, "echo"))
	if f.Name != name || f.Namespace != ns || f.Version != 1 || !f.IsPublic || f.MemoryLimitMB != 16 ||
		f.TimeoutSeconds != 7 || f.RetryCount != 1 || f.RetryDelaySeconds != 2 || !maps.Equal(f.EnvVars, d.EnvVars) {
		t.Errorf("Deploy returned %+v, want the definition %+v as version 1", f, d)
	}
	if f.ID == "" || f.WASMCID == "" || f.Status != serverless.StatusActive || f.CreatedAt.IsZero() || f.UpdatedAt.IsZero() {
		t.Errorf("Deploy returned %+v: want an id, a wasm_cid, status active and both times", f)
	}

	// Zero fields take the defaults.
	g := mustDeploy(t, s, def(ns, plugintest.Unique("fn")), Module(t, "echo"))
	if g.MemoryLimitMB != serverless.DefaultMemoryLimitMB || g.TimeoutSeconds != serverless.DefaultTimeoutSeconds ||
		g.IsPublic || g.RetryCount != 0 || len(g.EnvVars) != 0 {
		t.Errorf("Deploy with zero fields returned %+v, want the defaults", g)
	}
	if g.ID == f.ID {
		t.Errorf("two functions share the id %q", f.ID)
	}
}

func testVersionsNeverReused(t *testing.T, s serverless.Serverless) {
	ctx := t.Context()
	ns, name := plugintest.Unique("ns"), plugintest.Unique("fn")
	ids := map[string]bool{}
	for want := 1; want <= 3; want++ {
		f := mustDeploy(t, s, def(ns, name), Module(t, "echo"))
		if f.Version != want {
			t.Errorf("deploy %d returned version %d", want, f.Version)
		}
		if ids[f.ID] {
			t.Errorf("version %d reuses the id %q", f.Version, f.ID)
		}
		ids[f.ID] = true
	}
	if _, err := s.Delete(ctx, ns, name, 3); err != nil {
		t.Fatalf("Delete @3: %v", err)
	}
	if f := mustDeploy(t, s, def(ns, name), Module(t, "echo")); f.Version != 4 {
		t.Errorf("deploy after deleting @3 returned version %d, want 4", f.Version)
	}
	if n, err := s.Delete(ctx, ns, name, 0); err != nil || n != 3 {
		t.Fatalf("Delete of all = %d, %v; want 3", n, err)
	}
	if f := mustDeploy(t, s, def(ns, name), Module(t, "echo")); f.Version != 5 {
		t.Errorf("deploy after deleting every version returned version %d, want 5", f.Version)
	}
	wantVersions(t, s, ns, name, 5)
}

func testGet(t *testing.T, s serverless.Serverless) {
	ctx := t.Context()
	ns, name := plugintest.Unique("ns"), plugintest.Unique("fn")
	v1 := mustDeploy(t, s, def(ns, name), Module(t, "echo"))
	d2 := def(ns, name)
	d2.TimeoutSeconds = 9
	v2 := mustDeploy(t, s, d2, Module(t, "stderr"))
	if v1.WASMCID == v2.WASMCID {
		t.Errorf("two different modules share the wasm_cid %q", v1.WASMCID)
	}
	for version, want := range map[int]serverless.Function{0: v2, 1: v1, 2: v2} {
		got, err := s.Get(ctx, ns, name, version)
		if err != nil {
			t.Errorf("Get @%d: %v", version, err)
			continue
		}
		if got.ID != want.ID || got.Version != want.Version || got.WASMCID != want.WASMCID ||
			got.TimeoutSeconds != want.TimeoutSeconds || !got.CreatedAt.Equal(want.CreatedAt) {
			t.Errorf("Get @%d = %+v, want %+v", version, got, want)
		}
	}
	_, err := s.Get(ctx, ns, name, 3)
	plugintest.WantCode(t, err, "Get of a version never deployed", sdk.CodeNotFound)
	_, err = s.Get(ctx, ns, plugintest.Unique("none"), 0)
	plugintest.WantCode(t, err, "Get of a function never deployed", sdk.CodeNotFound)
}

func testList(t *testing.T, s serverless.Serverless) {
	ctx := t.Context()
	ns := plugintest.Unique("ns")
	fs, err := s.List(ctx, ns)
	if err != nil || len(fs) != 0 {
		t.Errorf("List of an empty namespace = %v, %v; want none", versionsOf(fs), err)
	}
	base := plugintest.Unique("fn")
	mustDeploy(t, s, def(ns, base+"-b"), Module(t, "echo"))
	mustDeploy(t, s, def(ns, base+"-b"), Module(t, "echo"))
	mustDeploy(t, s, def(ns, base+"-c"), Module(t, "echo"))
	mustDeploy(t, s, def(ns, base+"-a"), Module(t, "echo"))
	fs, err = s.List(ctx, ns)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, serverless.Ref(f.Name, f.Version))
		if f.Namespace != ns {
			t.Errorf("List lists %s of namespace %s", f.Name, short(f.Namespace))
		}
	}
	want := []string{base + "-a@1", base + "-b@2", base + "-c@1"}
	if !slices.Equal(got, want) {
		t.Errorf("List = %v, want %v (the latest of each, by name)", got, want)
	}
}

func testVersions(t *testing.T, s serverless.Serverless) {
	ns, name := plugintest.Unique("ns"), plugintest.Unique("fn")
	for range 3 {
		mustDeploy(t, s, def(ns, name), Module(t, "echo"))
	}
	wantVersions(t, s, ns, name, 1, 2, 3)
	_, err := s.Versions(t.Context(), ns, plugintest.Unique("none"))
	plugintest.WantCode(t, err, "Versions of a function never deployed", sdk.CodeNotFound)
}

func testDeleteOne(t *testing.T, s serverless.Serverless) {
	ctx := t.Context()
	ns, name := plugintest.Unique("ns"), plugintest.Unique("fn")
	for range 3 {
		mustDeploy(t, s, def(ns, name), Module(t, "echo"))
	}
	if n, err := s.Delete(ctx, ns, name, 2); err != nil || n != 1 {
		t.Fatalf("Delete @2 = %d, %v; want 1", n, err)
	}
	wantVersions(t, s, ns, name, 1, 3)
	_, err := s.Get(ctx, ns, name, 2)
	plugintest.WantCode(t, err, "Get of a deleted version", sdk.CodeNotFound)
	_, err = s.Invoke(ctx, own(ns, name, 2, nil))
	plugintest.WantCode(t, err, "Invoke of a deleted version", sdk.CodeNotFound)
	_, err = s.Delete(ctx, ns, name, 2)
	plugintest.WantCode(t, err, "Delete of a deleted version", sdk.CodeNotFound)
	wantOutput(t, mustInvoke(t, s, own(ns, name, 1, []byte("one"))), "Invoke @1 after deleting @2", []byte("one"))

	// Deleting the latest makes the one before it the latest.
	if n, err := s.Delete(ctx, ns, name, 3); err != nil || n != 1 {
		t.Fatalf("Delete @3 = %d, %v; want 1", n, err)
	}
	if f, err := s.Get(ctx, ns, name, 0); err != nil || f.Version != 1 {
		t.Errorf("Get latest after deleting @3 = version %d, %v; want 1", f.Version, err)
	}
	if r := mustInvoke(t, s, own(ns, name, 0, []byte("x"))); r.Version != 1 {
		t.Errorf("Invoke latest ran version %d, want 1", r.Version)
	}
}

func testDeleteAll(t *testing.T, s serverless.Serverless) {
	ctx := t.Context()
	ns, name, other := plugintest.Unique("ns"), plugintest.Unique("fn"), plugintest.Unique("fn")
	for range 2 {
		mustDeploy(t, s, def(ns, name), Module(t, "echo"))
	}
	mustDeploy(t, s, def(ns, other), Module(t, "echo"))
	if n, err := s.Delete(ctx, ns, name, 0); err != nil || n != 2 {
		t.Fatalf("Delete of all = %d, %v; want 2", n, err)
	}
	_, err := s.Get(ctx, ns, name, 0)
	plugintest.WantCode(t, err, "Get after deleting all", sdk.CodeNotFound)
	_, err = s.Get(ctx, ns, name, 1)
	plugintest.WantCode(t, err, "Get @1 after deleting all", sdk.CodeNotFound)
	_, err = s.Versions(ctx, ns, name)
	plugintest.WantCode(t, err, "Versions after deleting all", sdk.CodeNotFound)
	_, err = s.Invoke(ctx, own(ns, name, 0, nil))
	plugintest.WantCode(t, err, "Invoke after deleting all", sdk.CodeNotFound)
	_, err = s.Delete(ctx, ns, name, 0)
	plugintest.WantCode(t, err, "Delete after deleting all", sdk.CodeNotFound)
	_, err = s.Logs(ctx, ns, name, 0)
	plugintest.WantCode(t, err, "Logs after deleting all", sdk.CodeNotFound)
	fs, err := s.List(ctx, ns)
	if err != nil || len(fs) != 1 || fs[0].Name != other {
		t.Errorf("List after deleting all of %s = %+v, %v; want only %s", name, fs, err, other)
	}
}
