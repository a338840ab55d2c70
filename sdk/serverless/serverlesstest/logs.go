package serverlesstest

import (
	"slices"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/serverless"
)

// linesOf returns the messages of the entries tagged with requestID.
func linesOf(logs []serverless.LogEntry, requestID string) []string {
	var out []string
	for _, l := range logs {
		if l.RequestID == requestID {
			out = append(out, l.Message)
		}
	}
	return out
}

// mustLogs returns a function's logs, failing the test when it cannot.
func mustLogs(t *testing.T, s serverless.Serverless, namespace, name string, limit int) []serverless.LogEntry {
	t.Helper()
	logs, err := s.Logs(t.Context(), namespace, name, limit)
	if err != nil {
		t.Fatalf("Logs(%s, %d): %v", name, limit, err)
	}
	return logs
}

func testStderrLogs(t *testing.T, s serverless.Serverless) {
	ns, name := plugintest.Unique("ns"), plugintest.Unique("fn")
	mustDeploy(t, s, def(ns, name), Module(t, "stderr"))
	inv := own(ns, name, 0, nil)
	wantOutput(t, mustInvoke(t, s, inv), "stderr fixture", []byte(StderrOutput))

	logs := mustLogs(t, s, ns, name, 0)
	var got []serverless.LogEntry
	for _, l := range logs {
		if l.RequestID == inv.RequestID && slices.Contains(StderrLines, l.Message) {
			got = append(got, l)
		}
	}
	if len(got) != len(StderrLines) {
		t.Fatalf("Logs hold %d of the stderr lines tagged %s, want %d: %+v", len(got), inv.RequestID, len(StderrLines), logs)
	}
	for i, l := range got {
		if l.Message != StderrLines[i] || l.Version != 1 || l.Timestamp.IsZero() ||
			(l.Level != serverless.LevelInfo && l.Level != serverless.LevelError) {
			t.Errorf("log %d = %+v, want %q of version 1 with a level and a time", i, l, StderrLines[i])
		}
	}
	for i := 1; i < len(logs); i++ {
		if logs[i].Timestamp.Before(logs[i-1].Timestamp) {
			t.Errorf("Logs not oldest first: %v after %v", logs[i].Timestamp, logs[i-1].Timestamp)
		}
	}

	// A failing function's stderr is kept too.
	fail := plugintest.Unique("fn")
	mustDeploy(t, s, def(ns, fail), Module(t, "exit1"))
	inv = own(ns, fail, 0, nil)
	if r := mustInvoke(t, s, inv); r.Status != serverless.ResultError {
		t.Errorf("exit1: status %q, want error", r.Status)
	}
	if lines := linesOf(mustLogs(t, s, ns, fail, 0), inv.RequestID); !slices.Contains(lines, Exit1Message) {
		t.Errorf("Logs of exit1 = %q, want %q among them", lines, Exit1Message)
	}
	// Logs are per function.
	if lines := linesOf(mustLogs(t, s, ns, name, 0), inv.RequestID); len(lines) != 0 {
		t.Errorf("Logs of %s hold %q of another function's invocation", name, lines)
	}
}

func testLogsLimit(t *testing.T, s serverless.Serverless) {
	ns, name := plugintest.Unique("ns"), plugintest.Unique("fn")
	mustDeploy(t, s, def(ns, name), Module(t, "stderr"))
	var last serverless.Invocation
	for range 3 {
		last = own(ns, name, 0, nil)
		mustInvoke(t, s, last)
	}
	all := mustLogs(t, s, ns, name, 0)
	if len(all) < 6 || len(all) > serverless.DefaultLogLimit {
		t.Fatalf("Logs after 3 invocations of 2 lines: %d entries", len(all))
	}
	for _, limit := range []int{1, 2, 5} {
		got := mustLogs(t, s, ns, name, limit)
		want := all[len(all)-limit:]
		if len(got) != limit {
			t.Errorf("Logs(limit %d) returned %d entries", limit, len(got))
			continue
		}
		for i := range got {
			if got[i].Message != want[i].Message || got[i].RequestID != want[i].RequestID {
				t.Errorf("Logs(limit %d)[%d] = %+v, want the latest entries, oldest first: %+v", limit, i, got[i], want[i])
			}
		}
	}
	if got := mustLogs(t, s, ns, name, serverless.MaxLogLimit+1); len(got) != len(all) {
		t.Errorf("Logs(limit above the maximum) returned %d entries, want %d", len(got), len(all))
	}
	if lines := linesOf(mustLogs(t, s, ns, name, 2), last.RequestID); len(lines) == 0 {
		t.Errorf("the 2 latest entries hold nothing of the last invocation %s", last.RequestID)
	}
	_, err := s.Logs(t.Context(), ns, plugintest.Unique("none"), 0)
	plugintest.WantCode(t, err, "Logs of a function never deployed", sdk.CodeNotFound)
}
