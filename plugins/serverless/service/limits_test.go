package service_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/database"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/serverless"
	"github.com/orama-network/orama/sdk/serverless/serverlesstest"
)

// busy starts an invocation of a busy loop (ns/name, 10 s timeout) and
// returns a channel closed when it has run and ended.
func busy(t *testing.T, s serverless.Serverless, ns, name string) chan struct{} {
	t.Helper()
	d := def(ns, name)
	d.TimeoutSeconds = 10
	if _, err := s.Deploy(t.Context(), d, serverlesstest.Module(t, "loop")); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for { // until it ran rather than being refused by a poll holding the slot
			_, err := s.Invoke(t.Context(), serverless.Invocation{Namespace: ns, Name: name, Caller: ns})
			if plugintest.Code(err) != sdk.CodeRateLimited {
				return
			}
		}
	}()
	return done
}

// wantRateLimited polls inv until it is refused rate_limited; the busy
// invocation must still run by then.
func wantRateLimited(t *testing.T, s serverless.Serverless, inv serverless.Invocation, running chan struct{}) {
	t.Helper()
	eventually(t, "rate_limited", func() bool {
		select {
		case <-running:
			t.Fatal("the busy invocation ended before the cap was seen")
		default:
		}
		// A poll that wins the slot itself runs the loop: a short
		// deadline ends it, and the next poll tries again.
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		defer cancel()
		_, err := s.Invoke(ctx, inv)
		return plugintest.Code(err) == sdk.CodeRateLimited
	})
}

func TestConcurrencyCapPerFunction(t *testing.T) {
	b := newBackends(t)
	s := node(t, b, t.TempDir(), map[string]any{"max_concurrency": 1})
	if _, err := s.Deploy(t.Context(), def("ns", "echo"), serverlesstest.Module(t, "echo")); err != nil {
		t.Fatal(err)
	}
	running := busy(t, s, "ns", "spin")
	wantRateLimited(t, s, serverless.Invocation{Namespace: "ns", Name: "spin", Caller: "ns"}, running)
	invokeOK(t, s, "ns", "echo", 0, "another function runs") // the cap is per function
}

func TestConcurrencyCapPerNamespace(t *testing.T) {
	b := newBackends(t)
	s := node(t, b, t.TempDir(), map[string]any{"max_namespace_concurrency": 1})
	for _, ns := range []string{"ns", "other"} {
		if _, err := s.Deploy(t.Context(), def(ns, "echo"), serverlesstest.Module(t, "echo")); err != nil {
			t.Fatal(err)
		}
	}
	running := busy(t, s, "ns", "spin")
	wantRateLimited(t, s, serverless.Invocation{Namespace: "ns", Name: "echo", Caller: "ns"}, running)
	invokeOK(t, s, "other", "echo", 0, "another namespace runs")
}

func TestRetriesOnErrorResult(t *testing.T) {
	b := newBackends(t)
	s := node(t, b, t.TempDir(), nil)
	d := def("ns", "fail")
	d.RetryCount = 2
	if _, err := s.Deploy(t.Context(), d, serverlesstest.Module(t, "exit1")); err != nil {
		t.Fatal(err)
	}
	res, err := s.Invoke(t.Context(), serverless.Invocation{Namespace: "ns", Name: "fail", Caller: "ns", RequestID: "r"})
	if err != nil || res.Status != serverless.ResultError {
		t.Fatalf("Invoke = %+v, %v", res, err)
	}
	logs, err := s.Logs(t.Context(), "ns", "fail", 0)
	if err != nil {
		t.Fatal(err)
	}
	var records, lines int
	for _, l := range logs {
		switch {
		case strings.HasPrefix(l.Message, "invocation error"):
			records++
		case l.Message == serverlesstest.Exit1Message:
			lines++
		}
	}
	if records != 3 || lines != 3 {
		t.Errorf("%d invocation records and %d stderr lines, want 3 each (1 run + 2 retries): %+v", records, lines, logs)
	}
}

func TestReservedNamespaceForbidden(t *testing.T) {
	b := newBackends(t)
	s := node(t, b, t.TempDir(), nil)
	for _, ns := range []string{database.SystemNamespace, "_x"} {
		_, err := s.Deploy(t.Context(), def(ns, "f"), serverlesstest.Module(t, "echo"))
		plugintest.WantCode(t, err, "deploy in "+ns, sdk.CodeForbidden)
		_, err = s.Invoke(t.Context(), serverless.Invocation{Namespace: ns, Name: "f", Caller: ns})
		plugintest.WantCode(t, err, "invoke in "+ns, sdk.CodeForbidden)
		plugintest.WantCode(t, s.SetSecret(t.Context(), ns, "k", []byte("v")), "secret in "+ns, sdk.CodeForbidden)
	}
}

func TestSecretsSealedAtRest(t *testing.T) {
	b := newBackends(t)
	s := node(t, b, t.TempDir(), nil)
	value := []byte("plain-secret-value-123")
	if err := s.SetSecret(t.Context(), "ns", "api_key", value); err != nil {
		t.Fatal(err)
	}
	rows, err := b.db.Query(t.Context(), database.SystemNamespace, database.Statement{SQL: `SELECT salt, sealed FROM fn_secrets`})
	if err != nil || len(rows.Rows) != 1 {
		t.Fatalf("fn_secrets: %v, %v", rows, err)
	}
	for _, cell := range rows.Rows[0] {
		if bytes.Contains(cell.([]byte), value) {
			t.Fatal("the secret is stored in clear")
		}
	}
	// A node with another key_secret cannot open it: get_secret is 0.
	other := node(t, b, t.TempDir(), map[string]any{"key_secret": testSecret + "-other"})
	d := def("ns", "ids")
	d.EnvVars = map[string]string{"GREETING": "hi"}
	lines := invokeLines(t, other, d, "host_ids")
	if len(lines) != 6 || lines[4] != "<0>" {
		t.Errorf("get_secret on a node with another key_secret: %q", lines)
	}
}

func TestLogsPerFunctionBounded(t *testing.T) {
	b := newBackends(t)
	s := node(t, b, t.TempDir(), map[string]any{"logs_per_function": 5})
	if _, err := s.Deploy(t.Context(), def("ns", "f"), serverlesstest.Module(t, "stderr")); err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		if _, err := s.Invoke(t.Context(), serverless.Invocation{Namespace: "ns", Name: "f", Caller: "ns", RequestID: string(rune('a' + i))}); err != nil {
			t.Fatal(err)
		}
	}
	logs, err := s.Logs(t.Context(), "ns", "f", serverless.MaxLogLimit)
	if err != nil {
		t.Fatal(err)
	}
	// 4 invocations × (2 stderr lines + 1 record) = 12 entries; the last 5 kept.
	if len(logs) != 5 || logs[4].RequestID != "d" || !strings.HasPrefix(logs[4].Message, "invocation success") {
		t.Fatalf("logs = %+v", logs)
	}
	if _, err := s.Delete(t.Context(), "ns", "f", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Deploy(t.Context(), def("ns", "f"), serverlesstest.Module(t, "echo")); err != nil {
		t.Fatal(err)
	}
	if logs, err := s.Logs(t.Context(), "ns", "f", 0); err != nil || len(logs) != 0 {
		t.Errorf("logs of a deleted and redeployed function = %v, %v (want none)", logs, err)
	}
}
