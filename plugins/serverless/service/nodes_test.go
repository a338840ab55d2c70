package service_test

import (
	"context"
	"io"
	"io/fs"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/serverless"
	"github.com/orama-network/orama/sdk/serverless/serverlesstest"
	"github.com/orama-network/orama/sdk/storage"
)

// countingStorage counts the module reads of a node.
type countingStorage struct {
	storage.Storage
	gets atomic.Int64
}

func (c *countingStorage) Get(ctx context.Context, ns, cid string, off, n int64) (io.ReadCloser, storage.Stat, error) {
	c.gets.Add(1)
	return c.Storage.Get(ctx, ns, cid, off, n)
}

// counted returns b with its storage wrapped in a counter.
func counted(b *backends) (*backends, *countingStorage) {
	c := &countingStorage{Storage: b.store}
	nb := *b
	nb.store = c
	return &nb, c
}

// cacheFiles returns the files of dir with their modification times.
func cacheFiles(t *testing.T, dir string) map[string]time.Time {
	t.Helper()
	out := map[string]time.Time{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err == nil {
			out[p] = fi.ModTime()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func invokeOK(t *testing.T, s serverless.Serverless, ns, name string, version int, input string) serverless.Result {
	t.Helper()
	res, err := s.Invoke(t.Context(), serverless.Invocation{Namespace: ns, Name: name, Version: version, Caller: ns, Input: []byte(input)})
	if err != nil || res.Status != serverless.ResultSuccess {
		t.Fatalf("Invoke %s@%d = %+v, %v", name, version, res, err)
	}
	return res
}

// TestRestartFromDiskCache: a new Service over the same database,
// storage and data directory invokes every function, reading each module
// from storage once and compiling it from wazero's disk cache (no cache
// file is written again).
func TestRestartFromDiskCache(t *testing.T) {
	b := newBackends(t)
	dir := t.TempDir()
	first := node(t, b, dir, nil)
	for _, name := range []string{"echo", "stderr", "trap"} {
		if _, err := first.Deploy(t.Context(), def("ns", name), serverlesstest.Module(t, name)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := first.Deploy(t.Context(), def("ns", "echo"), serverlesstest.Module(t, "stderr")); err != nil {
		t.Fatal(err)
	}
	if err := first.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	cacheDir := filepath.Join(dir, "serverless", "wazero-cache")
	before := cacheFiles(t, cacheDir)
	if len(before) == 0 {
		t.Fatalf("no compilation cache under %s", cacheDir)
	}

	cb, c := counted(b)
	second := node(t, cb, dir, nil)
	invokeOK(t, second, "ns", "echo", 1, "x")
	invokeOK(t, second, "ns", "echo", 2, "x")
	invokeOK(t, second, "ns", "stderr", 0, "")
	if res, err := second.Invoke(t.Context(), serverless.Invocation{Namespace: "ns", Name: "trap", Caller: "ns"}); err != nil || res.Status != serverless.ResultError {
		t.Fatalf("trap after restart = %+v, %v", res, err)
	}
	if n := c.gets.Load(); n != 3 {
		t.Errorf("storage reads after restart = %d, want 3 (one per distinct module)", n)
	}
	after := cacheFiles(t, cacheDir)
	for p, m := range before {
		if !after[p].Equal(m) {
			t.Errorf("cache file %s rewritten after restart: the module was compiled again", p)
		}
	}
	if len(after) != len(before) {
		t.Errorf("cache files %d → %d after restart", len(before), len(after))
	}
	for range 5 {
		invokeOK(t, second, "ns", "echo", 0, "y")
	}
	if n := c.gets.Load(); n != 3 {
		t.Errorf("storage reads after warm invokes = %d, want still 3", n)
	}
}

// TestTwoNodes: deploy on A, invoke on B (sharing database and storage);
// B's warm path does not read storage; B sees A's new version and A's
// delete within metadata_ttl.
func TestTwoNodes(t *testing.T) {
	b := newBackends(t)
	attrs := map[string]any{"metadata_ttl": "200ms"}
	a := node(t, b, t.TempDir(), attrs)
	cb, c := counted(b)
	nodeB := node(t, cb, t.TempDir(), attrs)

	if _, err := a.Deploy(t.Context(), def("ns", "f"), serverlesstest.Module(t, "echo")); err != nil {
		t.Fatal(err)
	}
	if res := invokeOK(t, nodeB, "ns", "f", 0, "hi"); string(res.Output) != "hi" || res.Version != 1 {
		t.Fatalf("B invoked %+v", res)
	}
	for range 5 {
		invokeOK(t, nodeB, "ns", "f", 0, "hi")
	}
	if n := c.gets.Load(); n != 1 {
		t.Errorf("B read the module %d times, want once", n)
	}

	if _, err := a.Deploy(t.Context(), def("ns", "f"), serverlesstest.Module(t, "stderr")); err != nil {
		t.Fatal(err)
	}
	eventually(t, "B runs version 2", func() bool { return invokeOK(t, nodeB, "ns", "f", 0, "").Version == 2 })
	if res := invokeOK(t, nodeB, "ns", "f", 1, "v1"); string(res.Output) != "v1" {
		t.Errorf("f@1 on B = %q", res.Output)
	}
	if _, err := a.Delete(t.Context(), "ns", "f", 0); err != nil {
		t.Fatal(err)
	}
	eventually(t, "B sees the delete", func() bool {
		_, err := nodeB.Invoke(t.Context(), serverless.Invocation{Namespace: "ns", Name: "f", Caller: "ns"})
		return plugintest.Code(err) == sdk.CodeNotFound
	})
}

// eventually polls cond until it holds, failing after a generous bound.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 15s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
