package ipfs

import (
	"context"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/orama-network/orama/plugins/storage/driver"
	"github.com/orama-network/orama/plugins/storage/registry"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/storage"
)

// Pin pins cid in namespace: the driver pins it (content must be
// reachable), then the registry records it. Pinning again updates the
// name and replication and keeps the creation time. replication: 0 is the
// configured default, -1 every peer, n ≥ 1 exactly n peers.
//
// A CID is no key to another namespace's content: when other namespaces
// pin cid and this one does not, Pin is not_found, exactly as for absent
// content (a namespace that has the bytes uploads them, which pins them
// for it too). Content nobody pins (added to the node by other means, or
// unpinned and not yet collected) can be pinned by CID.
func (s *Store) Pin(ctx context.Context, namespace, cidStr, name string, replication int) (storage.PinStatus, error) {
	if err := storage.CheckNamespace(namespace); err != nil {
		return storage.PinStatus{}, err
	}
	c, err := storage.ParseCID(cidStr)
	if err != nil {
		return storage.PinStatus{}, err
	}
	if replication < -1 {
		return storage.PinStatus{}, sdk.Errorf(sdk.CodeInvalid, "replication must be -1 (every peer), 0 (the default) or a number of peers")
	}
	b, ctx, end, err := s.call(ctx)
	if err != nil {
		return storage.PinStatus{}, err
	}
	defer end()
	release := b.drv.Hold()
	defer release()
	return b.pin(ctx, namespace, c, name, replication, true)
}

// pin is Pin on a held backend, and reports the pin. byCID is a pin
// asked for by CID alone (Pin), refused when only other namespaces pin
// cid; Put's pin is not, since its caller has just sent the bytes.
func (b *backend) pin(ctx context.Context, namespace string, c cid.Cid, name string, replication int, byCID bool) (storage.PinStatus, error) {
	e, err := b.record(ctx, namespace, c, name, replication, byCID, nil)
	if err != nil {
		return storage.PinStatus{}, err
	}
	return b.status(ctx, c, e)
}

// record makes namespace's pin of c under c's lock: the driver pins it,
// then the registry records it. pinned (nil: false) reports that the
// driver already holds the pin (made in the import), which then is not
// asked for again.
func (b *backend) record(ctx context.Context, namespace string, c cid.Cid, name string, replication int, byCID bool, pinned func() bool) (registry.Entry, error) {
	key := c.String()
	defer b.locks.lock(key)()
	e := registry.Entry{Name: name, Created: time.Now().UTC(), ReplicationMin: b.cfg.ReplicationMin, ReplicationMax: b.cfg.ReplicationMax}
	if replication != 0 {
		e.ReplicationMin, e.ReplicationMax = replication, replication
	}
	holders, err := b.reg.Holders(ctx, key)
	if err != nil {
		return registry.Entry{}, registryError(err)
	}
	others, own := holders[:0], false
	for _, h := range holders {
		if h.Namespace == namespace {
			e.Created, own = h.Created, true
			continue
		}
		others = append(others, h)
	}
	if byCID && !own && len(others) > 0 {
		return registry.Entry{}, errNoContent(c)
	}
	if pinned == nil || !pinned() {
		spec := driverSpec(name, append(others, registry.Pin{Namespace: namespace, CID: key, Entry: e}))
		pctx, span := b.startSpan(ctx, "pin", namespace)
		if err := endSpan(span, -1, b.drv.Pin(pctx, c, spec)); err != nil {
			return registry.Entry{}, sdk.AsError(err)
		}
	}
	if err := b.reg.Put(ctx, namespace, key, e); err != nil {
		return registry.Entry{}, registryError(err)
	}
	metricPins.Inc()
	return e, nil
}

// Unpin removes namespace's pin of cid; the driver pin goes with the
// last namespace's. Errors: not_found when namespace has no such pin.
func (s *Store) Unpin(ctx context.Context, namespace, cidStr string) error {
	if err := storage.CheckNamespace(namespace); err != nil {
		return err
	}
	c, err := storage.ParseCID(cidStr)
	if err != nil {
		return err
	}
	b, ctx, end, err := s.call(ctx)
	if err != nil {
		return err
	}
	defer end()
	key := c.String()
	defer b.locks.lock(key)()

	holders, err := b.reg.Holders(ctx, key)
	if err != nil {
		return registryError(err)
	}
	var mine registry.Pin
	var others []registry.Pin
	for _, h := range holders {
		if h.Namespace == namespace {
			mine = h
		} else {
			others = append(others, h)
		}
	}
	if mine.Namespace == "" {
		return sdk.Errorf(sdk.CodeNotFound, "no pin of %s in this namespace", key)
	}
	if err := b.reg.Delete(ctx, namespace, key); err != nil {
		return registryError(err)
	}
	if len(others) == 0 {
		b.unpins.Add(1)
		err := b.drv.Unpin(ctx, c)
		b.unpins.Add(1)
		if err != nil {
			// Put the entry back so the caller can retry; the driver
			// pin is still there.
			if rerr := b.reg.Put(ctx, namespace, key, mine.Entry); rerr != nil {
				b.log.Error("unpin: restoring the registry entry failed", "cid", key, "namespace", namespace, "error", rerr)
			}
			return sdk.AsError(err)
		}
		metricUnpins.Inc()
		return nil
	}
	metricUnpins.Inc()
	before, after := driverSpec("", holders), driverSpec(others[0].Name, others)
	if before.ReplicationMin != after.ReplicationMin || before.ReplicationMax != after.ReplicationMax {
		if err := b.drv.Pin(ctx, c, after); err != nil {
			b.log.Warn("unpin: lowering the replication of a pin other namespaces hold failed", "cid", key, "error", err)
		}
	}
	return nil
}

// Status reports namespace's pin of cid as the driver sees it now.
// Errors: not_found when namespace has no such pin.
func (s *Store) Status(ctx context.Context, namespace, cidStr string) (storage.PinStatus, error) {
	if err := storage.CheckNamespace(namespace); err != nil {
		return storage.PinStatus{}, err
	}
	c, err := storage.ParseCID(cidStr)
	if err != nil {
		return storage.PinStatus{}, err
	}
	b, ctx, end, err := s.call(ctx)
	if err != nil {
		return storage.PinStatus{}, err
	}
	defer end()
	e, ok, err := b.reg.Get(ctx, namespace, c.String())
	if err != nil {
		return storage.PinStatus{}, registryError(err)
	}
	if !ok {
		return storage.PinStatus{}, sdk.Errorf(sdk.CodeNotFound, "no pin of %s in this namespace", c)
	}
	return b.status(ctx, c, e)
}

// Pins lists namespace's pins, oldest first, each with the driver's
// current view.
func (s *Store) Pins(ctx context.Context, namespace string) ([]storage.PinStatus, error) {
	if err := storage.CheckNamespace(namespace); err != nil {
		return nil, err
	}
	b, ctx, end, err := s.call(ctx)
	if err != nil {
		return nil, err
	}
	defer end()
	pins, err := b.reg.List(ctx, namespace)
	if err != nil {
		return nil, registryError(err)
	}
	out := make([]storage.PinStatus, 0, len(pins))
	for _, p := range pins {
		c, err := cid.Decode(p.CID)
		if err != nil {
			return nil, sdk.Errorf(sdk.CodeInternal, "pin registry holds a malformed CID %q", p.CID)
		}
		st, err := b.status(ctx, c, p.Entry)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

func (b *backend) status(ctx context.Context, c cid.Cid, e registry.Entry) (storage.PinStatus, error) {
	pl, err := b.drv.Placement(ctx, c)
	if err != nil {
		return storage.PinStatus{}, sdk.AsError(err)
	}
	return storage.PinStatus{
		CID:               c.String(),
		Name:              e.Name,
		Status:            pl.Status,
		ReplicationMin:    e.ReplicationMin,
		ReplicationMax:    e.ReplicationMax,
		ReplicationFactor: len(pl.Peers),
		Peers:             pl.Peers,
		Error:             pl.Error,
		Created:           e.Created,
	}, nil
}

// driverSpec is the one driver pin for all holders: the widest
// replication any of them asked for (-1, every peer, is widest).
func driverSpec(name string, holders []registry.Pin) driver.PinSpec {
	spec := driver.PinSpec{Name: name}
	for i, h := range holders {
		if i == 0 {
			spec.ReplicationMin, spec.ReplicationMax = h.ReplicationMin, h.ReplicationMax
			continue
		}
		spec.ReplicationMin = widest(spec.ReplicationMin, h.ReplicationMin)
		spec.ReplicationMax = widest(spec.ReplicationMax, h.ReplicationMax)
	}
	return spec
}

func widest(a, b int) int {
	if a == -1 || b == -1 {
		return -1
	}
	return max(a, b)
}

func registryError(err error) error {
	return sdk.Errorf(sdk.CodeInternal, "pin registry: %v", err)
}

// errNoContent is the not_found of content the namespace may not reach:
// worded like absent content, so a namespace cannot tell another's
// content from none.
func errNoContent(cid.Cid) error {
	return sdk.Errorf(sdk.CodeNotFound, "content not found")
}

// checkHolds is the check of every read by CID: not_found (errNoContent)
// unless namespace pins c. One registry lookup.
func (b *backend) checkHolds(ctx context.Context, namespace string, c cid.Cid) error {
	ok, err := b.reg.Has(ctx, namespace, c.String())
	if err != nil {
		return registryError(err)
	}
	if !ok {
		return errNoContent(c)
	}
	return nil
}

// holding is checkHolds that also returns namespace's pin entry.
func (b *backend) holding(ctx context.Context, namespace string, c cid.Cid) (registry.Entry, error) {
	e, ok, err := b.reg.Get(ctx, namespace, c.String())
	if err != nil {
		return registry.Entry{}, registryError(err)
	}
	if !ok {
		return registry.Entry{}, errNoContent(c)
	}
	return e, nil
}
