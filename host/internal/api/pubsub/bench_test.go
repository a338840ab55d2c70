package pubsub_test

import (
	"context"
	"sync"
	"testing"

	"github.com/coder/websocket"

	"github.com/orama-network/orama/host/internal/server"
)

// BenchmarkFanout publishes b.N messages (through the fake plugin) to
// 100 sockets of one topic and reports deliveries per second.
func BenchmarkFanout(b *testing.B) {
	const subscribers = 100
	e, srv := startB(b, func(o *server.Options) { o.PubSub.SendQueue = 4096 })
	var cs []*websocket.Conn
	for range subscribers {
		cs = append(cs, dialB(b, srv, "topic=bench"))
	}
	payload := []byte("0123456789abcdef0123456789abcdef")
	b.ResetTimer()
	var wg sync.WaitGroup
	for _, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range b.N {
				if _, _, err := c.Read(context.Background()); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	for range b.N {
		if err := e.PubSub.Publish(context.Background(), "alpha", "bench", payload); err != nil {
			b.Fatal(err)
		}
	}
	wg.Wait()
	b.ReportMetric(float64(b.N*subscribers)/b.Elapsed().Seconds(), "deliveries/s")
}
