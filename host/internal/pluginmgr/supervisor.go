package pluginmgr

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/host/internal/config"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
)

// Supervision timings. They are variables so tests can shorten them.
//
// Liveness and readiness are probed apart. Liveness is the process itself
// answering go-plugin's gRPC health service (no plugin code involved):
// livenessFailures probes in a row without an answer within
// livenessTimeout (about 1.2 s of silence) and the process is SIGKILLed
// and relaunched. Readiness is the plugin's own Health (its backend and
// its dependencies): a plugin that answers not OK, with an error or not
// within readinessTimeout is shown degraded and keeps its traffic; it is
// never restarted for that, so a slow database does not take the plugins
// that depend on it down with it.
var (
	livenessInterval  = 200 * time.Millisecond
	livenessTimeout   = 400 * time.Millisecond
	livenessFailures  = 3 // consecutive unanswered liveness probes before SIGKILL
	readinessInterval = time.Second
	readinessTimeout  = 2 * time.Second
	backoffMin        = 100 * time.Millisecond
	backoffMax        = 30 * time.Second
	backoffReset      = 10 * time.Second // healthy this long → next crash restarts at once
	launchTimeout     = 30 * time.Second
	closeTimeout      = 5 * time.Second
	drainTimeout      = 30 * time.Second
)

// upgradeReq asks a supervisor to move to a new plugin block.
type upgradeReq struct {
	cfg  *config.Plugin
	done chan error
}

// supervisor keeps one instance of one plugin serving.
type supervisor struct {
	m       *Manager
	kind    string
	log     hclog.Logger
	ctx     context.Context // cancelled by stop
	cancel  context.CancelFunc
	upgrade chan upgradeReq
	done    chan struct{}

	mu      sync.Mutex
	cfg     *config.Plugin
	cur     *instance     // nil while down
	handoff *handoffCache // while an upgrade moves the cache's entries
	everUp  bool          // an instance has served at least once
	firstUp chan struct{} // closed when the first instance serves
	status  Status
}

func newSupervisor(m *Manager, p *config.Plugin) *supervisor {
	ctx, cancel := context.WithCancel(context.Background())
	return &supervisor{
		m: m, kind: p.Kind, log: m.log.Named(p.Kind), cfg: p,
		ctx: ctx, cancel: cancel,
		upgrade: make(chan upgradeReq),
		done:    make(chan struct{}),
		firstUp: make(chan struct{}),
		status:  Status{Name: p.Kind, Kind: p.Kind, State: StateStarting, Since: time.Now()},
	}
}

// run is the supervisor goroutine: launch, watch, relaunch with backoff.
func (s *supervisor) run() {
	defer close(s.done)
	var backoff time.Duration
	for {
		s.mu.Lock()
		cfg := s.cfg
		s.mu.Unlock()
		inst, err := s.launch(cfg)
		if err != nil {
			if s.ctx.Err() != nil {
				return
			}
			s.setState(StateFailed, err.Error())
			s.logLaunchError(cfg, err)
			if !s.sleep(backoff) {
				return
			}
			backoff = nextBackoff(backoff)
			continue
		}
		s.serve(inst)
		upSince := time.Now()
		crashed := s.watch(inst)
		if !crashed {
			return
		}
		if time.Since(upSince) >= backoffReset {
			backoff = 0
		}
		if !s.sleep(backoff) {
			return
		}
		backoff = nextBackoff(backoff)
	}
}

func nextBackoff(d time.Duration) time.Duration {
	if d == 0 {
		return backoffMin
	}
	return min(2*d, backoffMax)
}

func (s *supervisor) launch(cfg *config.Plugin) (*instance, error) {
	ctx, cancel := context.WithTimeout(s.ctx, launchTimeout)
	defer cancel()
	inst, err := launch(ctx, cfg, s.m.launchOptions(s.kind, s.log))
	if err != nil {
		return nil, err
	}
	inst.sup = s
	return inst, nil
}

func (s *supervisor) logLaunchError(cfg *config.Plugin, err error) {
	var ce plugin.ConfigError
	if errors.As(err, &ce) {
		s.log.Error("plugin rejected its configuration", "diagnostics", config.DiagnosticsText(cfg.FieldDiagnostics(ce)))
		return
	}
	s.log.Error("plugin failed to start", "path", cfg.Path, "error", err)
}

// serve makes inst the serving instance.
func (s *supervisor) serve(inst *instance) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cur = inst
	s.status.PID, s.status.Version, s.status.Driver = inst.pid, inst.version, inst.driver
	s.status.Healthy, s.status.Detail = true, ""
	s.setStateLocked(StateRunning)
	if !s.everUp {
		s.everUp = true
		close(s.firstUp)
	}
	s.log.Info("plugin serving", "pid", inst.pid, "version", inst.version, "driver", inst.driver, "restarts", s.status.Restarts)
}

// readiness is the outcome of one readiness probe of inst.
type readiness struct {
	inst *instance
	h    plugin.Health
	err  error
}

// watch follows inst until it dies (true) or the supervisor stops (false).
// Upgrades are carried out here.
func (s *supervisor) watch(inst *instance) bool {
	live := time.NewTicker(livenessInterval)
	defer live.Stop()
	ready := time.NewTicker(readinessInterval)
	defer ready.Stop()
	results := make(chan readiness, 1)
	probing := false // a readiness probe is in flight
	failures := 0
	for {
		select {
		case <-s.ctx.Done():
			s.down(StateStopped, "stopped")
			ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
			inst.retire(ctx)
			inst.stop(ctx)
			cancel()
			return false
		case <-inst.backend.Done():
			s.crashed(inst, "plugin process exited")
			return true
		case req := <-s.upgrade:
			next, err := s.swap(inst, req.cfg)
			req.done <- err
			if err == nil {
				inst, failures = next, 0
			}
		case <-live.C:
			if s.alive(inst) {
				failures = 0
				continue
			}
			if failures++; failures >= livenessFailures {
				s.log.Error("plugin process does not answer; killing it (SIGKILL)", "pid", inst.pid,
					"unanswered_probes", failures, "probe_timeout", livenessTimeout)
				s.crashed(inst, "plugin process stopped answering")
				return true
			}
		case <-ready.C:
			if !probing {
				probing = true
				go s.probeReadiness(inst, results)
			}
		case r := <-results:
			probing = false
			if r.inst == inst {
				s.setReadiness(r.h, r.err)
			}
		}
	}
}

// alive runs one liveness probe, bounded by livenessTimeout.
func (s *supervisor) alive(inst *instance) bool {
	ctx, cancel := context.WithTimeout(s.ctx, livenessTimeout)
	defer cancel()
	err := inst.alive(ctx)
	if err != nil && s.ctx.Err() == nil {
		s.log.Warn("plugin liveness probe failed", "pid", inst.pid, "error", err)
	}
	return err == nil
}

// probeReadiness asks the plugin's own Health, bounded by readinessTimeout,
// and sends the outcome to out (which has room for it).
func (s *supervisor) probeReadiness(inst *instance, out chan<- readiness) {
	ctx, cancel := context.WithTimeout(s.ctx, readinessTimeout)
	defer cancel()
	h, err := inst.backend.Readiness(ctx)
	out <- readiness{inst: inst, h: h, err: err}
}

// setReadiness records a readiness outcome: running when the plugin
// reports OK, degraded (still serving) when it does not or cannot say.
func (s *supervisor) setReadiness(h plugin.Health, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return
	}
	switch {
	case err != nil:
		s.status.Healthy, s.status.Detail = false, "health check: "+sdk.AsError(err).Message
	case !h.OK:
		s.status.Healthy, s.status.Detail = false, h.Detail
	default:
		s.status.Healthy, s.status.Detail, s.status.Driver = true, "", h.Driver
	}
	if err == nil {
		s.status.Peers = h.Peers
	}
	switch {
	case !s.status.Healthy && s.status.State == StateRunning:
		s.log.Warn("plugin degraded: it answers but reports its backend or a dependency not ok; it keeps serving", "detail", s.status.Detail)
		s.setStateLocked(StateDegraded)
	case s.status.Healthy && s.status.State == StateDegraded:
		s.log.Info("plugin healthy again")
		s.setStateLocked(StateRunning)
	}
}

// crashed takes inst out of service and ends its process: first no new
// call reaches it (callers get unavailable at once), then SIGKILL, which
// fails the calls in flight on its connection.
func (s *supervisor) crashed(inst *instance, why string) {
	s.mu.Lock()
	s.status.Restarts++
	s.mu.Unlock()
	s.down(StateRestarting, why)
	inst.kill()
	s.log.Error("plugin crashed; restarting", "reason", why, "pid", inst.pid)
}

// down marks the plugin as not serving.
func (s *supervisor) down(state State, detail string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cur = nil
	s.status.PID, s.status.Healthy, s.status.Detail = 0, false, detail
	s.setStateLocked(state)
}

// sleep waits d, taking upgrades (new config for the next launch) meanwhile.
// It returns false when the supervisor stops.
func (s *supervisor) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		select {
		case <-s.ctx.Done():
			s.down(StateStopped, "stopped")
			return false
		case req := <-s.upgrade:
			s.mu.Lock()
			s.cfg = req.cfg
			s.mu.Unlock()
			req.done <- nil
			return true
		case <-t.C:
			return true
		}
	}
}

func (s *supervisor) setState(state State, detail string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status.Detail = detail
	s.setStateLocked(state)
}

func (s *supervisor) setStateLocked(state State) {
	if s.status.State != state {
		s.status.State, s.status.Since = state, time.Now()
	}
	if !s.status.Up() {
		s.status.Peers = nil // a plugin that is down knows no peers
	}
}

// current returns the serving instance. Before the first instance ever
// served it waits (bounded by ctx and the manager's upgrade wait); after
// that a plugin that is down answers unavailable at once.
func (s *supervisor) current(ctx context.Context) (*instance, error) {
	s.mu.Lock()
	inst, everUp, firstUp, state := s.cur, s.everUp, s.firstUp, s.status.State
	s.mu.Unlock()
	if inst != nil {
		return inst, nil
	}
	if !everUp && state == StateStarting {
		ctx, cancel := context.WithTimeout(ctx, s.m.upgradeWait)
		defer cancel()
		select {
		case <-firstUp:
			return s.current(ctx)
		case <-ctx.Done():
		}
	}
	return nil, sdk.Errorf(sdk.CodeUnavailable, "%s plugin is %s", s.kind, state)
}

func (s *supervisor) snapshot() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}
