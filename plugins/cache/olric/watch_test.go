package olric

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/cache"
)

func TestInvalidationEncoding(t *testing.T) {
	batch := []cache.Invalidation{
		{Namespace: "a:b", DMap: "c", Key: "d"},
		{Namespace: "a", DMap: "b:c", Key: "d"},
		{All: true},
		{Namespace: "ns", DMap: "dm", Key: string(make([]byte, 255))},
	}
	origin, got, err := decodeInvalidations(encodeInvalidations("me", batch))
	if err != nil || origin != "me" || len(got) != len(batch) {
		t.Fatalf("round trip = %q, %+v, %v", origin, got, err)
	}
	for i := range batch {
		if got[i] != batch[i] {
			t.Errorf("entry %d = %+v, want %+v", i, got[i], batch[i])
		}
	}
	for _, bad := range [][]byte{nil, {5, 'a'}, append(encodeInvalidations("o", batch[:1]), 0), append(encodeInvalidations("o", nil), 7)} {
		if _, _, err := decodeInvalidations(bad); err == nil {
			t.Errorf("decode %q: no error", bad)
		}
	}
}

// collect watches s into a channel after its opening All.
func collect(t *testing.T, s *Store) <-chan cache.Invalidation {
	t.Helper()
	ch := make(chan cache.Invalidation, 1024)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	t.Cleanup(func() { cancel(); <-errc })
	first := make(chan struct{})
	go func() {
		opened := false
		errc <- s.WatchInvalidations(ctx, func(inv cache.Invalidation) error {
			if !opened {
				opened = true
				close(first)
				return nil
			}
			ch <- inv
			return nil
		})
	}()
	select {
	case <-first:
	case err := <-errc:
		t.Fatalf("watch: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("no opening invalidation")
	}
	return ch
}

// TestInvalidationsCrossMembers: a Put or Delete through either member
// reaches the watchers of both, exactly once per member and never under
// another namespace.
func TestInvalidationsCrossMembers(t *testing.T) {
	ctx := t.Context()
	first := startStore(t, nil)
	second := startStore(t, map[string]any{"peers": []string{first.cur.Load().gossip}})
	eventually(t, "both members see 2 members", 20*time.Second, func() error {
		if a, b := memberCount(ctx, first), memberCount(ctx, second); a != 2 || b != 2 {
			return fmt.Errorf("member counts %d and %d", a, b)
		}
		return nil
	})
	w1, w2 := collect(t, first), collect(t, second)
	want := func(ch <-chan cache.Invalidation, who string, inv cache.Invalidation) {
		t.Helper()
		select {
		case got := <-ch:
			if got != inv {
				t.Fatalf("%s got %+v, want %+v", who, got, inv)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("%s: no invalidation %+v", who, inv)
		}
	}
	for i, writer := range []*Store{first, second, first} {
		k := fmt.Sprintf("k%d", i)
		if err := writer.Put(ctx, "ns-a", "dm", k, []byte(`1`), 0); err != nil {
			t.Fatal(err)
		}
		inv := cache.Invalidation{Namespace: "ns-a", DMap: "dm", Key: k}
		want(w1, "first", inv)
		want(w2, "second", inv)
		if err := writer.Delete(ctx, "ns-a", "dm", k); err != nil {
			t.Fatal(err)
		}
		want(w1, "first", inv)
		want(w2, "second", inv)
	}
	// Nothing else arrived (no duplicates of a member's own writes).
	select {
	case inv := <-w1:
		t.Fatalf("first: unexpected %+v", inv)
	case inv := <-w2:
		t.Fatalf("second: unexpected %+v", inv)
	case <-time.After(200 * time.Millisecond):
	}
}

// TestWatchEndsOnClose: closing the Store ends its watchers.
func TestWatchEndsOnClose(t *testing.T) {
	s := startStore(t, nil)
	errc := make(chan error, 1)
	started := make(chan struct{}, 1)
	go func() {
		errc <- s.WatchInvalidations(context.Background(), func(cache.Invalidation) error {
			select {
			case started <- struct{}{}:
			default:
			}
			return nil
		})
	}()
	<-started
	if err := s.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-errc:
		if err == nil {
			t.Fatal("watch ended without an error")
		}
	case <-time.After(20 * time.Second):
		t.Fatal("watch did not end after Close")
	}
}
