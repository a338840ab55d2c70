package pluginmgr

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"sync"
	"sync/atomic"
	"time"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health/grpc_health_v1"
)

// instance is one running plugin process.
type instance struct {
	client   *goplugin.Client
	cmd      *exec.Cmd        // the process go-plugin started (cmd.Process once started)
	conn     *grpc.ClientConn // the plugin connection (interceptors count calls)
	backend  dispensed
	pid      int
	version  string
	driver   string
	sup      *supervisor  // owner, to find the successor once retired
	inflight atomic.Int64 // calls in progress through this instance
	retired  atomic.Bool  // an upgrade replaced it; no new calls

	subsMu    sync.Mutex
	subs      map[*context.CancelFunc]struct{} // subscriptions open through this instance
	subsEnded bool                             // retire ended them; new ones go to the successor

	// Test hooks: when set they replace the real liveness probe and kill.
	probe     func(ctx context.Context) error
	forceKill func()
}

// enter marks a call in progress and reports true, or reports false when
// the instance is retired. After true, release must follow.
func (i *instance) enter() bool {
	i.inflight.Add(1)
	if i.retired.Load() {
		i.inflight.Add(-1)
		return false
	}
	return true
}

func (i *instance) release() { i.inflight.Add(-1) }

// exited reports whether the process is gone.
func (i *instance) exited() bool {
	select {
	case <-i.backend.Done():
		return true
	default:
		return i.client == nil || i.client.Exited()
	}
}

// retire stops new calls and waits until none is in progress or ctx is
// done. Calls that find it retired go to the successor.
//
// Subscriptions (the kind's long-lived streams) are not waited for: they
// are ended at once, so that their callers subscribe again, on the
// successor, within moments instead of after the drain bound.
func (i *instance) retire(ctx context.Context) {
	i.retired.Store(true)
	i.endSubscriptions()
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for i.inflight.Load() > 0 {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// errNoConn is the liveness answer of an instance without a connection.
var errNoConn = errors.New("no plugin connection")

// alive is the liveness probe: the plugin process's gRPC server answers
// the standard health service that go-plugin registers in every plugin
// (service "plugin"), within ctx. No plugin code runs for it, so it says
// only whether the process is there and scheduled, not whether its backend
// or its dependencies are well: that is readiness, the plugin's own
// Health.
func (i *instance) alive(ctx context.Context) error {
	if i.probe != nil {
		return i.probe(ctx)
	}
	if i.conn == nil {
		return errNoConn
	}
	_, err := grpc_health_v1.NewHealthClient(i.conn).Check(ctx,
		&grpc_health_v1.HealthCheckRequest{Service: goplugin.GRPCServiceName}, grpc.WaitForReady(false))
	return err
}

// kill ends the process at once: SIGKILL to the pid, then go-plugin reaps
// it and its goroutines. go-plugin's own Kill first asks the plugin to
// shut down over gRPC and waits for the answer, which a hung process
// (SIGSTOP, deadlock) never sends; after SIGKILL that request fails at
// once. Calls in flight on the connection fail with unavailable as the
// connection breaks.
func (i *instance) kill() {
	if i.forceKill != nil {
		i.forceKill()
		return
	}
	i.sigkill()
	if i.client != nil {
		i.client.Kill()
	}
}

// sigkill sends SIGKILL to the process if it was started and not yet
// reaped (os.Process signals through a pidfd where the kernel has them, so
// a reused pid is never hit).
func (i *instance) sigkill() {
	if i.cmd == nil || i.cmd.Process == nil {
		return
	}
	if err := i.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) && i.sup != nil {
		i.sup.log.Debug("SIGKILL", "pid", i.cmd.Process.Pid, "error", err)
	}
}

// stop closes the backend (bounded by ctx) and ends the process: politely
// (go-plugin's Kill) while ctx lasts, with SIGKILL once it is done.
func (i *instance) stop(ctx context.Context) {
	if !i.exited() {
		_ = i.backend.Close(ctx)
	}
	if i.forceKill != nil {
		i.forceKill()
		return
	}
	if i.client == nil {
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		i.client.Kill()
	}()
	select {
	case <-done:
	case <-ctx.Done():
		i.sigkill()
		<-done
	}
}

// trackSubscription registers the cancel of a subscription's stream; false
// when the instance's subscriptions were ended already (retired).
func (i *instance) trackSubscription(cancel *context.CancelFunc) bool {
	i.subsMu.Lock()
	defer i.subsMu.Unlock()
	if i.subsEnded {
		return false
	}
	if i.subs == nil {
		i.subs = map[*context.CancelFunc]struct{}{}
	}
	i.subs[cancel] = struct{}{}
	return true
}

func (i *instance) untrackSubscription(cancel *context.CancelFunc) {
	i.subsMu.Lock()
	delete(i.subs, cancel)
	i.subsMu.Unlock()
}

// endSubscriptions cancels every open subscription; later ones go to the
// successor.
func (i *instance) endSubscriptions() {
	i.subsMu.Lock()
	i.subsEnded = true
	subs := i.subs
	i.subs = nil
	i.subsMu.Unlock()
	for cancel := range subs {
		(*cancel)()
	}
}
