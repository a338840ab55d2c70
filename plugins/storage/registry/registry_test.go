package registry

import (
	"testing"
	"time"
)

func open(t *testing.T, dir string) *Registry {
	t.Helper()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

func TestPutGetListHoldersDelete(t *testing.T) {
	ctx := t.Context()
	r := open(t, t.TempDir())
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(r.Put(ctx, "a", "Qm2", Entry{Name: "two", Created: t0.Add(time.Second), ReplicationMin: -1, ReplicationMax: -1}))
	must(r.Put(ctx, "a", "Qm1", Entry{Name: "one", Created: t0, ReplicationMin: 2, ReplicationMax: 3}))
	must(r.Put(ctx, "b", "Qm1", Entry{Name: "b-one", Created: t0}))
	// "a-b" must not leak into "a"'s listing (key prefixes end at '/').
	must(r.Put(ctx, "a-b", "Qm9", Entry{Name: "other", Created: t0}))

	e, ok, err := r.Get(ctx, "a", "Qm1")
	if err != nil || !ok || e.Name != "one" || !e.Created.Equal(t0) || e.ReplicationMin != 2 || e.ReplicationMax != 3 {
		t.Errorf("Get = %+v, %v, %v", e, ok, err)
	}
	if _, ok, err := r.Get(ctx, "b", "Qm2"); ok || err != nil {
		t.Errorf("Get of another namespace's pin = %v, %v", ok, err)
	}

	pins, err := r.List(ctx, "a")
	if err != nil || len(pins) != 2 || pins[0].CID != "Qm1" || pins[1].CID != "Qm2" || pins[0].Namespace != "a" {
		t.Errorf("List(a) = %+v, %v; want Qm1 then Qm2 (oldest first)", pins, err)
	}
	holders, err := r.Holders(ctx, "Qm1")
	if err != nil || len(holders) != 2 || holders[0].Namespace != "a" || holders[1].Namespace != "b" || holders[1].Name != "b-one" {
		t.Errorf("Holders(Qm1) = %+v, %v", holders, err)
	}
	cids, err := r.CIDs(ctx)
	if err != nil || len(cids) != 3 || cids[0] != "Qm1" || cids[1] != "Qm2" || cids[2] != "Qm9" {
		t.Errorf("CIDs = %v, %v", cids, err)
	}

	must(r.Delete(ctx, "a", "Qm1"))
	holders, _ = r.Holders(ctx, "Qm1")
	if len(holders) != 1 || holders[0].Namespace != "b" {
		t.Errorf("Holders after a's Delete = %+v", holders)
	}
	must(r.Delete(ctx, "a", "Qm1")) // deleting twice is fine
	must(r.Delete(ctx, "b", "Qm1"))
	if holders, _ := r.Holders(ctx, "Qm1"); len(holders) != 0 {
		t.Errorf("Holders after both Deletes = %+v", holders)
	}
	if pins, _ := r.List(ctx, "nobody"); len(pins) != 0 {
		t.Errorf("List of an empty namespace = %+v", pins)
	}
}

func TestEntriesSurviveReopen(t *testing.T) {
	dir := t.TempDir()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Put(t.Context(), "ns", "QmX", Entry{Name: "kept", Created: time.Unix(100, 0)}); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	r = open(t, dir)
	if e, ok, err := r.Get(t.Context(), "ns", "QmX"); !ok || err != nil || e.Name != "kept" {
		t.Errorf("Get after reopen = %+v, %v, %v", e, ok, err)
	}
	if h, _ := r.Holders(t.Context(), "QmX"); len(h) != 1 {
		t.Errorf("the holder index did not survive: %+v", h)
	}
}
