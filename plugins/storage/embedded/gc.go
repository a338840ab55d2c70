package embedded

import (
	"context"
	"fmt"
	"time"

	ipfspinner "github.com/ipfs/boxo/pinning/pinner"
	"github.com/ipfs/go-cid"
	"github.com/orama-network/orama/plugins/storage/driver"
	"github.com/orama-network/orama/sdk"
)

// gcRetry is how often GC tries again for the lock that imports hold.
const gcRetry = 20 * time.Millisecond

// GC deletes every block that no pin reaches. It waits (until ctx ends)
// for a moment when no import or pin is running, and holds them off
// while it marks and sweeps. Errors: unavailable when ctx ends first.
func (s *Store) GC(ctx context.Context) (driver.GCResult, error) {
	if err := s.lockForGC(ctx); err != nil {
		return driver.GCResult{}, err
	}
	defer s.gc.Unlock()

	live, err := s.mark(ctx)
	if err != nil {
		return driver.GCResult{}, fmt.Errorf("gc mark: %w", err)
	}
	listCtx, cancel := context.WithCancel(ctx)
	defer cancel() // ends the listing if the sweep stops early
	keys, keysErr, err := s.bs.AllKeysChanWithErr(listCtx)
	if err != nil {
		return driver.GCResult{}, fmt.Errorf("gc list blocks: %w", err)
	}
	var res driver.GCResult
	for k := range keys {
		if _, ok := live[string(k.Hash())]; ok {
			res.Kept++
			continue
		}
		if err := s.bs.DeleteBlock(ctx, k); err != nil {
			return res, fmt.Errorf("gc delete %s: %w", k, err)
		}
		res.Removed++
	}
	if err := keysErr(); err != nil {
		return res, fmt.Errorf("gc list blocks: %w", err)
	}
	return res, ctx.Err()
}

func (s *Store) lockForGC(ctx context.Context) error {
	t := time.NewTicker(gcRetry)
	defer t.Stop()
	for !s.gc.TryLock() {
		select {
		case <-ctx.Done():
			return sdk.Errorf(sdk.CodeUnavailable, "gc: imports or pins kept the store busy: %v", ctx.Err())
		case <-t.C:
		}
	}
	return nil
}

// mark returns the multihashes of every block reachable from a pin.
// Raw leaves have no links and are not read.
func (s *Store) mark(ctx context.Context) (map[string]struct{}, error) {
	live := map[string]struct{}{}
	var stack []cid.Cid
	for _, keys := range []<-chan ipfspinner.StreamedPin{s.pins.RecursiveKeys(ctx, false), s.pins.DirectKeys(ctx, false)} {
		for p := range keys {
			if p.Err != nil {
				return nil, p.Err
			}
			stack = append(stack, p.Pin.Key)
		}
	}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		h := string(c.Hash())
		if _, ok := live[h]; ok {
			continue
		}
		live[h] = struct{}{}
		if c.Type() == cid.Raw {
			continue
		}
		nd, err := s.dag.Get(ctx, c)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c, err)
		}
		for _, l := range nd.Links() {
			stack = append(stack, l.Cid)
		}
	}
	return live, nil
}
