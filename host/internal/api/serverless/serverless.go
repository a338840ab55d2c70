// Package serverless is the HTTP adapter of the serverless domain: the
// /v1/functions/*, /v1/invoke/* and /v1/secrets/* routes of API.md
// translated to calls on sdk/serverless's Serverless, in the caller's
// namespace.
//
// A function is named in a path as name or name@version (version a
// positive integer; no version: the latest). Deploys are multipart forms
// read part by part with every part bounded (deploy.go); invocations
// take the raw body, bounded by Options.MaxInputBytes (invoke.go); the
// WebSocket of GET /v1/functions/:name/ws runs one invocation per text
// frame (ws.go); secrets are set, listed by name and deleted, never read
// back (secrets.go).
//
// Invocation routes may go without a credential (the server lets them
// through as anonymous; a credential that is present must be valid): the
// plugin then runs public functions only and refuses private ones with
// 403. Plugin errors pass through the server's error adapter unchanged
// (404, 403, 413, 429, 400; 503 while the plugin is down or hung).
package serverless

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/serverless"
)

// Defaults of zero Options fields.
const (
	// DefaultInvokeTimeout bounds an invocation's plugin call: the longest
	// function timeout plus room for the plugin to answer. The plugin
	// enforces each function's own timeout (504); this only ends the wait
	// for a plugin that hangs (503).
	DefaultInvokeTimeout = time.Duration(serverless.MaxTimeout+30) * time.Second
	// DefaultDeployTimeout bounds a deploy (the plugin compiles the module).
	DefaultDeployTimeout = 2 * time.Minute
	// DefaultWSIdleTimeout closes a function WebSocket that sends nothing
	// for this long.
	DefaultWSIdleTimeout = 10 * time.Minute
)

// Options are the adapter's limits. Zero values get the defaults.
type Options struct {
	MaxModuleBytes int64         // a deployed module (serverless.MaxModuleBytes)
	MaxInputBytes  int64         // an invocation's body or WebSocket frame (serverless.MaxInputBytes)
	InvokeTimeout  time.Duration // DefaultInvokeTimeout
	DeployTimeout  time.Duration // DefaultDeployTimeout
	WSIdleTimeout  time.Duration // DefaultWSIdleTimeout
	OriginPatterns []string      // browser origins allowed on the WebSocket ("*": any)
}

func (o Options) withDefaults() Options {
	if o.MaxModuleBytes <= 0 {
		o.MaxModuleBytes = serverless.MaxModuleBytes
	}
	if o.MaxInputBytes <= 0 {
		o.MaxInputBytes = serverless.MaxInputBytes
	}
	if o.InvokeTimeout <= 0 {
		o.InvokeTimeout = DefaultInvokeTimeout
	}
	if o.DeployTimeout <= 0 {
		o.DeployTimeout = DefaultDeployTimeout
	}
	if o.WSIdleTimeout <= 0 {
		o.WSIdleTimeout = DefaultWSIdleTimeout
	}
	return o
}

// Handlers serves the serverless routes.
type Handlers struct {
	api.Domain[serverless.Serverless]
	opts Options

	// The function WebSockets, closed by Shutdown, which also ends life.
	life    context.Context
	end     context.CancelFunc
	mu      sync.Mutex
	closing bool
	sockets map[*fnSocket]struct{}
	wg      sync.WaitGroup
}

// New returns the serverless handlers over the domain get returns: unary
// calls bounded by timeout, invocations and deploys by their own bounds
// (Options).
func New(get func(context.Context) (serverless.Serverless, error), timeout time.Duration, opts Options) *Handlers {
	life, end := context.WithCancel(context.Background())
	return &Handlers{Domain: api.Domain[serverless.Serverless]{Plugin: get, Timeout: timeout},
		opts: opts.withDefaults(), life: life, end: end, sockets: map[*fnSocket]struct{}{}}
}

// DeployBodyLimit is the body limit of POST /v1/functions for modules of
// up to maxModule bytes (0: serverless.MaxModuleBytes): the module plus
// room for the other fields and the form's framing. The server applies it
// to that route instead of its MaxBodyBytes.
func DeployBodyLimit(maxModule int64) int64 {
	if maxModule <= 0 {
		maxModule = serverless.MaxModuleBytes
	}
	return maxModule + deploySlack
}

// functionJSON is the function object of API.md.
type functionJSON struct {
	ID                string            `json:"id"`
	Name              string            `json:"name"`
	Namespace         string            `json:"namespace"`
	Version           int               `json:"version"`
	WASMCID           string            `json:"wasm_cid"`
	IsPublic          bool              `json:"is_public"`
	MemoryLimitMB     int               `json:"memory_limit_mb"`
	TimeoutSeconds    int               `json:"timeout_seconds"`
	RetryCount        int               `json:"retry_count"`
	RetryDelaySeconds int               `json:"retry_delay_seconds"`
	EnvVars           map[string]string `json:"env_vars"`
	Status            string            `json:"status"`
	CreatedAt         string            `json:"created_at"`
	UpdatedAt         string            `json:"updated_at"`
}

// toJSON is a function object; env_vars is {} rather than null, times are
// RFC 3339 in UTC.
func toJSON(f serverless.Function) functionJSON {
	env := f.EnvVars
	if env == nil {
		env = map[string]string{}
	}
	return functionJSON{ID: f.ID, Name: f.Name, Namespace: f.Namespace, Version: f.Version,
		WASMCID: f.WASMCID, IsPublic: f.IsPublic, MemoryLimitMB: f.MemoryLimitMB,
		TimeoutSeconds: f.TimeoutSeconds, RetryCount: f.RetryCount,
		RetryDelaySeconds: f.RetryDelaySeconds, EnvVars: env, Status: f.Status,
		CreatedAt: rfc3339(f.CreatedAt), UpdatedAt: rfc3339(f.UpdatedAt)}
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func toJSONs(fs []serverless.Function) []functionJSON {
	out := make([]functionJSON, len(fs))
	for i, f := range fs {
		out[i] = toJSON(f)
	}
	return out
}

type listResponse struct {
	Functions []functionJSON `json:"functions"`
	Count     int            `json:"count"`
}

type versionsResponse struct {
	Versions []functionJSON `json:"versions"`
	Count    int            `json:"count"`
}

type messageResponse struct {
	Message string `json:"message"`
}

type logJSON struct {
	Level     string `json:"level"`
	Message   string `json:"message"`
	Timestamp string `json:"timestamp"`
}

type logsResponse struct {
	Name      string    `json:"name"`
	Namespace string    `json:"namespace"`
	Logs      []logJSON `json:"logs"`
	Count     int       `json:"count"`
}

// ref is a function named in a path: name or name@version.
type ref struct {
	name    string
	version int // 0: the latest
}

func (r ref) String() string { return serverless.Ref(r.name, r.version) }

// parseRef parses name[@version] (serverless.ParseRef).
func parseRef(s string) (ref, error) {
	name, v, err := serverless.ParseRef(s)
	if err != nil {
		return ref{}, err
	}
	return ref{name: name, version: v}, nil
}

// pathRef is the function of the route's :name parameter.
func pathRef(r *http.Request) (ref, error) {
	return parseRef(api.Param(r.Context(), "name"))
}

// List is GET /v1/functions: the latest version of every function of the
// caller's namespace.
func (h *Handlers) List(w http.ResponseWriter, r *http.Request) error {
	ns, err := api.Namespace(r.Context())
	if err != nil {
		return err
	}
	var fs []serverless.Function
	if err := h.Do(r, func(ctx context.Context, s serverless.Serverless) (err error) {
		fs, err = s.List(ctx, ns)
		return err
	}); err != nil {
		return err
	}
	return api.WriteJSON(w, http.StatusOK, listResponse{Functions: toJSONs(fs), Count: len(fs)})
}

// Get is GET /v1/functions/:name[@ver]: the function object.
func (h *Handlers) Get(w http.ResponseWriter, r *http.Request) error {
	ns, err := api.Namespace(r.Context())
	if err != nil {
		return err
	}
	f, err := pathRef(r)
	if err != nil {
		return err
	}
	var fn serverless.Function
	if err := h.Do(r, func(ctx context.Context, s serverless.Serverless) (err error) {
		fn, err = s.Get(ctx, ns, f.name, f.version)
		return err
	}); err != nil {
		return err
	}
	return api.WriteJSON(w, http.StatusOK, toJSON(fn))
}

// Versions is GET /v1/functions/:name/versions: every kept version,
// oldest first.
func (h *Handlers) Versions(w http.ResponseWriter, r *http.Request) error {
	ns, err := api.Namespace(r.Context())
	if err != nil {
		return err
	}
	f, err := pathRef(r)
	if err != nil {
		return err
	}
	if f.version != 0 {
		return api.Invalidf("GET /v1/functions/:name/versions takes a name without @version")
	}
	var fs []serverless.Function
	if err := h.Do(r, func(ctx context.Context, s serverless.Serverless) (err error) {
		fs, err = s.Versions(ctx, ns, f.name)
		return err
	}); err != nil {
		return err
	}
	return api.WriteJSON(w, http.StatusOK, versionsResponse{Versions: toJSONs(fs), Count: len(fs)})
}

// Delete is DELETE /v1/functions/:name[@ver]: one version, or all.
func (h *Handlers) Delete(w http.ResponseWriter, r *http.Request) error {
	ns, err := api.Namespace(r.Context())
	if err != nil {
		return err
	}
	f, err := pathRef(r)
	if err != nil {
		return err
	}
	var n int
	if err := h.Do(r, func(ctx context.Context, s serverless.Serverless) (err error) {
		n, err = s.Delete(ctx, ns, f.name, f.version)
		return err
	}); err != nil {
		return err
	}
	msg := "Function " + f.String() + " deleted successfully"
	if f.version == 0 {
		msg += " (" + strconv.Itoa(n) + " version" + plural(n) + ")"
	}
	return api.WriteJSON(w, http.StatusOK, messageResponse{Message: msg})
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Logs is GET /v1/functions/:name/logs?limit=N: the latest log entries,
// oldest first (limit: default serverless.DefaultLogLimit, at most
// serverless.MaxLogLimit; a larger one is lowered to it). With name@ver,
// only that version's entries.
func (h *Handlers) Logs(w http.ResponseWriter, r *http.Request) error {
	ns, err := api.Namespace(r.Context())
	if err != nil {
		return err
	}
	f, err := pathRef(r)
	if err != nil {
		return err
	}
	limit := serverless.DefaultLogLimit
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return api.Invalidf("limit must be a positive integer, not %q", v)
		}
		if limit, err = serverless.LogLimit(n); err != nil {
			return err
		}
	}
	var entries []serverless.LogEntry
	if err := h.Do(r, func(ctx context.Context, s serverless.Serverless) (err error) {
		entries, err = s.Logs(ctx, ns, f.name, limit)
		return err
	}); err != nil {
		return err
	}
	logs := make([]logJSON, 0, len(entries))
	for _, e := range entries {
		if f.version != 0 && e.Version != f.version {
			continue
		}
		logs = append(logs, logJSON{Level: e.Level, Message: e.Message, Timestamp: rfc3339(e.Timestamp)})
	}
	return api.WriteJSON(w, http.StatusOK, logsResponse{Name: f.name, Namespace: ns, Logs: logs, Count: len(logs)})
}

// unavailable reports whether err means the plugin is gone.
func unavailable(err error) bool {
	return sdk.AsError(err).Code == sdk.CodeUnavailable
}
