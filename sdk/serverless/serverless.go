// Package serverless is the contract of the serverless domain: WASM
// functions deployed per namespace, every version kept, invoked with the
// request body on stdin and the response read from stdout (API.md
// "Functions"). It holds the Serverless interface, its gRPC adapters
// (Plugin, Client, server) and, in serverlesstest, the conformance suite
// every implementation must pass.
//
// Every call names a namespace; an implementation keeps namespaces apart:
// a function of namespace a is never listed, read, deleted or invoked as a
// function of namespace b, and what a function does through its host
// functions (cache, database, storage, pubsub) acts inside its own
// namespace only.
//
// Errors are sdk.Errors: invalid (bad name, definition, module or input),
// not_found (no such function or version), too_large (module, input),
// forbidden (a private function invoked by a caller without its
// namespace's credential), rate_limited (a concurrency cap), unavailable
// (a backend the plugin needs is down). What a function itself does —
// returns, traps, exits non-zero, runs out of time — is not an error of
// Invoke: it is reported in Result.Status.
package serverless

import (
	"context"
	"time"

	"github.com/orama-network/orama/sdk/plugin"
)

// Kind is the plugin kind of the serverless domain, the label of its
// block in config.hcl.
const Kind = "serverless"

// Limits every implementation enforces.
const (
	MaxNameLen       = 64       // function name: [A-Za-z0-9_-], starts with a letter or digit
	MaxNamespaceLen  = 255      // namespace length in bytes
	MaxModuleBytes   = 32 << 20 // a WASM module (an implementation may set a lower limit)
	MaxInputBytes    = 1 << 20  // one invocation's input (the request body)
	MaxEnvVars       = 64       // entries of Definition.EnvVars
	MaxEnvBytes      = 16 << 10 // all env var names and values together
	MaxMemoryLimitMB = 1024     // Definition.MemoryLimitMB at most
	MaxTimeout       = 300      // Definition.TimeoutSeconds at most
	MaxRetryCount    = 5        // Definition.RetryCount at most
	MaxRetryDelay    = 60       // Definition.RetryDelaySeconds at most
	MaxLogLimit      = 1000     // Logs returns at most this many entries
	MaxSecretLen     = 64 << 10 // one secret's value
	MaxSecrets       = 256      // secrets per namespace
)

// Defaults of a Definition's zero fields.
const (
	DefaultMemoryLimitMB  = 64
	DefaultTimeoutSeconds = 30
	DefaultLogLimit       = 100
)

// Function statuses (Function.Status).
const (
	StatusActive = "active"
)

// Invocation outcomes (Result.Status).
const (
	ResultSuccess = "success" // the module ran to its end (exit code 0)
	ResultError   = "error"   // it trapped, exited non-zero, or exceeded its memory or output limit
	ResultTimeout = "timeout" // it ran past its timeout and was stopped
)

// Log levels (LogEntry.Level).
const (
	LevelInfo  = "info"
	LevelError = "error"
)

// Definition is what a deploy says about a function (API.md's multipart
// fields or metadata JSON). Zero numeric fields take the defaults above.
type Definition struct {
	Name              string
	Namespace         string
	IsPublic          bool // invocable without a credential of Namespace
	MemoryLimitMB     int
	TimeoutSeconds    int
	RetryCount        int // extra attempts after an error result
	RetryDelaySeconds int
	EnvVars           map[string]string // read by the function with get_env
}

// Function is one deployed version of a function (API.md's function
// object). ID is unique across namespaces, names and versions.
type Function struct {
	ID                string
	Name              string
	Namespace         string
	Version           int // 1, 2, … per (namespace, name); never reused
	WASMCID           string
	IsPublic          bool
	MemoryLimitMB     int
	TimeoutSeconds    int
	RetryCount        int
	RetryDelaySeconds int
	EnvVars           map[string]string
	Status            string
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Invocation is one call of a function.
type Invocation struct {
	Namespace string // the function's namespace
	Name      string
	Version   int    // 0: the latest version
	Input     []byte // stdin (at most MaxInputBytes)
	RequestID string // get_request_id; also tags the invocation's log lines
	// Caller is the credential's namespace ("" without a credential). A
	// private function is invoked only when Caller == Namespace;
	// otherwise Invoke fails forbidden (not_found when it does not exist).
	Caller string
	Wallet string // the signed-in wallet, for get_caller_wallet ("" if none)
}

// Result is what one invocation did.
type Result struct {
	Status   string // ResultSuccess, ResultError or ResultTimeout
	Output   []byte // stdout (also on error, as far as it got)
	Error    string // why, when Status is not ResultSuccess (a trap's message, the exit code…)
	Duration time.Duration
	Version  int // the version that ran
}

// LogEntry is one log line of a function: an invocation record, a line
// the function wrote to stderr, or a log_info/log_error call.
type LogEntry struct {
	Level     string // LevelInfo or LevelError
	Message   string
	Timestamp time.Time
	RequestID string
	Version   int
}

// Serverless deploys, keeps and invokes WASM functions.
type Serverless interface {
	// Deploy stores module as the next version of def.Name in
	// def.Namespace and returns it. The module must be a WASI preview1
	// command module that compiles and whose imports are all provided.
	// Errors: invalid (the message names a missing import, or says why
	// the module does not compile), too_large.
	Deploy(ctx context.Context, def Definition, module []byte) (Function, error)
	// Get returns one version (0: the latest). Errors: invalid, not_found.
	Get(ctx context.Context, namespace, name string, version int) (Function, error)
	// List returns the latest version of every function of namespace,
	// sorted by name.
	List(ctx context.Context, namespace string) ([]Function, error)
	// Versions returns every kept version of a function, oldest first.
	// Errors: invalid, not_found.
	Versions(ctx context.Context, namespace, name string) ([]Function, error)
	// Delete removes one version, or all of them when version is 0, and
	// returns how many it removed. Errors: invalid, not_found.
	Delete(ctx context.Context, namespace, name string, version int) (int, error)
	// Invoke runs a function. Errors: invalid, not_found, forbidden,
	// too_large, rate_limited; the function's own failure is a Result.
	Invoke(ctx context.Context, inv Invocation) (Result, error)
	// Logs returns a function's latest log entries (limit 0:
	// DefaultLogLimit, at most MaxLogLimit), oldest first. Errors:
	// invalid, not_found.
	Logs(ctx context.Context, namespace, name string, limit int) ([]LogEntry, error)
	// SetSecret sets (or replaces) a secret of namespace that its
	// functions read with get_secret. Errors: invalid, too_large.
	SetSecret(ctx context.Context, namespace, name string, value []byte) error
	// DeleteSecret removes a secret. Errors: invalid, not_found.
	DeleteSecret(ctx context.Context, namespace, name string) error
	// Secrets lists the names of namespace's secrets, sorted; values are
	// never returned by any call.
	Secrets(ctx context.Context, namespace string) ([]string, error)
	// Health reports the backend's state.
	Health(ctx context.Context) (plugin.Health, error)
}

// Backend is what a serverless plugin implements: the Base lifecycle plus
// Serverless.
type Backend interface {
	plugin.Base
	Serverless
}
