package pluginmgr

import (
	"context"
	"sync/atomic"
	"time"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// instance is one running plugin process.
type instance struct {
	client   *goplugin.Client
	conn     *grpc.ClientConn // the plugin connection (interceptors count calls)
	backend  dispensed
	pid      int
	version  string
	driver   string
	sup      *supervisor  // owner, to find the successor once retired
	inflight atomic.Int64 // calls in progress through this instance
	retired  atomic.Bool  // an upgrade replaced it; no new calls
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
		return i.client.Exited()
	}
}

// retire stops new calls and waits until none is in progress or ctx is
// done. Calls that find it retired go to the successor.
func (i *instance) retire(ctx context.Context) {
	i.retired.Store(true)
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

// stop closes the backend (bounded by ctx) and ends the process.
func (i *instance) stop(ctx context.Context) {
	if !i.exited() {
		_ = i.backend.Close(ctx)
	}
	i.client.Kill()
}
