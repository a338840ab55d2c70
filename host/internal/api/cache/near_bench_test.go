package cache

import (
	"context"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/cache"
)

// BenchmarkNearHit is one Get served from the near cache.
func BenchmarkNearHit(b *testing.B) {
	p := newFakePlugin()
	n := NewNear(func(context.Context) (cache.Cache, error) { return p, nil }, NearOptions{MaxAge: time.Hour})
	defer n.Close()
	<-p.opened
	p.send(cache.Invalidation{All: true})
	p.sync()
	ctx := b.Context()
	if err := p.Put(ctx, "ns", "dm", "k", []byte(`{"user":"alice","n":42}`), 0); err != nil {
		b.Fatal(err)
	}
	if _, err := n.Get(ctx, p, "ns", "dm", "k"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := n.Get(ctx, p, "ns", "dm", "k"); err != nil {
				b.Fatal(err)
			}
		}
	})
	if p.gets.Load() != 1 {
		b.Fatalf("gets = %d: not served from the near cache", p.gets.Load())
	}
}
