package engine

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/serverless"
)

// hostRun runs the fixture name with a fake host and returns its stdout
// lines and its logs.
func hostRun(t *testing.T, name string, h Host) ([]string, []Log) {
	t.Helper()
	e := compiled(t, Config{}, name)
	o := run(t, e, name, Call{Host: h})
	wantStatus(t, o, serverless.ResultSuccess, "")
	return strings.Split(strings.TrimSuffix(string(o.Stdout), "\n"), "\n"), o.Logs
}

func wantLines(t *testing.T, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("stdout lines\n%q\nwant\n%q", got, want)
	}
}

// wantLogs fails unless logs are, in order, the level/substring pairs.
func wantLogs(t *testing.T, logs []Log, want ...string) {
	t.Helper()
	if len(logs) != len(want)/2 {
		t.Fatalf("logs %+v, want %q", logs, want)
	}
	for i, l := range logs {
		if l.Level != want[2*i] || !strings.Contains(l.Message, want[2*i+1]) {
			t.Fatalf("log %d %+v, want %s containing %q", i, l, want[2*i], want[2*i+1])
		}
	}
}

func TestHostIDs(t *testing.T) {
	h := newFakeHost()
	lines, logs := hostRun(t, "host_ids", h)
	wantLines(t, lines, "0xAbC123", "req-1", "hello there", "<0>", "s3cr3t", "<0>")
	// an unset env var is not an error; a missing secret is (logged, never its value)
	wantLogs(t, logs, serverless.LevelError, `get_secret: no secret "missing"`)
}

func TestHostDB(t *testing.T) {
	h := newFakeHost()
	lines, logs := hostRun(t, "host_db", h)
	wantLines(t, lines, `[{"n":2},{"n":3}]`, "3", "<0>", "0")
	if want := []string{"SELECT n FROM t WHERE n > ?|[1]", "UPDATE t SET n = n + 1|[]", "BAD SQL|", "BAD SQL|"}; !slices.Equal(h.queries, want) {
		t.Fatalf("queries %q, want %q", h.queries, want)
	}
	wantLogs(t, logs, serverless.LevelError, "db_query: "+errBadSQL.Error(), serverless.LevelError, "db_execute: "+errBadSQL.Error())
}

func TestHostCache(t *testing.T) {
	h := newFakeHost()
	lines, logs := hostRun(t, "host_cache", h)
	// cache_incr returns the new value (a missing key counts from 0)
	wantLines(t, lines, "hello", "<0>", "1", "42", "-8")
	if h.ttls["greeting"] != 60*time.Second || string(h.cache["greeting"]) != "hello" {
		t.Fatalf("cache %q ttls %v", h.cache, h.ttls)
	}
	wantLogs(t, logs)
}

func TestHostHTTP(t *testing.T) {
	h := newFakeHost()
	lines, _ := hostRun(t, "host_http", h)
	wantLines(t, lines, `{"body":"pong","headers":{},"status":200}`)
	if want := []string{`POST https://example.com/api {"X-Test":"1"} ping`}; !slices.Equal(h.fetches, want) {
		t.Fatalf("fetches %q", h.fetches)
	}
}

func TestHostPubSubAndLogs(t *testing.T) {
	h := newFakeHost()
	lines, logs := hostRun(t, "host_pubsub_log", h)
	wantLines(t, lines, "1", "0")
	if want := []string{"events|hello"}; !slices.Equal(h.published, want) {
		t.Fatalf("published %q", h.published)
	}
	wantLogs(t, logs,
		serverless.LevelError, "pubsub_publish: pubsub is down",
		serverless.LevelInfo, "info line",
		serverless.LevelError, "error line")
}

// TestHostAlias: every host function is importable from "host", and a
// module with malloc (no orama_alloc) gets its buffers through it.
func TestHostAlias(t *testing.T) {
	h := newFakeHost()
	lines, logs := hostRun(t, "host_alias", h)
	wantLines(t, lines, "req-1", "hello there", "7", "1")
	wantLogs(t, logs)
}

func TestHostBadPointers(t *testing.T) {
	lines, logs := hostRun(t, "host_badptr", newFakeHost())
	wantLines(t, lines, "<0>", "<0>", "0", "done")
	wantLogs(t, logs,
		serverless.LevelError, "get_env: key (ptr 4294963200, len 100) is out of bounds",
		serverless.LevelError, "cache_get: key (ptr 131000, len 1000) is out of bounds",
		serverless.LevelError, "pubsub_publish: topic (ptr 10, len 2147483647) is out of bounds",
		serverless.LevelError, "log_info: message (ptr 200000, len 5) is out of bounds")
}

func TestHostNoAllocator(t *testing.T) {
	lines, logs := hostRun(t, "host_noalloc", newFakeHost())
	wantLines(t, lines, "<0>")
	wantLogs(t, logs, serverless.LevelError, "get_request_id: the module exports neither orama_alloc nor malloc")
}

func TestHostNil(t *testing.T) {
	e := compiled(t, Config{}, "host_pubsub_log")
	o := run(t, e, "host_pubsub_log", Call{})
	wantStatus(t, o, serverless.ResultSuccess, "")
	if string(o.Stdout) != "0\n0\n" {
		t.Fatalf("stdout %q", o.Stdout)
	}
	wantLogs(t, o.Logs,
		serverless.LevelError, "pubsub_publish: host functions are not available",
		serverless.LevelError, "pubsub_publish: host functions are not available",
		serverless.LevelError, "log_info: host functions are not available",
		serverless.LevelError, "log_error: host functions are not available")
}

// TestHostFunctionsDocumented: the host's table and the ABI agree, under
// both module names.
func TestHostFunctionsDocumented(t *testing.T) {
	want := map[string]string{
		"get_caller_wallet": "() -> (i64)",
		"get_request_id":    "() -> (i64)",
		"get_env":           "(i32, i32) -> (i64)",
		"get_secret":        "(i32, i32) -> (i64)",
		"db_query":          "(i32, i32, i32, i32) -> (i64)",
		"db_execute":        "(i32, i32, i32, i32) -> (i32)",
		"cache_get":         "(i32, i32) -> (i64)",
		"cache_set":         "(i32, i32, i32, i32, i64) -> ()",
		"cache_incr":        "(i32, i32) -> (i64)",
		"cache_incr_by":     "(i32, i32, i64) -> (i64)",
		"http_fetch":        "(i32, i32, i32, i32, i32, i32, i32, i32) -> (i64)",
		"pubsub_publish":    "(i32, i32, i32, i32) -> (i32)",
		"log_info":          "(i32, i32) -> ()",
		"log_error":         "(i32, i32) -> ()",
	}
	e := newEngine(t, Config{})
	for _, m := range []string{"env", "host"} {
		if len(e.provided[m]) != len(want) {
			t.Errorf("%s exports %d functions, want %d", m, len(e.provided[m]), len(want))
		}
		for name, s := range want {
			def, ok := e.provided[m][name]
			if !ok {
				t.Errorf("%s.%s is not provided", m, name)
			} else if sig(def) != s {
				t.Errorf("%s.%s: %s, want %s", m, name, sig(def), s)
			}
		}
	}
}
