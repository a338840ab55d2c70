package pubsub_test

import (
	"fmt"
	"testing"

	"github.com/orama-network/orama/sdk/pubsub"
	"github.com/orama-network/orama/sdk/pubsub/pubsubtest"
)

// BenchmarkGRPCDeliver measures one subscription's stream over an
// in-memory gRPC connection: b.N messages published (unary calls from
// 8 goroutines) and received.
func BenchmarkGRPCDeliver(b *testing.B) {
	for _, size := range []int{64, 1024} {
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			broker := pubsub.NewBroker(pubsub.BrokerOptions{QueueLen: 1 << 16})
			defer broker.Close()
			c := dial(b, b.Context(), broker)
			sub, err := c.Subscribe(b.Context(), "ns", "t")
			if err != nil {
				b.Fatal(err)
			}
			defer sub.Close()
			data := make([]byte, size)
			done := pubsubtest.Count(sub, b.N)
			b.SetBytes(int64(size))
			b.ResetTimer()
			b.SetParallelism(2)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := c.Publish(b.Context(), "ns", "t", data); err != nil {
						b.Error(err)
						return
					}
				}
			})
			got := <-done
			if got != b.N {
				b.Errorf("received %d of %d", got, b.N)
			}
		})
	}
}
