package olric

import (
	"context"
	"testing"

	goplugin "github.com/hashicorp/go-plugin"
	"github.com/orama-network/orama/sdk/cache"
)

var benchValue = []byte(`{"id":42,"name":"orama","tags":["cache","olric","bench"],"active":true,"score":12.5}`)

// BenchmarkOlricGetDirect is the floor: Olric's embedded client in-process.
func BenchmarkOlricGetDirect(b *testing.B) {
	s := startStore(b, nil)
	ctx := context.Background()
	dm, err := s.cur.Load().client.NewDMap("bench-direct")
	if err != nil {
		b.Fatal(err)
	}
	if err := dm.Put(ctx, "key", benchValue); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		r, err := dm.Get(ctx, "key")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Byte(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStoreGet is the same read through Store.Get: validation, the
// dmap handle cache, the request timeout and the Entry.
func BenchmarkStoreGet(b *testing.B) {
	s := startStore(b, nil)
	ctx := context.Background()
	if err := s.Put(ctx, "ns", "bench", "key", benchValue, 0); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Get(ctx, "ns", "bench", "key"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStoreGetParallel reads from every P at once.
func BenchmarkStoreGetParallel(b *testing.B) {
	s := startStore(b, nil)
	ctx := context.Background()
	if err := s.Put(ctx, "ns", "bench", "key", benchValue, 0); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.Get(ctx, "ns", "bench", "key"); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkStorePut writes through Store.Put.
func BenchmarkStorePut(b *testing.B) {
	s := startStore(b, nil)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Put(ctx, "ns", "bench", "key", benchValue, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPluginGet is Store.Get as the host sees it: through go-plugin's
// gRPC connection (a Unix socket), for scale.
func BenchmarkPluginGet(b *testing.B) {
	s := startStore(b, nil)
	conn, _ := goplugin.TestPluginGRPCConn(b, false, map[string]goplugin.Plugin{cache.Kind: &cache.Plugin{Impl: s}})
	b.Cleanup(func() {
		_ = conn.Close() // also stops the server
	})
	raw, err := conn.Dispense(cache.Kind)
	if err != nil {
		b.Fatal(err)
	}
	c := raw.(*cache.Client)
	ctx := context.Background()
	if err := c.Put(ctx, "ns", "bench", "key", benchValue, 0); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Get(ctx, "ns", "bench", "key"); err != nil {
			b.Fatal(err)
		}
	}
}
