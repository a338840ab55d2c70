//go:build !race

// Olric's cluster iterator (olric v0.5.7 cluster_iterator.go) refreshes
// its routing table every second without a lock against its own reads of
// it, so the race detector flags any Export whose scan stays open longer
// than a second, as this one's does on a busy machine. The race is
// Olric's; this file is built without -race, and `make test` runs it in a
// step of its own.

package olric

import (
	"fmt"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/cache"
)

// TestHandoffIntoJoiningMember: in a cluster of two members (replica
// count 2) a third joins and one member's Export is imported into it, as
// an upgrade does. Every entry keeps its value and expiry: the import
// must not write through Olric's forwarded NX/Expire, which lose the
// expiry or the value when another member owns the key.
func TestHandoffIntoJoiningMember(t *testing.T) {
	ctx := t.Context()
	const n = 2000
	a := startStore(t, map[string]any{"replica_count": 2})
	b := startStore(t, map[string]any{"replica_count": 2, "peers": []string{a.cur.Load().gossip}})
	eventually(t, "2 members", 20*time.Second, func() error {
		if x, y := memberCount(ctx, a), memberCount(ctx, b); x != 2 || y != 2 {
			return fmt.Errorf("member counts %d and %d", x, y)
		}
		return nil
	})
	expires := map[string]time.Time{}
	for i := range n {
		k := fmt.Sprintf("k%05d", i)
		if err := a.Put(ctx, "ns", "d", k, []byte(fmt.Sprint(i)), 10*time.Minute); err != nil {
			t.Fatal(err)
		}
		e, err := a.Get(ctx, "ns", "d", k)
		if err != nil {
			t.Fatal(err)
		}
		expires[k] = e.ExpiresAt
	}
	c := startStore(t, map[string]any{"replica_count": 2, "peers": []string{a.cur.Load().gossip}})
	var moved cache.ImportCounts
	err := b.Export(ctx, 0, func(bt cache.ExportBatch) error {
		got, err := c.Import(ctx, bt.Entries)
		moved = moved.Add(got)
		return err
	})
	if err != nil {
		t.Fatalf("export into the joining member: %v", err)
	}
	t.Logf("moved %+v", moved)
	if moved.Moved() != n {
		t.Errorf("moved %d entries, want %d", moved.Moved(), n)
	}
	// Entries new to the cluster, imported through c: most keys are owned
	// by another member, so the import crosses to it.
	exp := time.Now().Add(time.Hour).Truncate(time.Millisecond)
	var fresh []cache.HandoffEntry
	for i := range 500 {
		fresh = append(fresh, cache.HandoffEntry{Namespace: "ns", DMap: "fresh",
			Entry: cache.Entry{Key: fmt.Sprint("f", i), Value: []byte(fmt.Sprint(i)), ExpiresAt: exp}})
	}
	if got, err := c.Import(ctx, fresh); err != nil || got.Stored != 500 {
		t.Fatalf("import of new entries = %+v, %v", got, err)
	}
	for i := range 500 {
		e, err := a.Get(ctx, "ns", "fresh", fmt.Sprint("f", i))
		if err != nil || string(e.Value) != fmt.Sprint(i) || e.ExpiresAt.Sub(exp).Abs() > time.Second {
			t.Fatalf("imported f%d read on another member: %q expires %v, %v; want %d expiring %v", i, e.Value, e.ExpiresAt, err, i, exp)
		}
	}
	for _, s := range []*Store{a, c} {
		bad := 0
		for i := range n {
			k := fmt.Sprintf("k%05d", i)
			e, err := s.Get(ctx, "ns", "d", k)
			if err != nil || string(e.Value) != fmt.Sprint(i) || !e.ExpiresAt.Equal(expires[k]) {
				if bad++; bad <= 3 {
					t.Errorf("%s: %q expires %v, %v; want %d expiring %v", k, e.Value, e.ExpiresAt, err, i, expires[k])
				}
			}
		}
		if bad > 0 {
			t.Errorf("%d of %d entries wrong", bad, n)
		}
	}
}
