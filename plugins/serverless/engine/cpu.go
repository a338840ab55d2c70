package engine

import (
	"context"
	"runtime"

	"github.com/orama-network/orama/sdk"
)

// Guest code cannot be preempted by the Go scheduler: a goroutine running
// compiled WASM keeps its P (its share of GOMAXPROCS) until the guest
// returns or calls the host. With as many busy guests as Ps, nothing else
// in the process runs — not the gRPC server, not its health service — and
// the host, seeing a plugin that no longer answers its liveness probe,
// kills it: one tenant's CPU-bound functions would take every tenant's
// functions down. So at most MaxRunning guests run guest code at once,
// and New raises GOMAXPROCS above that, leaving a P for the rest of the
// process: with more Ps than CPUs the kernel's scheduler time-slices the
// threads, so the gRPC server gets a CPU within milliseconds however busy
// the guests are. An invocation waiting in a host function (a database
// query, a fetch) gives its slot up meanwhile. A guest holds its slot
// until it returns, at most its timeout: with every slot held by long
// CPU-bound functions, others wait in order.

// cpuSlots bounds the goroutines running guest code.
type cpuSlots chan struct{}

func newCPUSlots(n int) cpuSlots {
	if runtime.GOMAXPROCS(0) < n+1 {
		runtime.GOMAXPROCS(n + 1)
	}
	return make(cpuSlots, n)
}

// acquire takes a slot, waiting at most until ctx ends. Errors:
// unavailable.
func (s cpuSlots) acquire(ctx context.Context) error {
	select {
	case s <- struct{}{}:
		return nil
	default:
	}
	select {
	case s <- struct{}{}:
		return nil
	case <-ctx.Done():
		return sdk.Errorf(sdk.CodeUnavailable, "no CPU for the invocation before it was canceled: %v", ctx.Err())
	}
}

func (s cpuSlots) release() { <-s }

// wait runs f, a host call that may wait (on the network, another
// plugin), without the run's CPU slot, and takes a slot again before the
// guest goes on. If the run ends meanwhile the guest goes on without one:
// wazero stops it at its next check of the run's context.
func (c *hostCall) wait(f func()) {
	if c.slots == nil || !c.holding {
		f()
		return
	}
	c.slots.release()
	c.holding = false
	f()
	if c.slots.acquire(c.runCtx) == nil {
		c.holding = true
	}
}
