// Package engine runs WASM functions on wazero: it compiles and caches
// modules (in memory, bounded by bytes, LRU; and on disk through wazero's
// compilation cache), checks a module's imports at compile time, and runs
// one invocation of a WASI preview1 command module with the request on
// stdin, stdout as the response and stderr as log lines, the Orama host
// functions importable from "env" and "host", and the limits of the call
// (memory, time, output, log size) enforced.
//
// The engine knows nothing of namespaces, storage or databases: what the
// host functions do is the Host of each Call.
package engine

import (
	"container/list"
	"context"
	"runtime"
	"sync"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// Defaults of a Config's zero fields.
const (
	DefaultCacheBytes     = 256 << 20 // in-memory compiled modules, by module bytes
	DefaultMaxOutputBytes = 8 << 20   // stdout of one invocation
	DefaultMaxLogBytes    = 64 << 10  // stderr + log_* of one invocation
)

// Config sizes an Engine. Zero fields take the defaults above.
type Config struct {
	CacheDir       string // wazero's compilation cache ("" : none)
	CacheBytes     int64  // in-memory compiled modules, bounded by their module size (LRU)
	MaxOutputBytes int    // stdout of one invocation; more is an error result
	MaxLogBytes    int    // stderr + log_* of one invocation; more is dropped (counted in a last line)
	// MaxRunning bounds the invocations running guest code at once
	// (default: the number of CPUs); more wait for a slot, in order,
	// bounded by their caller's context. New raises GOMAXPROCS above it
	// (see cpu.go). More slots than CPUs let long-running functions
	// share the CPUs (the kernel time-slices the threads) at a price:
	// every P more makes the Go runtime of the plugin costlier (a warm
	// WAT echo took 20 µs with GOMAXPROCS 3, 45 µs with 9 on 2 CPUs).
	MaxRunning int
}

// Engine compiles and runs modules. Safe for concurrent use.
type Engine struct {
	cfg       Config
	rt        wazero.Runtime
	ccache    wazero.CompilationCache // nil without CacheDir
	provided  provided                // what a module may import
	modConfig wazero.ModuleConfig     // the part of every run's config that does not change

	mu        sync.Mutex
	lru       *list.List               // of *entry, most recently used first
	entries   map[string]*list.Element // by key
	bytes     int64                    // module bytes of the entries
	compiling map[string]*compileCall  // keys being compiled
	closed    bool

	cpu cpuSlots // bounds the runs executing guest code
}

// New returns an Engine. Errors: the cache dir cannot be used.
func New(ctx context.Context, cfg Config) (*Engine, error) {
	if cfg.CacheBytes <= 0 {
		cfg.CacheBytes = DefaultCacheBytes
	}
	if cfg.MaxOutputBytes <= 0 {
		cfg.MaxOutputBytes = DefaultMaxOutputBytes
	}
	if cfg.MaxLogBytes <= 0 {
		cfg.MaxLogBytes = DefaultMaxLogBytes
	}
	if cfg.MaxRunning <= 0 {
		cfg.MaxRunning = runtime.NumCPU()
	}
	rc := wazero.NewRuntimeConfig().WithCloseOnContextDone(true)
	var cc wazero.CompilationCache
	if cfg.CacheDir != "" {
		var err error
		if cc, err = wazero.NewCompilationCacheWithDir(cfg.CacheDir); err != nil {
			return nil, sdk.Errorf(sdk.CodeInvalid, "engine: compilation cache %s: %v", cfg.CacheDir, err)
		}
		rc = rc.WithCompilationCache(cc)
	}
	e := &Engine{
		cfg:       cfg,
		rt:        wazero.NewRuntimeWithConfig(ctx, rc),
		ccache:    cc,
		lru:       list.New(),
		entries:   map[string]*list.Element{},
		compiling: map[string]*compileCall{},
		modConfig: baseModuleConfig(),
		cpu:       newCPUSlots(cfg.MaxRunning),
	}
	if err := e.instantiateHost(ctx); err != nil {
		_ = e.Close(ctx)
		return nil, sdk.Errorf(sdk.CodeInternal, "engine: host modules: %v", err)
	}
	return e, nil
}

// instantiateHost instantiates WASI and the Orama host functions (under
// every name of hostModules) and records what they export.
func (e *Engine) instantiateHost(ctx context.Context) error {
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, e.rt); err != nil {
		return err
	}
	for _, name := range hostModules {
		if _, err := hostModule(e.rt.NewHostModuleBuilder(name)).Instantiate(ctx); err != nil {
			return err
		}
	}
	e.provided = provided{}
	for _, name := range append([]string{wasi_snapshot_preview1.ModuleName}, hostModules...) {
		fns := map[string]api.FunctionDefinition{}
		for n, def := range e.rt.Module(name).ExportedFunctionDefinitions() {
			fns[n] = def
		}
		e.provided[name] = fns
	}
	return nil
}

// Close releases every compiled module and the runtime.
func (e *Engine) Close(ctx context.Context) error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	for el := e.lru.Front(); el != nil; el = el.Next() {
		_ = el.Value.(*entry).mod.Close(ctx)
	}
	e.lru.Init()
	e.entries = map[string]*list.Element{}
	e.bytes = 0
	e.mu.Unlock()
	err := e.rt.Close(ctx)
	if e.ccache != nil {
		if cerr := e.ccache.Close(ctx); err == nil {
			err = cerr
		}
	}
	return err
}

// Compile compiles module under key (any name of the module's bytes; the
// service uses their SHA-256) unless key is already in memory, and checks
// it is a command module (exports _start and memory) whose imports are
// all provided (wasi_snapshot_preview1, and the host functions under
// "env"/"host"). With a CacheDir, a module
// compiled before (by any Engine over that dir) is loaded from disk
// instead of compiled again. Errors: *sdk.Error invalid naming the
// missing import or why it does not compile; unavailable after Close.
func (e *Engine) Compile(ctx context.Context, key string, module []byte) error {
	return e.compile(ctx, key, module)
}

// Cached reports whether key is compiled in memory.
func (e *Engine) Cached(key string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, ok := e.entries[key]
	return ok
}

// Call is one invocation.
type Call struct {
	Stdin         []byte
	MemoryLimitMB int           // the instance's memory is capped here
	Timeout       time.Duration // the run is stopped after it
	Args          []string      // argv (argv[0] is the function name)
	// Environ is the WASI environment (os.Getenv in a Go function): the
	// function's EnvVars. Extension of the seam: get_env reads Host.Env.
	Environ map[string]string
	Host    Host // what the host functions do for this call (nil: every host function fails)
}

// Outcome is what a run did. Status is serverless.ResultSuccess,
// ResultError or ResultTimeout. Error says why, in these words:
//
//	exit code N                                    proc_exit(N), N ≠ 0
//	wasm error: unreachable … (and its stack)      a trap: wazero's message
//	memory limit of N MB exceeded (exit code 1)    a growth refused, then the failure it caused
//	memory limit exceeded: the module needs at least N MB, its limit is M MB
//	output exceeds N bytes                         stdout over MaxOutputBytes (the run is stopped; Stdout holds the first N)
//	timed out after D                              Timeout passed (the instance is closed, its goroutine returns)
//	invocation canceled: …                         ctx ended during the run
//
// Stdout is kept on errors as far as it got. Logs are the stderr lines
// (level info), log_info/log_error calls and the host functions' errors
// (level error), in order, at most MaxLogBytes of messages, then one
// "… N bytes of logs dropped" line (level error).
type Outcome struct {
	Status   string
	Stdout   []byte
	Logs     []Log
	Error    string
	Duration time.Duration
}

// Log is one line the function logged (stderr line, log_info, log_error).
type Log struct {
	Level   string // serverless.LevelInfo or LevelError
	Message string
	Time    time.Time
}

// Run invokes the module compiled under key: a fresh instance with fresh
// memory per call. MemoryLimitMB 0 and Timeout 0 take the serverless
// defaults (MemoryLimitMB is capped at serverless.MaxMemoryLimitMB). Errors (not outcomes): the key is not compiled (not_found),
// ctx ended before the run started (unavailable), the Engine is closed
// (unavailable).
func (e *Engine) Run(ctx context.Context, key string, c Call) (Outcome, error) {
	return e.run(ctx, key, c)
}

// Host is what the host functions of one invocation do; every method acts
// inside the invocation's namespace. Errors are returned to the guest as
// the ABI says (0 / empty / {error,status:0}), and logged.
type Host interface {
	CallerWallet() string
	RequestID() string
	Env(key string) (string, bool)
	Secret(ctx context.Context, name string) ([]byte, error)
	DBQuery(ctx context.Context, sql string, argsJSON []byte) ([]byte, error) // JSON array of row objects
	DBExecute(ctx context.Context, sql string, argsJSON []byte) (int64, error)
	CacheGet(ctx context.Context, key string) ([]byte, bool, error)
	CacheSet(ctx context.Context, key string, value []byte, ttl time.Duration) error
	CacheIncr(ctx context.Context, key string, delta int64) (int64, error)
	// HTTPFetch returns the JSON {status, headers, body} or {error, status:0}.
	HTTPFetch(ctx context.Context, method, url string, headersJSON, body []byte) []byte
	Publish(ctx context.Context, topic string, data []byte) error
}
