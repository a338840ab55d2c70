package pubsub_test

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/coder/websocket"

	"github.com/orama-network/orama/host/internal/server"
)

// BenchmarkFanout publishes b.N messages (through the fake plugin) to
// 100 sockets of one topic and reports deliveries per second. The
// publisher keeps at most window messages ahead of the slowest reader, so
// no buffer on the way (the plugin's subscription, the send queues)
// overflows and every reader gets all b.N.
func BenchmarkFanout(b *testing.B) {
	const (
		subscribers = 100
		window      = 1024 // well under the plugin's and the sockets' queues
	)
	e, srv := startB(b, func(o *server.Options) { o.PubSub.SendQueue = 4096 })
	var cs []*websocket.Conn
	for range subscribers {
		cs = append(cs, dialB(b, srv, "topic=bench"))
	}
	payload := []byte("0123456789abcdef0123456789abcdef")
	got := make([]atomic.Int64, subscribers)
	slowest := func() int64 {
		m := got[0].Load()
		for i := range got {
			m = min(m, got[i].Load())
		}
		return m
	}
	b.ResetTimer()
	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range b.N {
				if _, _, err := c.Read(context.Background()); err != nil {
					b.Error(err)
					return
				}
				got[i].Add(1)
			}
		}()
	}
	for n := range b.N {
		for int64(n)-slowest() >= window {
			runtime.Gosched()
		}
		if err := e.PubSub.Publish(context.Background(), "alpha", "bench", payload); err != nil {
			b.Fatal(err)
		}
	}
	wg.Wait()
	b.ReportMetric(float64(b.N*subscribers)/b.Elapsed().Seconds(), "deliveries/s")
}
