package pluginmgr

import (
	"slices"
	"testing"

	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/cache/cachetest"
)

// TestHandoffCacheFallsBackToTheOldInstance: during a hand-off a miss on
// the new instance is answered by the old one, writes go to the new one
// and deletes to both.
func TestHandoffCacheFallsBackToTheOldInstance(t *testing.T) {
	ctx := t.Context()
	old, next := cachetest.NewMemory(), cachetest.NewMemory()
	h := &handoffCache{old: old, next: next}
	for _, k := range []string{"a", "b", "gone"} {
		if err := old.Put(ctx, "ns", "d", k, []byte(`"old"`), 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.Put(ctx, "ns", "d", "b", []byte(`"new"`), 0); err != nil {
		t.Fatal(err)
	}
	if e, err := h.Get(ctx, "ns", "d", "a"); err != nil || string(e.Value) != `"old"` {
		t.Errorf("Get of a key only the old instance holds = %q, %v", e.Value, err)
	}
	if e, err := h.Get(ctx, "ns", "d", "b"); err != nil || string(e.Value) != `"new"` {
		t.Errorf("Get of a key written during the hand-off = %q, %v; want the new value", e.Value, err)
	}
	if _, err := h.Get(ctx, "ns", "d", "none"); !isNotFound(err) {
		t.Errorf("Get of a key neither holds: %v, want not_found", err)
	}
	es, err := h.MGet(ctx, "ns", "d", []string{"none", "b", "a"})
	var got []string
	for _, e := range es {
		got = append(got, e.Key+"="+string(e.Value))
	}
	if err != nil || !slices.Equal(got, []string{`b="new"`, `a="old"`}) {
		t.Errorf("MGet = %v, %v", got, err)
	}
	if err := h.Delete(ctx, "ns", "d", "gone"); err != nil {
		t.Errorf("Delete of a key only the old instance holds: %v", err)
	}
	if _, err := h.Get(ctx, "ns", "d", "gone"); !isNotFound(err) {
		t.Errorf("deleted key still read: %v", err)
	}
	if err := h.Delete(ctx, "ns", "d", "none"); !isNotFound(err) {
		t.Errorf("Delete of a key neither holds: %v, want not_found", err)
	}
	if _, ok := any(h).(cache.Watcher); !ok {
		t.Error("the hand-off view hides the new instance's invalidation stream")
	}
}
