package apitest

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/serverless"
)

// FakeServerless is an in-memory serverless domain for handler tests. It
// keeps versions per (namespace, name), checks namespaces and is_public
// as the contract says, and runs a function by calling Run (default: the
// output is the input, status success). Gate, when set, holds every
// Invoke until it is closed or the caller's context ends (a hung plugin).
type FakeServerless struct {
	mu      sync.Mutex
	fns     map[string][]serverless.Function // ns/name → versions, oldest first
	next    map[string]int                   // ns/name → last version given
	logs    map[string][]serverless.LogEntry
	secrets map[string]map[string][]byte // ns → name → value
	seq     int

	// Run, when set, decides an invocation's result (or error).
	Run func(ctx context.Context, inv serverless.Invocation, fn serverless.Function) (serverless.Result, error)
	// Gate, when set, holds every Invoke until it is closed (or ctx ends).
	Gate chan struct{}
	// Invocations records every Invoke call that reached the fake.
	Invocations []serverless.Invocation
	// Modules records the module bytes of every Deploy, by function id.
	Modules map[string][]byte
	// MaxModule, when > 0, makes Deploy fail too_large above it.
	MaxModule int
}

var _ serverless.Serverless = (*FakeServerless)(nil)

// NewFakeServerless returns an empty FakeServerless.
func NewFakeServerless() *FakeServerless {
	return &FakeServerless{fns: map[string][]serverless.Function{}, next: map[string]int{},
		logs: map[string][]serverless.LogEntry{}, secrets: map[string]map[string][]byte{},
		Modules: map[string][]byte{}}
}

// Epoch is the fake's clock: the created_at of its first function.
var Epoch = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func fnKey(ns, name string) string { return ns + "/" + name }

func (f *FakeServerless) Deploy(ctx context.Context, def serverless.Definition, module []byte) (serverless.Function, error) {
	if def.Name == "" || def.Namespace == "" {
		return serverless.Function{}, sdk.Errorf(sdk.CodeInvalid, "name and namespace are required")
	}
	if len(module) == 0 {
		return serverless.Function{}, sdk.Errorf(sdk.CodeInvalid, "empty module")
	}
	if f.MaxModule > 0 && len(module) > f.MaxModule {
		return serverless.Function{}, sdk.Errorf(sdk.CodeTooLarge, "module larger than %d bytes", f.MaxModule)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	k := fnKey(def.Namespace, def.Name)
	f.next[k]++
	f.seq++
	now := Epoch.Add(time.Duration(f.seq) * time.Second)
	fn := serverless.Function{
		ID: fmt.Sprintf("fn-%d", f.seq), Name: def.Name, Namespace: def.Namespace, Version: f.next[k],
		WASMCID: fmt.Sprintf("bafyfake%d", f.seq), IsPublic: def.IsPublic,
		MemoryLimitMB:  orInt(def.MemoryLimitMB, serverless.DefaultMemoryLimitMB),
		TimeoutSeconds: orInt(def.TimeoutSeconds, serverless.DefaultTimeoutSeconds),
		RetryCount:     def.RetryCount, RetryDelaySeconds: def.RetryDelaySeconds,
		EnvVars: def.EnvVars, Status: serverless.StatusActive, CreatedAt: now, UpdatedAt: now,
	}
	f.fns[k] = append(f.fns[k], fn)
	f.Modules[fn.ID] = slices.Clone(module)
	return fn, nil
}

func orInt(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// find returns one version (0: the latest); the caller holds mu.
func (f *FakeServerless) find(ns, name string, version int) (serverless.Function, error) {
	vs := f.fns[fnKey(ns, name)]
	if len(vs) == 0 {
		return serverless.Function{}, sdk.Errorf(sdk.CodeNotFound, "function %q not found", name)
	}
	if version == 0 {
		return vs[len(vs)-1], nil
	}
	for _, fn := range vs {
		if fn.Version == version {
			return fn, nil
		}
	}
	return serverless.Function{}, sdk.Errorf(sdk.CodeNotFound, "function %s@%d not found", name, version)
}

func (f *FakeServerless) Get(ctx context.Context, ns, name string, version int) (serverless.Function, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.find(ns, name, version)
}

func (f *FakeServerless) List(ctx context.Context, ns string) ([]serverless.Function, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := []serverless.Function{}
	for k, vs := range f.fns {
		if strings.HasPrefix(k, ns+"/") && len(vs) > 0 {
			out = append(out, vs[len(vs)-1])
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (f *FakeServerless) Versions(ctx context.Context, ns, name string) ([]serverless.Function, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	vs := f.fns[fnKey(ns, name)]
	if len(vs) == 0 {
		return nil, sdk.Errorf(sdk.CodeNotFound, "function %q not found", name)
	}
	return slices.Clone(vs), nil
}

func (f *FakeServerless) Delete(ctx context.Context, ns, name string, version int) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	k := fnKey(ns, name)
	if _, err := f.find(ns, name, version); err != nil {
		return 0, err
	}
	if version == 0 {
		n := len(f.fns[k])
		delete(f.fns, k)
		return n, nil
	}
	f.fns[k] = slices.DeleteFunc(f.fns[k], func(fn serverless.Function) bool { return fn.Version == version })
	if len(f.fns[k]) == 0 {
		delete(f.fns, k)
	}
	return 1, nil
}

func (f *FakeServerless) Invoke(ctx context.Context, inv serverless.Invocation) (serverless.Result, error) {
	f.mu.Lock()
	gate, run := f.Gate, f.Run
	f.Invocations = append(f.Invocations, inv)
	fn, err := f.find(inv.Namespace, inv.Name, inv.Version)
	f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return serverless.Result{}, sdk.AsError(ctx.Err())
		}
	}
	if err != nil {
		return serverless.Result{}, err
	}
	if !fn.IsPublic && inv.Caller != inv.Namespace {
		return serverless.Result{}, sdk.Errorf(sdk.CodeForbidden, "function %q is private", inv.Name)
	}
	if len(inv.Input) > serverless.MaxInputBytes {
		return serverless.Result{}, sdk.Errorf(sdk.CodeTooLarge, "input larger than %d bytes", serverless.MaxInputBytes)
	}
	res := serverless.Result{Status: serverless.ResultSuccess, Output: inv.Input, Duration: 1500 * time.Microsecond}
	if run != nil {
		if res, err = run(ctx, inv, fn); err != nil {
			return serverless.Result{}, err
		}
	}
	res.Version = fn.Version
	f.mu.Lock()
	k := fnKey(inv.Namespace, inv.Name)
	f.logs[k] = append(f.logs[k], serverless.LogEntry{Level: serverless.LevelInfo,
		Message: "invoked: " + res.Status, Timestamp: Epoch, RequestID: inv.RequestID, Version: fn.Version})
	f.mu.Unlock()
	return res, nil
}

// InvocationsMade returns a copy of the recorded invocations.
func (f *FakeServerless) InvocationsMade() []serverless.Invocation {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.Invocations)
}

// SetGate sets (or, with nil, clears) the gate of Invoke.
func (f *FakeServerless) SetGate(gate chan struct{}) {
	f.mu.Lock()
	f.Gate = gate
	f.mu.Unlock()
}

// SetRun sets Run.
func (f *FakeServerless) SetRun(run func(ctx context.Context, inv serverless.Invocation, fn serverless.Function) (serverless.Result, error)) {
	f.mu.Lock()
	f.Run = run
	f.mu.Unlock()
}

// AddLog appends a log entry to a function.
func (f *FakeServerless) AddLog(ns, name string, e serverless.LogEntry) {
	f.mu.Lock()
	defer f.mu.Unlock()
	k := fnKey(ns, name)
	f.logs[k] = append(f.logs[k], e)
}

func (f *FakeServerless) Logs(ctx context.Context, ns, name string, limit int) ([]serverless.LogEntry, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.find(ns, name, 0); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = serverless.DefaultLogLimit
	}
	limit = min(limit, serverless.MaxLogLimit)
	ls := f.logs[fnKey(ns, name)]
	if len(ls) > limit {
		ls = ls[len(ls)-limit:]
	}
	return slices.Clone(ls), nil
}

func (f *FakeServerless) SetSecret(ctx context.Context, ns, name string, value []byte) error {
	if name == "" {
		return sdk.Errorf(sdk.CodeInvalid, "secret name is required")
	}
	if len(value) > serverless.MaxSecretLen {
		return sdk.Errorf(sdk.CodeTooLarge, "secret larger than %d bytes", serverless.MaxSecretLen)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.secrets[ns] == nil {
		f.secrets[ns] = map[string][]byte{}
	}
	f.secrets[ns][name] = slices.Clone(value)
	return nil
}

// Secret returns a secret's value (tests only; no route returns one).
func (f *FakeServerless) Secret(ns, name string) ([]byte, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.secrets[ns][name]
	return v, ok
}

func (f *FakeServerless) DeleteSecret(ctx context.Context, ns, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.secrets[ns][name]; !ok {
		return sdk.Errorf(sdk.CodeNotFound, "secret %q not found", name)
	}
	delete(f.secrets[ns], name)
	return nil
}

func (f *FakeServerless) Secrets(ctx context.Context, ns string) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := []string{}
	for k := range f.secrets[ns] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out, nil
}

func (f *FakeServerless) Health(ctx context.Context) (plugin.Health, error) {
	return plugin.Health{OK: true, Driver: "fake"}, nil
}

// Serverless returns FnFake, or unavailable while FnDown (or nil).
func (p *Plugins) Serverless(ctx context.Context) (serverless.Serverless, error) {
	p.Mu.Lock()
	defer p.Mu.Unlock()
	if p.FnDown || p.FnFake == nil {
		return nil, sdk.Errorf(sdk.CodeUnavailable, "serverless plugin is restarting")
	}
	return p.FnFake, nil
}

// SetFnDown switches the serverless plugin down or back up.
func (p *Plugins) SetFnDown(down bool) {
	p.Mu.Lock()
	p.FnDown = down
	p.Mu.Unlock()
}
