package engine

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/serverless"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/sys"
)

// maxErrorLen bounds Outcome.Error (a trap's message carries a stack trace).
const maxErrorLen = 4 << 10

// runState is what the host functions of one run see, through the
// context of the instantiation.
type runState struct {
	host Host
	logs *logSink

	slots   cpuSlots        // the engine's; nil: not bounded
	runCtx  context.Context // ends with the run
	holding bool            // the run holds a slot (only its own goroutine touches it)
}

type runStateKey struct{}

// stateOf returns the run of a host function's context (nil outside a run).
func stateOf(ctx context.Context) *runState {
	st, _ := ctx.Value(runStateKey{}).(*runState)
	return st
}

// run is Run.
func (e *Engine) run(ctx context.Context, key string, c Call) (Outcome, error) {
	if err := ctx.Err(); err != nil {
		return Outcome{}, sdk.Errorf(sdk.CodeUnavailable, "run %s: %v", key, err)
	}
	ent, err := e.acquire(key)
	if err != nil {
		return Outcome{}, err
	}
	defer e.release(ctx, ent)

	limitMB := c.MemoryLimitMB
	if limitMB <= 0 {
		limitMB = serverless.DefaultMemoryLimitMB
	}
	limitMB = min(limitMB, serverless.MaxMemoryLimitMB)
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = serverless.DefaultTimeoutSeconds * time.Second
	}
	started := time.Now()
	limit := uint64(limitMB) << 20
	if ent.minMem > limit {
		return Outcome{
			Status:   serverless.ResultError,
			Error:    fmt.Sprintf("memory limit exceeded: the module needs at least %d MB, its limit is %d MB", (ent.minMem+(1<<20)-1)>>20, limitMB),
			Duration: time.Since(started),
		}, nil
	}

	// The timeout counts from when the guest gets a CPU; the wait for one
	// is bounded by the caller's context.
	if err := e.cpu.acquire(ctx); err != nil {
		return Outcome{}, err
	}
	runCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	logs := &logSink{max: e.cfg.MaxLogBytes}
	st := &runState{host: c.Host, logs: logs, slots: e.cpu, runCtx: runCtx, holding: true}
	defer func() {
		if st.holding {
			e.cpu.release()
		}
	}()
	out := &stdout{max: e.cfg.MaxOutputBytes, stop: cancel}
	alloc := &limitedAllocator{limit: limit}
	runCtx = context.WithValue(runCtx, runStateKey{}, st)
	runCtx = experimental.WithMemoryAllocator(runCtx, alloc)

	cfg := e.modConfig.
		WithStdin(bytes.NewReader(c.Stdin)).
		WithStdout(out).
		WithStderr(logs).
		WithArgs(c.Args...).
		WithNanosleep(sleeper(runCtx))
	for _, k := range slices.Sorted(maps.Keys(c.Environ)) {
		cfg = cfg.WithEnv(k, c.Environ[k])
	}

	mod, err := e.rt.InstantiateModule(runCtx, ent.mod, cfg)
	if mod != nil {
		_ = mod.Close(ctx)
	}
	o := Outcome{Stdout: out.buf, Logs: logs.finish(), Duration: time.Since(started)}
	o.Status, o.Error = classify(ctx, runCtx, err, out, alloc, limitMB, timeout)
	return o, nil
}

// baseModuleConfig is what every run's ModuleConfig starts from.
func baseModuleConfig() wazero.ModuleConfig {
	return wazero.NewModuleConfig().
		WithName(""). // anonymous: many instances of one module at once
		WithRandSource(rand.Reader).
		WithSysWalltime().
		WithSysNanotime().
		WithOsyield(runtime.Gosched)
}

// sleeper is a guest's sleep (WASI poll_oneoff on a clock): real time,
// but cut short when the run ends, so a sleeping function is stopped by
// its timeout like a busy one.
func sleeper(ctx context.Context) func(ns int64) {
	return func(ns int64) {
		if ns <= 0 {
			return
		}
		t := time.NewTimer(time.Duration(ns))
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
		}
	}
}

// classify turns how the run ended into a status and an error message.
func classify(ctx, runCtx context.Context, err error, out *stdout, alloc *limitedAllocator, limitMB int, timeout time.Duration) (string, string) {
	memNote := func(msg string) string {
		if alloc.refused.Load() {
			return fmt.Sprintf("memory limit of %d MB exceeded (%s)", limitMB, msg)
		}
		return msg
	}
	var exit *sys.ExitError
	switch {
	case out.over:
		return serverless.ResultError, fmt.Sprintf("output exceeds %d bytes", out.max)
	case err == nil:
		return serverless.ResultSuccess, ""
	case errors.Is(runCtx.Err(), context.DeadlineExceeded):
		return serverless.ResultTimeout, fmt.Sprintf("timed out after %s", timeout)
	case ctx.Err() != nil:
		return serverless.ResultError, "invocation canceled: " + ctx.Err().Error()
	case errors.As(err, &exit):
		return serverless.ResultError, memNote(fmt.Sprintf("exit code %d", exit.ExitCode()))
	default:
		return serverless.ResultError, memNote(trapMessage(err))
	}
}

// trapMessage is wazero's message without the "module[] function[_start]
// failed: " prefix, bounded.
func trapMessage(err error) string {
	msg := err.Error()
	if _, rest, ok := strings.Cut(msg, " failed: "); ok && strings.HasPrefix(msg, "module[") {
		msg = rest
	}
	if len(msg) > maxErrorLen {
		msg = strings.ToValidUTF8(msg[:maxErrorLen], "") + "…"
	}
	return msg
}
