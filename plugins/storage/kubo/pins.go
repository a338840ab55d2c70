package kubo

import (
	"context"
	"errors"
	"strings"

	"github.com/ipfs/boxo/path"
	"github.com/ipfs/go-cid"
	"github.com/ipfs/kubo/core/coreiface/options"
	"github.com/orama-network/orama/plugins/storage/cluster"
	"github.com/orama-network/orama/plugins/storage/driver"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/storage"
)

// Pin pins c recursively on kubo, or through the cluster with the spec's
// replication. A cluster pin is asynchronous, so c's root must first be
// reachable from kubo: not_found otherwise.
func (d *Driver) Pin(ctx context.Context, c cid.Cid, spec driver.PinSpec) error {
	if d.cluster != nil {
		if _, err := d.Size(ctx, c); err != nil {
			return err
		}
		_, err := d.cluster.Pin(ctx, c.String(), cluster.PinOptions{
			Name: spec.Name, ReplicationMin: spec.ReplicationMin, ReplicationMax: spec.ReplicationMax,
		})
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, d.opts.Timeout)
	defer cancel()
	err := d.api.Pin().Add(ctx, path.FromCid(c), options.Pin.Recursive(true), options.Pin.Name(spec.Name))
	if err != nil {
		return kuboError("pin/add", err)
	}
	return nil
}

// Unpin drops c's recursive pin on kubo, or its cluster pin.
func (d *Driver) Unpin(ctx context.Context, c cid.Cid) error {
	if d.cluster != nil {
		_, err := d.cluster.Unpin(ctx, c.String())
		var se *sdk.Error
		if errors.As(err, &se) && se.Code == sdk.CodeNotFound {
			return nil
		}
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, d.opts.Timeout)
	defer cancel()
	err := d.api.Pin().Rm(ctx, path.FromCid(c), options.Pin.RmRecursive(true))
	if err != nil && strings.Contains(err.Error(), "not pinned") {
		return nil
	}
	if err != nil {
		return kuboError("pin/rm", err)
	}
	return nil
}

// Placement is kubo's recursive pin (held by the kubo node), or the
// cluster's peer map condensed.
func (d *Driver) Placement(ctx context.Context, c cid.Cid) (driver.Placement, error) {
	if d.cluster != nil {
		g, err := d.cluster.Status(ctx, c.String())
		if err != nil {
			return driver.Placement{}, err
		}
		s := g.Summary()
		return driver.Placement{Status: s.Status, Peers: s.Peers, Error: s.Error}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, d.opts.Timeout)
	defer cancel()
	_, pinned, err := d.api.Pin().IsPinned(ctx, path.FromCid(c), options.Pin.IsPinned.Recursive())
	if err != nil {
		return driver.Placement{}, kuboError("pin/ls", err)
	}
	if !pinned {
		return driver.Placement{Status: storage.StatusUnpinned}, nil
	}
	return driver.Placement{Status: storage.StatusPinned, Peers: []string{d.peerID}}, nil
}
