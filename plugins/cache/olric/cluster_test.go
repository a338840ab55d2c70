package olric

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"
)

// eventually retries fn until it returns nil or the deadline passes.
func eventually(t *testing.T, what string, timeout time.Duration, fn func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		err := fn()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still failing after %v: %v", what, timeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func memberCount(ctx context.Context, s *Store) int {
	ms, err := s.cur.Load().client.Members(ctx)
	if err != nil {
		return -1
	}
	return len(ms)
}

// TestPeersShareData joins a second member to the first through its
// memberlist address; each then reads what the other wrote.
func TestPeersShareData(t *testing.T) {
	ctx := t.Context()
	first := startStore(t, nil)
	second := startStore(t, map[string]any{"peers": []string{first.cur.Load().gossip}})
	eventually(t, "both members see 2 members", 20*time.Second, func() error {
		if a, b := memberCount(ctx, first), memberCount(ctx, second); a != 2 || b != 2 {
			return fmt.Errorf("member counts %d and %d", a, b)
		}
		return nil
	})

	var keys []string
	for i := range 20 {
		k := fmt.Sprintf("k%02d", i)
		keys = append(keys, k)
		writer, reader := first, second
		if i%2 == 1 {
			writer, reader = second, first
		}
		eventually(t, "put "+k, 15*time.Second, func() error {
			return writer.Put(ctx, "ns", "shared", k, []byte(fmt.Sprintf(`{"i":%d}`, i)), 0)
		})
		eventually(t, "read "+k+" on the other member", 15*time.Second, func() error {
			e, err := reader.Get(ctx, "ns", "shared", k)
			if err == nil && string(e.Value) != fmt.Sprintf(`{"i":%d}`, i) {
				err = fmt.Errorf("value %q", e.Value)
			}
			return err
		})
	}
	for _, s := range []*Store{first, second} {
		eventually(t, "scan sees every key", 15*time.Second, func() error {
			got, _, err := s.Scan(ctx, "ns", "shared", "", 0)
			if err == nil && !slices.Equal(got, keys) {
				err = fmt.Errorf("scan = %v", got)
			}
			return err
		})
	}
	h, err := second.Health(ctx)
	if err != nil || !h.OK {
		t.Errorf("Health = %+v, %v", h, err)
	}
	// the other member, not this one, is its peer
	if want := first.cur.Load().addr; len(h.Peers) != 1 || h.Peers[0].ID != want || h.Peers[0].Addr != want {
		t.Errorf("Health peers %+v, want the first member %s", h.Peers, want)
	}
	t.Logf("health: %+v", h)
}
