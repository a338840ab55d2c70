package olric

import (
	"context"
	"testing"

	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
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
// gRPC connection (a Unix socket), one call at a time and from every P at
// once, through the Mux stream and as plain unary calls
// (ORAMA_PLUGIN_MUX=off), for scale.
func BenchmarkPluginGet(b *testing.B) {
	for _, mode := range []string{"mux", "unary"} {
		b.Run(mode, func(b *testing.B) {
			c := benchPlugin(b, mode)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Get(ctx, "ns", "bench", "key"); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(mode+"-parallel", func(b *testing.B) {
			c := benchPlugin(b, mode)
			ctx := context.Background()
			b.ReportAllocs()
			b.SetParallelism(8) // calls in flight, as from a loaded host
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := c.Get(ctx, "ns", "bench", "key"); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// benchPlugin serves a store in process through go-plugin with the mux on
// or off (mode "unary") and returns its client, with the probe entry put.
func benchPlugin(b *testing.B, mode string) *cache.Client {
	if mode == "unary" {
		b.Setenv(plugin.MuxEnv, "off")
	} else {
		b.Setenv(plugin.MuxEnv, "on")
	}
	s := startStore(b, nil)
	c := plugintest.InProcess[*cache.Client](b, cache.Kind, &cache.Plugin{Impl: s})
	if err := c.Put(context.Background(), "ns", "bench", "key", benchValue, 0); err != nil {
		b.Fatal(err)
	}
	return c
}
