package pluginmgr

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orama-network/orama/host/internal/config"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/grpc"
)

// fakeBackend is a plugin whose Health the test controls.
type fakeBackend struct {
	health  func(ctx context.Context) (plugin.Health, error)
	metrics func(ctx context.Context) ([]*dto.MetricFamily, error) // nil: none
	calls   atomic.Int64
	done    chan struct{}
	closeMu sync.Once
}

func newFakeBackend(health func(ctx context.Context) (plugin.Health, error)) *fakeBackend {
	return &fakeBackend{health: health, done: make(chan struct{})}
}

func (f *fakeBackend) Info(context.Context) (plugin.Info, error) {
	return plugin.Info{Kind: "cache", Name: "fake"}, nil
}
func (f *fakeBackend) ValidateConfig(context.Context, plugin.Config) error { return nil }
func (f *fakeBackend) Configure(context.Context, plugin.Config) error      { return nil }
func (f *fakeBackend) Health(ctx context.Context) (plugin.Health, error) {
	f.calls.Add(1)
	return f.health(ctx)
}
func (f *fakeBackend) Readiness(ctx context.Context) (plugin.Health, error) { return f.Health(ctx) }
func (f *fakeBackend) Close(context.Context) error                          { return nil }
func (f *fakeBackend) Done() <-chan struct{}                                { return f.done }
func (f *fakeBackend) SetHostServer(func([]grpc.ServerOption) *grpc.Server) {}
func (f *fakeBackend) Metrics(ctx context.Context) ([]*dto.MetricFamily, error) {
	if f.metrics == nil {
		return nil, nil
	}
	return f.metrics(ctx)
}

// exit closes Done, as go-plugin does when the process is gone.
func (f *fakeBackend) exit() { f.closeMu.Do(func() { close(f.done) }) }

// fastSupervision shortens the supervision timings for one test.
func fastSupervision(t *testing.T) {
	li, lt, lf, ri, rt := livenessInterval, livenessTimeout, livenessFailures, readinessInterval, readinessTimeout
	livenessInterval, livenessTimeout, livenessFailures = 5*time.Millisecond, 50*time.Millisecond, 3
	readinessInterval, readinessTimeout = 5*time.Millisecond, 50*time.Millisecond
	t.Cleanup(func() {
		livenessInterval, livenessTimeout, livenessFailures, readinessInterval, readinessTimeout = li, lt, lf, ri, rt
	})
}

// watched is a supervisor watching one fake instance.
type watched struct {
	s       *supervisor
	inst    *instance
	backend *fakeBackend
	probes  atomic.Int64 // liveness probes
	kills   atomic.Int64
	ended   chan struct{} // closed when watch returns
	crashed bool          // watch's result, once ended
}

// watchFake serves a fake instance whose liveness probe is alive and
// whose readiness is health, and starts watching it.
func watchFake(t *testing.T, alive func(ctx context.Context) error, health func(ctx context.Context) (plugin.Health, error)) *watched {
	t.Helper()
	s := newSupervisor(New(Options{}), &config.Plugin{Kind: "cache"})
	w := &watched{s: s, backend: newFakeBackend(health), ended: make(chan struct{})}
	w.inst = &instance{backend: w.backend, pid: 4242, sup: s,
		probe: func(ctx context.Context) error {
			w.probes.Add(1)
			return alive(ctx)
		},
		forceKill: func() {
			w.kills.Add(1)
			w.backend.exit()
		},
	}
	s.serve(w.inst)
	go func() {
		w.crashed = s.watch(w.inst)
		close(w.ended)
	}()
	t.Cleanup(func() {
		s.cancel()
		select {
		case <-w.ended:
		case <-time.After(time.Minute):
			t.Error("watch did not return after stop")
		}
	})
	return w
}

// waitFor polls cond for up to a generous bound (not a timing assertion).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func answers(context.Context) error { return nil }

func neverAnswers(ctx context.Context) error {
	<-ctx.Done()
	return ctx.Err()
}

// TestSupervisorDegradedPluginIsNeverKilled: a plugin whose process
// answers but whose own health is not ok — it says so, fails, or does not
// answer in time because a dependency is slow — is shown degraded, keeps
// its traffic and is never killed or restarted, however long it lasts. It
// is running again once its health is ok. (Before, every not-ok health
// counted as a failed ping and the plugin was killed after three.)
func TestSupervisorDegradedPluginIsNeverKilled(t *testing.T) {
	cases := map[string]func(ctx context.Context) (plugin.Health, error){
		"reports not ok": func(context.Context) (plugin.Health, error) {
			return plugin.Health{Driver: "database", Detail: "database: slow"}, nil
		},
		"returns an error": func(context.Context) (plugin.Health, error) {
			return plugin.Health{}, sdk.Errorf(sdk.CodeUnavailable, "database plugin is restarting")
		},
		"does not answer in time": func(ctx context.Context) (plugin.Health, error) {
			<-ctx.Done()
			return plugin.Health{}, ctx.Err()
		},
	}
	for name, unhealthy := range cases {
		t.Run(name, func(t *testing.T) {
			fastSupervision(t)
			var ok atomic.Bool
			w := watchFake(t, answers, func(ctx context.Context) (plugin.Health, error) {
				if ok.Load() {
					return plugin.Health{OK: true, Driver: "fake"}, nil
				}
				return unhealthy(ctx)
			})
			waitFor(t, "state degraded", func() bool { return w.s.snapshot().State == StateDegraded })
			// Many more readiness and liveness rounds than it takes to kill
			// a process that does not answer.
			before := w.backend.calls.Load()
			waitFor(t, "20 more readiness probes", func() bool { return w.backend.calls.Load() >= before+20 })
			waitFor(t, "liveness probes", func() bool { return w.probes.Load() >= int64(10*livenessFailures) })
			st := w.s.snapshot()
			if w.kills.Load() != 0 || st.Restarts != 0 {
				t.Fatalf("degraded plugin killed %d times, restarts %d", w.kills.Load(), st.Restarts)
			}
			if st.State != StateDegraded || st.Healthy || st.Detail == "" || st.PID != 4242 || !st.Up() {
				t.Fatalf("status of a degraded plugin: %+v", st)
			}
			select {
			case <-w.ended:
				t.Fatalf("watch ended (crashed=%v) for a plugin that answers", w.crashed)
			default:
			}
			if got, err := w.s.current(context.Background()); err != nil || got != w.inst {
				t.Fatalf("degraded plugin does not take traffic: %v %v", got, err)
			}
			ok.Store(true)
			waitFor(t, "state running", func() bool { return w.s.snapshot().State == StateRunning })
			if st := w.s.snapshot(); !st.Healthy || st.Detail != "" || st.Driver != "fake" {
				t.Fatalf("status once healthy again: %+v", st)
			}
			if w.kills.Load() != 0 {
				t.Fatal("plugin killed")
			}
		})
	}
}

// TestSupervisorKillsProcessThatDoesNotAnswer: a process that answers
// nothing (SIGSTOP, deadlock) is killed after livenessFailures unanswered
// probes — although it never exits on its own — and taken out of service
// first, so callers get unavailable at once instead of waiting on it.
func TestSupervisorKillsProcessThatDoesNotAnswer(t *testing.T) {
	fastSupervision(t)
	w := watchFake(t, neverAnswers, func(ctx context.Context) (plugin.Health, error) {
		<-ctx.Done()
		return plugin.Health{}, ctx.Err()
	})
	select {
	case <-w.ended:
	case <-time.After(time.Minute):
		t.Fatal("a plugin that answers nothing was never killed")
	}
	if !w.crashed {
		t.Fatal("watch reported a stop, not a crash")
	}
	if n := w.kills.Load(); n != 1 {
		t.Fatalf("killed %d times, want 1", n)
	}
	if n := w.probes.Load(); n < int64(livenessFailures) {
		t.Fatalf("killed after %d probes, want at least %d", n, livenessFailures)
	}
	st := w.s.snapshot()
	if st.Restarts != 1 || st.State != StateRestarting || st.PID != 0 {
		t.Fatalf("status after the kill: %+v", st)
	}
	if _, err := w.s.current(context.Background()); !isUnavailable(err) {
		t.Fatalf("call after the kill: %v, want unavailable", err)
	}
}

// TestSupervisorLivenessRecovers: unanswered probes must be consecutive; a
// process that misses fewer than livenessFailures in a row and answers
// again is left alone.
func TestSupervisorLivenessRecovers(t *testing.T) {
	fastSupervision(t)
	var n atomic.Int64
	w := watchFake(t, func(ctx context.Context) error {
		if n.Add(1)%int64(livenessFailures) == 0 {
			return nil // every livenessFailures-th probe answers
		}
		return neverAnswers(ctx)
	}, func(context.Context) (plugin.Health, error) { return plugin.Health{OK: true}, nil })
	waitFor(t, "many probes", func() bool { return n.Load() >= int64(8*livenessFailures) })
	if k := w.kills.Load(); k != 0 {
		t.Fatalf("killed %d times although no %d probes in a row went unanswered", k, livenessFailures)
	}
}
