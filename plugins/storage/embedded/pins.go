package embedded

import (
	"context"
	"errors"

	ipfspinner "github.com/ipfs/boxo/pinning/pinner"
	"github.com/ipfs/go-cid"
	"github.com/orama-network/orama/plugins/storage/driver"
	"github.com/orama-network/orama/sdk/storage"
)

// Pin pins c recursively. Every block of the DAG must be here: a missing
// one is not_found and leaves no pin. Replication does not apply.
func (s *Store) Pin(ctx context.Context, c cid.Cid, spec driver.PinSpec) error {
	defer s.Hold()()
	nd, err := s.root(ctx, c)
	if err != nil {
		return err
	}
	if err := s.pins.Pin(ctx, nd, true, spec.Name); err != nil {
		return blockError(err)
	}
	return nil
}

// Unpin drops c's recursive pin, if any.
func (s *Store) Unpin(ctx context.Context, c cid.Cid) error {
	err := s.pins.Unpin(ctx, c, true)
	if errors.Is(err, ipfspinner.ErrNotPinned) {
		return nil
	}
	return err
}

// Placement reports pinned (held by this node) or unpinned.
func (s *Store) Placement(ctx context.Context, c cid.Cid) (driver.Placement, error) {
	_, pinned, err := s.pins.IsPinnedWithType(ctx, c, ipfspinner.Recursive)
	if err != nil {
		return driver.Placement{}, err
	}
	if !pinned {
		return driver.Placement{Status: storage.StatusUnpinned}, nil
	}
	return driver.Placement{Status: storage.StatusPinned, Peers: []string{s.opts.PeerName}}, nil
}

// Pinned lists the recursive pins.
func (s *Store) Pinned(ctx context.Context) ([]cid.Cid, error) {
	var cids []cid.Cid
	for p := range s.pins.RecursiveKeys(ctx, false) {
		if p.Err != nil {
			return nil, p.Err
		}
		cids = append(cids, p.Pin.Key)
	}
	return cids, nil
}
