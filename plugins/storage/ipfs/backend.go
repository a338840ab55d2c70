package ipfs

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/ipfs/go-cid"
	"github.com/orama-network/orama/plugins/storage/driver"
	"github.com/orama-network/orama/plugins/storage/registry"
)

// backend is a configured Store: the registry, the driver and what runs
// beside them.
type backend struct {
	cfg    Config
	log    hclog.Logger
	reg    *registry.Registry
	drv    driver.Driver
	locks  keyedMutex
	flight *flight
	// unpins counts driver unpins, before and after each: an upload
	// that the driver pinned in its import checks, under the CID's
	// lock, that no unpin ran meanwhile (which may have dropped that pin).
	unpins atomic.Uint64

	life   context.Context // ends at Close: streams and the GC loop stop
	stop   context.CancelFunc
	gcDone chan struct{} // closed when the GC loop has returned
}

// callCtx derives a call's context: it ends with the caller's, or when
// the backend closes.
func (b *backend) callCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(b.life, cancel)
	return ctx, func() { stop(); cancel() }
}

// close stops the GC loop and streams, waits for calls in flight (until
// ctx ends) and closes the driver and the registry. It tolerates a
// half-opened backend.
func (b *backend) close(ctx context.Context) error {
	b.stop()
	select {
	case <-b.flight.close():
	case <-ctx.Done():
		b.log.Warn("storage close: calls still running", "error", ctx.Err())
	}
	select {
	case <-b.gcDone:
	case <-ctx.Done():
	}
	var errs []error
	if b.drv != nil {
		errs = append(errs, b.drv.Close(ctx))
	}
	if b.reg != nil {
		errs = append(errs, b.reg.Close())
	}
	return errors.Join(errs...)
}

// pinLister is implemented by drivers whose pins all belong to this
// plugin (the embedded driver), so the ones no namespace holds can go.
type pinLister interface {
	Pinned(ctx context.Context) ([]cid.Cid, error)
}

// reconcile drops driver pins that no namespace holds: what a crash
// between the two writes of a pin or an unpin can leave behind.
func (b *backend) reconcile(ctx context.Context) error {
	pl, ok := b.drv.(pinLister)
	if !ok {
		return nil
	}
	pinned, err := pl.Pinned(ctx)
	if err != nil {
		return err
	}
	held, err := b.reg.CIDs(ctx)
	if err != nil {
		return err
	}
	keep := make(map[string]bool, len(held))
	for _, c := range held {
		keep[c] = true
	}
	for _, c := range pinned {
		if keep[c.String()] {
			continue
		}
		b.log.Warn("dropping a driver pin no namespace holds", "cid", c.String())
		if err := b.drv.Unpin(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

// gcLoop runs the driver's GC every gc_interval until the backend
// closes. A run that cannot start within one interval (imports kept the
// store busy) is skipped.
func (b *backend) gcLoop() {
	defer close(b.gcDone)
	col := b.drv.(driver.Collector)
	t := time.NewTicker(b.cfg.gcInterval)
	defer t.Stop()
	for {
		select {
		case <-b.life.Done():
			return
		case <-t.C:
		}
		if !b.flight.enter() {
			return
		}
		ctx, cancel := context.WithTimeout(b.life, b.cfg.gcInterval)
		res, err := runGC(ctx, col)
		cancel()
		b.flight.leave()
		if err != nil {
			b.log.Warn("gc", "error", err)
			continue
		}
		b.log.Info("gc", "kept", res.Kept, "removed", res.Removed)
	}
}
