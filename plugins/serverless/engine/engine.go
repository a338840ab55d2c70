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
	"context"
	"errors"
	"time"
)

// Config sizes an Engine.
type Config struct {
	CacheDir       string // wazero's compilation cache ("" : none)
	CacheBytes     int64  // in-memory compiled modules, bounded by their module size (LRU)
	MaxOutputBytes int    // stdout of one invocation; more is an error result
	MaxLogBytes    int    // stderr + log_* of one invocation; more is dropped (counted in a last line)
}

// Engine compiles and runs modules. Safe for concurrent use.
type Engine struct{}

// New returns an Engine. Errors: the cache dir cannot be used.
func New(ctx context.Context, cfg Config) (*Engine, error) {
	return nil, errors.New("engine: not implemented")
}

// Close releases every compiled module and the runtime.
func (e *Engine) Close(ctx context.Context) error { return nil }

// Compile compiles module under key (the module's CID) unless key is
// already in memory, and checks it is a command module (exports _start)
// whose imports are all provided (wasi_snapshot_preview1, and the host
// functions under "env"/"host"). Errors: *sdk.Error invalid naming the
// missing import or why it does not compile.
func (e *Engine) Compile(ctx context.Context, key string, module []byte) error {
	return errors.New("engine: not implemented")
}

// Cached reports whether key is compiled in memory.
func (e *Engine) Cached(key string) bool { return false }

// Call is one invocation.
type Call struct {
	Stdin         []byte
	MemoryLimitMB int           // the instance's memory is capped here
	Timeout       time.Duration // the run is stopped after it
	Args          []string      // argv (argv[0] is the function name)
	Host          Host          // what the host functions do for this call
}

// Outcome is what a run did. Status is serverless.ResultSuccess,
// ResultError or ResultTimeout.
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

// Run invokes the module compiled under key. Errors (not outcomes): the
// key is not compiled (not_found), ctx ended before the run started.
func (e *Engine) Run(ctx context.Context, key string, c Call) (Outcome, error) {
	return Outcome{}, errors.New("engine: not implemented")
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
