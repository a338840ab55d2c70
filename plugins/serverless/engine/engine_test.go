package engine

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/serverless"
	"github.com/orama-network/orama/sdk/serverless/serverlesstest"
)

// newEngine returns an Engine closed at the end of the test.
func newEngine(t testing.TB, cfg Config) *Engine {
	t.Helper()
	e, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := e.Close(context.Background()); err != nil {
			t.Error(err)
		}
	})
	return e
}

// compiled returns an Engine with the fixture name compiled under name.
func compiled(t testing.TB, cfg Config, names ...string) *Engine {
	t.Helper()
	e := newEngine(t, cfg)
	for _, name := range names {
		if err := e.Compile(context.Background(), name, serverlesstest.Module(t, name)); err != nil {
			t.Fatalf("Compile %s: %v", name, err)
		}
	}
	return e
}

// run runs key and fails the test on an error (not on an error outcome).
func run(t testing.TB, e *Engine, key string, c Call) Outcome {
	t.Helper()
	o, err := e.Run(context.Background(), key, c)
	if err != nil {
		t.Fatalf("Run %s: %v", key, err)
	}
	return o
}

// wantStatus fails the test unless o has status (and, for errors, an
// Error containing want).
func wantStatus(t testing.TB, o Outcome, status, want string) {
	t.Helper()
	if o.Status != status || !strings.Contains(o.Error, want) {
		t.Fatalf("outcome %s %q (stdout %q, logs %v), want %s containing %q", o.Status, o.Error, o.Stdout, o.Logs, status, want)
	}
}

// wantCode fails the test unless err is an *sdk.Error with code.
func wantCode(t testing.TB, err error, code sdk.Code) *sdk.Error {
	t.Helper()
	var e *sdk.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("error %v, want code %s", err, code)
	}
	return e
}

// watModule compiles inline WAT with wat2wasm.
func watModule(t testing.TB, src string) []byte {
	t.Helper()
	dir := t.TempDir()
	in, out := filepath.Join(dir, "m.wat"), filepath.Join(dir, "m.wasm")
	if err := os.WriteFile(in, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command("wat2wasm", in, "-o", out).CombinedOutput(); err != nil {
		t.Fatalf("wat2wasm: %v\n%s", err, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEcho(t *testing.T) {
	e := compiled(t, Config{}, "echo")
	o := run(t, e, "echo", Call{Stdin: []byte("hello, echo")})
	wantStatus(t, o, serverless.ResultSuccess, "")
	if string(o.Stdout) != "hello, echo" || len(o.Logs) != 0 || o.Duration <= 0 {
		t.Fatalf("outcome %+v", o)
	}
	// an empty input is an empty output
	if o := run(t, e, "echo", Call{}); o.Status != serverless.ResultSuccess || len(o.Stdout) != 0 {
		t.Fatalf("empty input: %+v", o)
	}
}

func TestGoGreeting(t *testing.T) {
	e := newEngine(t, Config{})
	if err := e.Compile(context.Background(), "greeting", serverlesstest.GoModule(t, serverlesstest.GreetingSource)); err != nil {
		t.Fatal(err)
	}
	o := run(t, e, "greeting", Call{Stdin: []byte(`{"name":"Ada"}`), Args: []string{"greeting"}})
	wantStatus(t, o, serverless.ResultSuccess, "")
	if got, want := string(o.Stdout), serverlesstest.GreetingOutput("Ada"); got != want {
		t.Fatalf("stdout %q, want %q", got, want)
	}
	// bad input: the program says why on stderr and exits 1
	o = run(t, e, "greeting", Call{Stdin: []byte(`not json`)})
	wantStatus(t, o, serverless.ResultError, "exit code 1")
	if len(o.Logs) == 0 || !strings.HasPrefix(o.Logs[0].Message, "bad input:") || o.Logs[0].Level != serverless.LevelInfo {
		t.Fatalf("logs %+v", o.Logs)
	}
}

// envSource prints its argv and environment variable GREETING; with SLEEP
// set it sleeps an hour first.
const envSource = `package main

import (
	"fmt"
	"os"
	"strings"
	"time"
)

func main() {
	if os.Getenv("SLEEP") != "" {
		time.Sleep(time.Hour)
	}
	fmt.Printf("%s|%s", strings.Join(os.Args, ","), os.Getenv("GREETING"))
}
`

func TestArgsAndEnviron(t *testing.T) {
	e := newEngine(t, Config{})
	if err := e.Compile(context.Background(), "env", serverlesstest.GoModule(t, envSource)); err != nil {
		t.Fatal(err)
	}
	o := run(t, e, "env", Call{Args: []string{"fn", "a"}, Environ: map[string]string{"GREETING": "hi", "OTHER": "x"}})
	wantStatus(t, o, serverless.ResultSuccess, "")
	if string(o.Stdout) != "fn,a|hi" {
		t.Fatalf("stdout %q", o.Stdout)
	}
	// a guest asleep (WASI poll_oneoff) is stopped by its timeout too
	o = run(t, e, "env", Call{Environ: map[string]string{"SLEEP": "1"}, Timeout: 200 * time.Millisecond})
	wantStatus(t, o, serverless.ResultTimeout, "timed out after 200ms")
}

func TestTrap(t *testing.T) {
	e := compiled(t, Config{}, "trap")
	o := run(t, e, "trap", Call{})
	wantStatus(t, o, serverless.ResultError, "wasm error: unreachable")
	if strings.HasPrefix(o.Error, "module[") {
		t.Fatalf("error %q keeps wazero's prefix", o.Error)
	}
	// other traps: their own messages, and the engine is fine after them
	for want, wat := range map[string]string{
		"stack overflow": `(module (memory (export "memory") 1)
  (func $f (call $f)) (func (export "_start") (call $f)))`,
		"wasm error: integer divide by zero": `(module (memory (export "memory") 1)
  (func (export "_start") (drop (i32.div_u (i32.const 1) (i32.const 0)))))`,
		"wasm error: out of bounds memory access": `(module (memory (export "memory") 1)
  (func (export "_start") (drop (i32.load (i32.const 65535)))))`,
	} {
		if err := e.Compile(context.Background(), want, watModule(t, wat)); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, run(t, e, want, Call{}), serverless.ResultError, want)
	}
	wantStatus(t, run(t, e, "trap", Call{}), serverless.ResultError, "wasm error: unreachable")
}

func TestExit1(t *testing.T) {
	e := compiled(t, Config{}, "exit1")
	o := run(t, e, "exit1", Call{})
	wantStatus(t, o, serverless.ResultError, "exit code 1")
	if len(o.Logs) != 1 || o.Logs[0].Message != serverlesstest.Exit1Message || o.Logs[0].Time.IsZero() {
		t.Fatalf("logs %+v", o.Logs)
	}
}

func TestLoopTimeout(t *testing.T) {
	e := compiled(t, Config{}, "loop", "echo")
	// Run returns only once the guest has stopped: it runs on this
	// goroutine, so its CPU is free when the outcome is here.
	o := run(t, e, "loop", Call{Timeout: 100 * time.Millisecond})
	wantStatus(t, o, serverless.ResultTimeout, "timed out after 100ms")
	// the engine is fine
	wantStatus(t, run(t, e, "echo", Call{Stdin: []byte("x")}), serverless.ResultSuccess, "")
}

func TestCanceledRun(t *testing.T) {
	// get_request_id, then a busy loop
	e := newEngine(t, Config{})
	if err := e.Compile(context.Background(), "spin", watModule(t, `(module
  (import "env" "get_request_id" (func $id (result i64)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $id))
    (loop $forever (br $forever))))`)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := newFakeHost()
	h.onRequestID = cancel // the run has started: end its context
	o, err := e.Run(ctx, "spin", Call{Timeout: time.Minute, Host: h})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, o, serverless.ResultError, "invocation canceled: context canceled")
	// ctx ended before the run: an error, not an outcome
	_, err = e.Run(ctx, "spin", Call{})
	wantCode(t, err, sdk.CodeUnavailable)
}

func TestMemoryBomb(t *testing.T) {
	e := compiled(t, Config{}, "membomb", "echo")
	o := run(t, e, "membomb", Call{MemoryLimitMB: 2})
	wantStatus(t, o, serverless.ResultError, "memory limit of 2 MB exceeded (exit code 1)")
	// a normal run afterwards works
	wantStatus(t, run(t, e, "echo", Call{Stdin: []byte("still fine"), MemoryLimitMB: 2}), serverless.ResultSuccess, "")
	// the limit is per call: a larger one lets it grow further, and still stops it
	wantStatus(t, run(t, e, "membomb", Call{MemoryLimitMB: 8}), serverless.ResultError, "memory limit of 8 MB exceeded")
}

// TestMemoryLimitPerCall: the limit is the call's, not the runtime's —
// the same module at the same time gets 1 MB in one call and more in
// another.
func TestMemoryLimitPerCall(t *testing.T) {
	grow := watModule(t, `(module
  (memory (export "memory") 1)
  (func (export "_start")
    ;; 1 page + 31 more = 2 MB
    (if (i32.eq (memory.grow (i32.const 31)) (i32.const -1)) (then unreachable))))`)
	e := newEngine(t, Config{})
	if err := e.Compile(context.Background(), "grow", grow); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, run(t, e, "grow", Call{MemoryLimitMB: 1}), serverless.ResultError, "memory limit of 1 MB exceeded")
	wantStatus(t, run(t, e, "grow", Call{MemoryLimitMB: 2}), serverless.ResultSuccess, "")
}

// TestMemoryZeroPages: a memory declared with no pages (and a maximum)
// grows within its maximum.
func TestMemoryZeroPages(t *testing.T) {
	m := watModule(t, `(module
  (memory (export "memory") 0 2)
  (func (export "_start")
    (if (i32.ne (memory.grow (i32.const 2)) (i32.const 0)) (then unreachable))
    (i32.store (i32.const 131068) (i32.const 7))
    (if (i32.ne (memory.grow (i32.const 1)) (i32.const -1)) (then unreachable))))`)
	e := newEngine(t, Config{})
	if err := e.Compile(context.Background(), "zero", m); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, run(t, e, "zero", Call{MemoryLimitMB: 1}), serverless.ResultSuccess, "")
}

func TestMemoryMinimumOverLimit(t *testing.T) {
	big := watModule(t, `(module
  (memory (export "memory") 64)
  (func (export "_start")))`) // 64 pages = 4 MB
	e := newEngine(t, Config{})
	if err := e.Compile(context.Background(), "big", big); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, run(t, e, "big", Call{MemoryLimitMB: 2}), serverless.ResultError, "needs at least 4 MB, its limit is 2 MB")
	wantStatus(t, run(t, e, "big", Call{MemoryLimitMB: 4}), serverless.ResultSuccess, "")
}

func TestOutputCap(t *testing.T) {
	e := compiled(t, Config{MaxOutputBytes: 1 << 20}, "bigout")
	o := run(t, e, "bigout", Call{})
	wantStatus(t, o, serverless.ResultError, "output exceeds 1048576 bytes")
	if len(o.Stdout) != 1<<20 {
		t.Fatalf("stdout %d bytes, want the first 1 MiB", len(o.Stdout))
	}
	// without a cap below 8 MiB it succeeds
	e = compiled(t, Config{MaxOutputBytes: serverlesstest.BigOutBytes}, "bigout")
	o = run(t, e, "bigout", Call{})
	if o.Status != serverless.ResultSuccess || len(o.Stdout) != serverlesstest.BigOutBytes {
		t.Fatalf("outcome %s %q, %d bytes", o.Status, o.Error, len(o.Stdout))
	}
}

func TestStderrLines(t *testing.T) {
	e := compiled(t, Config{}, "stderr")
	o := run(t, e, "stderr", Call{})
	wantStatus(t, o, serverless.ResultSuccess, "")
	if string(o.Stdout) != serverlesstest.StderrOutput || len(o.Logs) != len(serverlesstest.StderrLines) {
		t.Fatalf("outcome %+v", o)
	}
	for i, l := range o.Logs {
		if l.Message != serverlesstest.StderrLines[i] || l.Level != serverless.LevelInfo {
			t.Errorf("log %d: %+v, want %q", i, l, serverlesstest.StderrLines[i])
		}
	}
}

func TestLogCap(t *testing.T) {
	// "first line" (10 bytes) fits in 12, "second line" (11) does not
	e := compiled(t, Config{MaxLogBytes: 12}, "stderr")
	o := run(t, e, "stderr", Call{})
	wantStatus(t, o, serverless.ResultSuccess, "")
	if len(o.Logs) != 2 || o.Logs[0].Message != "first line" || o.Logs[1].Message != "… 11 bytes of logs dropped" {
		t.Fatalf("logs %+v", o.Logs)
	}
}

func TestMissingImport(t *testing.T) {
	e := newEngine(t, Config{})
	err := e.Compile(context.Background(), "m", serverlesstest.Module(t, "missing_import"))
	se := wantCode(t, err, sdk.CodeInvalid)
	if want := "module imports " + serverlesstest.MissingImport + ", which the host does not provide"; se.Message != want {
		t.Fatalf("message %q, want %q", se.Message, want)
	}
	if e.Cached("m") {
		t.Fatal("a refused module is cached")
	}
}

func TestImportChecks(t *testing.T) {
	cases := []struct{ name, wat, want string }{
		{"wasi function wazero lacks", `(module (import "wasi_snapshot_preview1" "no_such_call" (func)) (memory (export "memory") 1) (func (export "_start")))`,
			"module imports wasi_snapshot_preview1.no_such_call, which the host does not provide"},
		{"unknown module", `(module (import "other" "get_env" (func)) (memory (export "memory") 1) (func (export "_start")))`,
			"module imports other.get_env, which the host does not provide"},
		{"imported memory", `(module (import "env" "memory" (memory 1)) (export "memory" (memory 0)) (func (export "_start")))`,
			"module imports env.memory (a memory), which the host does not provide"},
		{"imported global", `(module (import "env" "g" (global i32)) (memory (export "memory") 1) (func (export "_start")))`,
			"module imports env.g (a global), which the host does not provide"},
		{"wrong signature", `(module (import "host" "get_env" (func (param i32) (result i64))) (memory (export "memory") 1) (func (export "_start")))`,
			"module imports host.get_env as (i32) -> (i64), but the host provides (i32, i32) -> (i64)"},
		{"no memory export", `(module (memory 1) (func (export "_start")))`, `does not export its memory as "memory"`},
		{"_start with params", `(module (memory (export "memory") 1) (func (export "_start") (param i32)))`, "exports _start as (i32) -> ()"},
	}
	e := newEngine(t, Config{})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			se := wantCode(t, e.Compile(context.Background(), c.name, watModule(t, c.wat)), sdk.CodeInvalid)
			if !strings.Contains(se.Message, c.want) {
				t.Fatalf("message %q, want %q", se.Message, c.want)
			}
		})
	}
}

func TestNotCommand(t *testing.T) {
	e := newEngine(t, Config{})
	se := wantCode(t, e.Compile(context.Background(), "nc", serverlesstest.Module(t, "not_command")), sdk.CodeInvalid)
	if se.Message != "module does not export _start: not a WASI command module" {
		t.Fatalf("message %q", se.Message)
	}
}

func TestNotWASM(t *testing.T) {
	e := newEngine(t, Config{})
	for name, b := range map[string][]byte{
		"text":      []byte("hello, not wasm"),
		"truncated": serverlesstest.Module(t, "echo")[:40],
		"empty":     nil,
	} {
		se := wantCode(t, e.Compile(context.Background(), name, b), sdk.CodeInvalid)
		if !strings.HasPrefix(se.Message, "module does not compile: ") || len(se.Message) == len("module does not compile: ") {
			t.Errorf("%s: message %q", name, se.Message)
		}
	}
}

func TestRunErrors(t *testing.T) {
	e := compiled(t, Config{}, "echo")
	_, err := e.Run(context.Background(), "nope", Call{})
	wantCode(t, err, sdk.CodeNotFound)
	if err := e.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, err = e.Run(context.Background(), "echo", Call{})
	wantCode(t, err, sdk.CodeUnavailable)
	wantCode(t, e.Compile(context.Background(), "echo", serverlesstest.Module(t, "echo")), sdk.CodeUnavailable)
}
