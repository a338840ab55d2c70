package service_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orama-network/orama/plugins/serverless/hostfuncs"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/serverless"
	"github.com/orama-network/orama/sdk/serverless/serverlesstest"
)

// invokeLines deploys fixture as name in ns, invokes it as its own
// namespace and returns its stdout lines.
func invokeLines(t *testing.T, s serverless.Serverless, d serverless.Definition, fixture string) []string {
	t.Helper()
	if _, err := s.Deploy(t.Context(), d, serverlesstest.Module(t, fixture)); err != nil {
		t.Fatalf("Deploy %s: %v", fixture, err)
	}
	res, err := s.Invoke(t.Context(), serverless.Invocation{Namespace: d.Namespace, Name: d.Name, Caller: d.Namespace,
		RequestID: "req-" + fixture, Wallet: "0xabc"})
	if err != nil || res.Status != serverless.ResultSuccess {
		t.Fatalf("Invoke %s = %+v, %v", fixture, res, err)
	}
	return strings.Split(strings.TrimSuffix(string(res.Output), "\n"), "\n")
}

func wantLines(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("%s: lines %q, want %q", what, got, want)
	}
}

func TestHostCacheInNamespaceDefaultDMap(t *testing.T) {
	b := newBackends(t)
	s := node(t, b, t.TempDir(), nil)
	_ = b.cache.Put(t.Context(), "other", hostfuncs.DMap, "counter", []byte("1000"), 0)
	lines := invokeLines(t, s, def("ns", "cache"), "host_cache")
	wantLines(t, "host_cache", lines, "hello", "<0>", "1", "42", "-8")
	e, err := b.cache.Get(t.Context(), "ns", "default", "greeting")
	if err != nil || string(e.Value) != "hello" || e.ExpiresAt.IsZero() {
		t.Errorf("ns/default/greeting = %+v, %v (want hello with a TTL)", e, err)
	}
	if e, _ := b.cache.Get(t.Context(), "other", "default", "counter"); string(e.Value) != "1000" {
		t.Errorf("another namespace's counter changed: %q", e.Value)
	}
}

func TestHostCacheIncrNoLostUpdates(t *testing.T) {
	c := newFakeCache()
	be := &hostfuncs.Backends{Cache: c}
	h := hostfuncs.New(be, hostfuncs.Invocation{Namespace: "ns", Name: "f"})
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				if _, err := h.CacheIncr(t.Context(), "n", 1); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if e, _ := c.Get(t.Context(), "ns", "default", "n"); string(e.Value) != "200" {
		t.Fatalf("after 200 concurrent increments: %q", e.Value)
	}
	_ = c.Put(t.Context(), "ns", "default", "t", []byte("5"), time.Hour)
	if v, err := h.CacheIncr(t.Context(), "t", 2); err != nil || v != 7 {
		t.Fatalf("incr of a key with a TTL = %d, %v", v, err)
	}
	if e, _ := c.Get(t.Context(), "ns", "default", "t"); e.ExpiresAt.IsZero() {
		t.Error("incr dropped the key's expiry")
	}
	_ = c.Put(t.Context(), "ns", "default", "s", []byte("text"), 0)
	if _, err := h.CacheIncr(t.Context(), "s", 1); err == nil {
		t.Error("incr of a non-integer value succeeded")
	}
}

func TestHostDatabaseInNamespace(t *testing.T) {
	b := newBackends(t)
	s := node(t, b, t.TempDir(), nil)
	for _, ns := range []string{"ns", "other"} {
		for _, sql := range []string{`CREATE TABLE t (n INTEGER)`, `INSERT INTO t (n) VALUES (1), (2), (3)`} {
			if _, err := b.db.Exec(t.Context(), ns, database.Statement{SQL: sql}); err != nil {
				t.Fatal(err)
			}
		}
	}
	lines := invokeLines(t, s, def("ns", "db"), "host_db")
	wantLines(t, "host_db", lines, `[{"n":2},{"n":3}]`, "3", "<0>", "0")
	rows, err := b.db.Query(t.Context(), "other", database.Statement{SQL: `SELECT SUM(n) FROM t`})
	if err != nil || rows.Rows[0][0] != int64(6) {
		t.Errorf("another namespace's table changed: %v, %v", rows, err)
	}
	rows, _ = b.db.Query(t.Context(), "ns", database.Statement{SQL: `SELECT SUM(n) FROM t`})
	if rows.Rows[0][0] != int64(9) {
		t.Errorf("the function's UPDATE did not apply in its namespace: %v", rows.Rows)
	}
}

func TestHostIdentityEnvSecret(t *testing.T) {
	b := newBackends(t)
	s := node(t, b, t.TempDir(), nil)
	if err := s.SetSecret(t.Context(), "ns", "api_key", []byte("s3cret")); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSecret(t.Context(), "other", "missing", []byte("not yours")); err != nil {
		t.Fatal(err)
	}
	d := def("ns", "ids")
	d.EnvVars = map[string]string{"GREETING": "hi"}
	lines := invokeLines(t, s, d, "host_ids")
	wantLines(t, "host_ids", lines, "0xabc", "req-host_ids", "hi", "<0>", "s3cret", "<0>")
}

func TestHostPubSubAndLogs(t *testing.T) {
	b := newBackends(t)
	s := node(t, b, t.TempDir(), nil)
	sub, err := b.pubsub.Subscribe(t.Context(), "ns", "events")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	other, _ := b.pubsub.Subscribe(t.Context(), "other", "events")
	defer other.Close()
	lines := invokeLines(t, s, def("ns", "ps"), "host_pubsub_log")
	wantLines(t, "host_pubsub_log", lines, "1", "1")
	got := make(chan string, 1)
	go func() {
		if m, err := sub.Next(); err == nil {
			got <- string(m.Data)
		}
	}()
	select {
	case d := <-got:
		if d != "hello" {
			t.Errorf("published %q, want hello", d)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no message on ns/events")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	go func() { <-ctx.Done(); other.Close() }()
	if m, err := other.Next(); err == nil {
		t.Errorf("another namespace's subscriber got %q", m.Data)
	}

	logs, err := s.Logs(t.Context(), "ns", "ps", 0)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, l := range logs {
		msgs = append(msgs, l.Level+":"+l.Message)
		if l.RequestID != "req-host_pubsub_log" || l.Version != 1 {
			t.Errorf("log entry %+v: want the request id and version 1", l)
		}
	}
	if len(msgs) != 3 || msgs[0] != "info:info line" || msgs[1] != "error:error line" || !strings.HasPrefix(msgs[2], "info:invocation success") {
		t.Errorf("logs %q", msgs)
	}
}

// envSource prints the WASI environment variable GREETING: a function's
// env_vars reach a Go program's os.Getenv, not only get_env.
const envSource = `package main

import (
	"fmt"
	"os"
)

func main() { fmt.Print(os.Getenv("GREETING")) }
`

func TestEnvVarsInWASIEnviron(t *testing.T) {
	b := newBackends(t)
	s := node(t, b, t.TempDir(), nil)
	d := def("ns", "env")
	d.EnvVars = map[string]string{"GREETING": "hi from env_vars"}
	if _, err := s.Deploy(t.Context(), d, serverlesstest.GoModule(t, envSource)); err != nil {
		t.Fatal(err)
	}
	res, err := s.Invoke(t.Context(), serverless.Invocation{Namespace: "ns", Name: "env", Caller: "ns"})
	if err != nil || res.Status != serverless.ResultSuccess || string(res.Output) != "hi from env_vars" {
		t.Fatalf("Invoke = %q %+v, %v", res.Output, res, err)
	}
}
