package serverlesstest

import (
	"embed"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// The WAT fixtures, compiled by Module. Each is a WASI preview1 command
// module exporting _start and memory (but not_command, which has no
// _start, and missing_import, which cannot be instantiated):
//
//   - echo: copies stdin to stdout (the fast path);
//   - trap: executes unreachable;
//   - loop: a busy loop that never ends;
//   - membomb: grows memory until memory.grow fails, then exits 1;
//   - exit1: writes Exit1Message to stderr, then exits 1;
//   - stderr: writes StderrLines to stderr and StderrOutput to stdout;
//   - missing_import: imports MissingImport, which nobody provides;
//   - not_command: no _start;
//   - bigout: writes BigOutBytes to stdout, exiting 1 when a write fails.
//
// Other helpers (the engine's host-function tests) keep their fixtures in
// the same folder as host_*.wat.
//
//go:embed testdata/*.wat
var wat embed.FS

// What the fixtures do, for tests that check it exactly.
const (
	Exit1Message  = "exiting with 1"       // exit1's stderr line
	StderrOutput  = "ok"                   // stderr's stdout
	MissingImport = "env.no_such_function" // missing_import's import
	BigOutBytes   = 8 << 20                // bigout's stdout when nothing stops it
)

// StderrLines are the lines the stderr fixture writes to stderr, in order.
var StderrLines = []string{"first line", "second line"}

var (
	watMu    sync.Mutex
	watCache = map[string][]byte{}
)

// Module returns the WASM bytes of testdata/<name>.wat (e.g. "echo"),
// compiled with wat2wasm once per process. It fails the test when the
// fixture does not exist, wat2wasm is not installed, or it fails.
func Module(t testing.TB, name string) []byte {
	t.Helper()
	watMu.Lock()
	defer watMu.Unlock()
	if b, ok := watCache[name]; ok {
		return b
	}
	src, err := wat.ReadFile("testdata/" + name + ".wat")
	if err != nil {
		t.Fatalf("serverlesstest: no fixture %q: %v", name, err)
	}
	tool, err := exec.LookPath("wat2wasm")
	if err != nil {
		t.Fatalf("serverlesstest: wat2wasm (Debian package wabt) is needed to build %s.wat: %v", name, err)
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, name+".wat"), filepath.Join(dir, name+".wasm")
	if err := os.WriteFile(in, src, 0o600); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command(tool, in, "-o", out).CombinedOutput(); err != nil {
		t.Fatalf("serverlesstest: wat2wasm %s.wat: %v\n%s", name, err, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	watCache[name] = b
	return b
}

// goBuild is one GoModule build, shared by every caller with its source.
type goBuild struct {
	once sync.Once
	wasm []byte
	err  string // why the build failed ("" when it did not)
}

var (
	goMu    sync.Mutex
	goCache = map[string]*goBuild{}
)

// GoModule builds src, the source of a Go program (package main, standard
// library only), with GOOS=wasip1 GOARCH=wasm and returns the module's
// bytes. Builds are cached by source for the process; the first takes
// seconds. It fails the test when the go tool is missing or the build
// fails.
func GoModule(t testing.TB, src string) []byte {
	t.Helper()
	goMu.Lock()
	b, ok := goCache[src]
	if !ok {
		b = &goBuild{}
		goCache[src] = b
	}
	goMu.Unlock()
	b.once.Do(func() { b.wasm, b.err = buildGo(t.TempDir(), src) })
	if b.err != "" {
		t.Fatalf("serverlesstest: %s", b.err)
	}
	return b.wasm
}

// buildGo builds src in dir; it returns the module or why it failed.
func buildGo(dir, src string) ([]byte, string) {
	tool, err := exec.LookPath("go")
	if err != nil {
		return nil, "the go tool is needed to build a wasip1 module: " + err.Error()
	}
	files := map[string]string{"go.mod": "module function\n\ngo 1.21\n", "main.go": src}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			return nil, err.Error()
		}
	}
	out := filepath.Join(dir, "function.wasm")
	cmd := exec.Command(tool, "build", "-o", out, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "GOWORK=off", "GOFLAGS=", "GOTOOLCHAIN=local", "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, "GOOS=wasip1 GOARCH=wasm go build: " + err.Error() + "\n" + string(msg)
	}
	wasm, err := os.ReadFile(out)
	if err != nil {
		return nil, err.Error()
	}
	return wasm, ""
}

// GreetingSource is a Go program that reads {"name":"X"} from stdin and
// writes GreetingOutput("X") to stdout; an empty name greets "World".
// Input that is not JSON is reported on stderr with exit code 1.
const GreetingSource = `package main

import (
	"encoding/json"
	"fmt"
	"os"
)

type request struct {
	Name string ` + "`json:\"name\"`" + `
}

type response struct {
	Greeting string ` + "`json:\"greeting\"`" + `
	Name     string ` + "`json:\"name\"`" + `
	Runtime  string ` + "`json:\"runtime\"`" + `
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fmt.Fprintln(os.Stderr, "bad input:", err)
		os.Exit(1)
	}
	if req.Name == "" {
		req.Name = "World"
	}
	json.NewEncoder(os.Stdout).Encode(response{
		Greeting: "Hello, " + req.Name + "!",
		Name:     req.Name,
		Runtime:  "wasip1",
	})
}
`

// GreetingOutput is exactly what GreetingSource writes for name (plain
// letters and spaces; no JSON escaping is applied here).
func GreetingOutput(name string) string {
	if name == "" {
		name = "World"
	}
	return `{"greeting":"Hello, ` + name + `!","name":"` + name + `","runtime":"wasip1"}` + "\n"
}
