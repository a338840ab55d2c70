package service

import (
	"context"
	"fmt"
	"time"

	"github.com/orama-network/orama/plugins/serverless/engine"
	"github.com/orama-network/orama/plugins/serverless/hostfuncs"
	"github.com/orama-network/orama/plugins/serverless/store"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/serverless"
)

// Invoke runs a function: it resolves the version (cached metadata),
// checks the caller, takes a slot of the function's and the namespace's
// concurrency caps, makes sure the module is compiled, runs it — again
// after an error result, RetryCount times, RetryDelaySeconds apart, while
// ctx allows — and queues the invocation record and the function's log
// lines for the database. Errors: invalid, forbidden, not_found,
// too_large, rate_limited, unavailable; the function's own failure is the
// Result.
func (s *Service) Invoke(ctx context.Context, inv serverless.Invocation) (serverless.Result, error) {
	res, err := s.invoke(ctx, inv)
	observeInvocation(res, err)
	return res, err
}

func (s *Service) invoke(ctx context.Context, inv serverless.Invocation) (serverless.Result, error) {
	st, err := s.state()
	if err != nil {
		return serverless.Result{}, err
	}
	if err := checkNamespace(inv.Namespace); err != nil {
		return serverless.Result{}, err
	}
	if err := serverless.CheckInvocation(inv); err != nil {
		return serverless.Result{}, err
	}
	r, err := s.resolve(ctx, st, inv.Namespace, inv.Name, inv.Version)
	if err != nil {
		return serverless.Result{}, err
	}
	if !r.IsPublic && inv.Caller != inv.Namespace {
		return serverless.Result{}, sdk.Errorf(sdk.CodeForbidden, "function %q is private to its namespace", inv.Name)
	}
	release, err := st.limits.acquire(ctx, inv.Namespace, inv.Name)
	if err != nil {
		return serverless.Result{}, err
	}
	defer release()

	host := hostfuncs.New(st.host, hostfuncs.Invocation{Namespace: r.Namespace, Name: r.Name, Version: r.Version,
		RequestID: inv.RequestID, Wallet: inv.Wallet, Env: r.EnvVars})
	call := engine.Call{Stdin: inv.Input, MemoryLimitMB: r.MemoryLimitMB,
		Timeout: time.Duration(r.TimeoutSeconds) * time.Second, Args: []string{r.Name}, Environ: r.EnvVars, Host: host}
	start := time.Now()
	var out engine.Outcome
	for attempt := 0; ; attempt++ {
		out, err = s.run(ctx, st, r, call)
		if err != nil {
			return serverless.Result{}, err
		}
		s.record(st, inv, r, out, attempt)
		if out.Status != serverless.ResultError || attempt >= r.RetryCount || !s.wait(ctx, r.RetryDelaySeconds) {
			break
		}
	}
	return serverless.Result{Status: out.Status, Output: out.Stdout, Error: out.Error,
		Duration: time.Since(start), Version: r.Version}, nil
}

// resolve returns the metadata of a version (0: the latest).
func (s *Service) resolve(ctx context.Context, st *state, ns, name string, version int) (store.Row, error) {
	return st.meta.get(ctx, metaKey{ns, name, version}, s.now(), func(ctx context.Context) (store.Row, error) {
		return st.st.Get(ctx, ns, name, version)
	})
}

// cacheable reports whether a failed metadata load may be cached.
func cacheable(err error) bool { return sdk.AsError(err).Code == sdk.CodeNotFound }

// run runs r once, compiling it first when needed (and again if the
// engine evicted it in between).
func (s *Service) run(ctx context.Context, st *state, r store.Row, call engine.Call) (engine.Outcome, error) {
	for try := 0; ; try++ {
		if err := s.ensureCompiled(ctx, st, r); err != nil {
			return engine.Outcome{}, err
		}
		rctx, span := startSpan(ctx, "run", r)
		out, err := st.eng.Run(rctx, r.SHA256, call)
		endRun(span, out, err)
		if err != nil && sdk.AsError(err).Code == sdk.CodeNotFound && try == 0 {
			continue // evicted between the check and the run
		}
		return out, err
	}
}

// wait sleeps a retry's delay; false when ctx ends first or cannot last
// that long.
func (s *Service) wait(ctx context.Context, seconds int) bool {
	d := time.Duration(seconds) * time.Second
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= d {
		return false
	}
	if d == 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// record queues the invocation record and the run's log lines.
func (s *Service) record(st *state, inv serverless.Invocation, r store.Row, out engine.Outcome, attempt int) {
	rows := make([]store.LogRow, 0, len(out.Logs)+1)
	for _, l := range out.Logs {
		rows = append(rows, logRow(r, inv.RequestID, l.Level, l.Message, l.Time))
	}
	level, msg := serverless.LevelInfo, fmt.Sprintf("invocation %s in %d ms", out.Status, out.Duration.Milliseconds())
	if out.Status != serverless.ResultSuccess {
		level = serverless.LevelError
		msg += ": " + out.Error
	}
	if attempt > 0 {
		msg += fmt.Sprintf(" (retry %d)", attempt)
	}
	rows = append(rows, logRow(r, inv.RequestID, level, msg, s.now()))
	st.logs.add(rows...)
}

func logRow(r store.Row, requestID, level, msg string, t time.Time) store.LogRow {
	return store.LogRow{Namespace: r.Namespace, Name: r.Name, LogEntry: serverless.LogEntry{
		Level: level, Message: msg, Timestamp: t, RequestID: requestID, Version: r.Version}}
}

// Logs returns a function's latest entries, oldest first, after writing
// what is still queued. Errors: invalid, forbidden, not_found.
func (s *Service) Logs(ctx context.Context, namespace, name string, limit int) ([]serverless.LogEntry, error) {
	st, err := s.state()
	if err != nil {
		return nil, err
	}
	if err := checkFunction(namespace, name, 0); err != nil {
		return nil, err
	}
	if limit, err = serverless.LogLimit(limit); err != nil {
		return nil, err
	}
	if _, err := st.st.Get(ctx, namespace, name, 0); err != nil {
		return nil, err
	}
	st.logs.flush(ctx)
	return st.st.Logs(ctx, namespace, name, limit)
}
