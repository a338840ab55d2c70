package libp2p

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/pubsub"
	"github.com/orama-network/orama/sdk/pubsub/pubsubtest"
)

// BenchmarkTwoNodeLatency publishes on one node and waits for each
// message on the other's subscriber: publish→receive latency across two
// real hosts on 127.0.0.1 (p50, p99 reported).
func BenchmarkTwoNodeLatency(b *testing.B) {
	nodes, sub, k := benchPair(b)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		want := strconv.Itoa(i)
		start := time.Now()
		if err := nodes[0].Publish(context.Background(), k.namespace, k.topic, []byte(want)); err != nil {
			b.Fatal(err)
		}
		m, err := sub.Next()
		if err != nil || string(m.Data) != want {
			b.Fatalf("got %q, %v; want %q", m.Data, err, want)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkTwoNodeThroughput publishes 1 KiB messages on one node as fast
// as Publish returns, and counts what the other node's subscriber
// receives (msgs/s received; lost ones, if any, reported).
func BenchmarkTwoNodeThroughput(b *testing.B) {
	nodes, sub, k := benchPair(b)
	data := make([]byte, 1024)
	b.ResetTimer()
	got := pubsubtest.Count(sub, b.N)
	start := time.Now()
	for range b.N {
		if err := nodes[0].Publish(context.Background(), k.namespace, k.topic, data); err != nil {
			b.Fatal(err)
		}
	}
	var n int
	select {
	case n = <-got:
	case <-time.After(wait):
		sub.Close()
		n = <-got
	}
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(n)/elapsed.Seconds(), "received/s")
	b.ReportMetric(float64(b.N-n), "lost")
}

// benchPair starts two connected nodes and a subscriber on the second
// that the first knows of.
func benchPair(b *testing.B) ([]*Node, pubsub.Subscription, key) {
	var nodes []*Node
	for i := range 2 {
		c := Config{Listen: []string{"/ip4/127.0.0.1/tcp/0"}}
		if i == 1 {
			c.Peers = nodes[0].Addrs()[:1]
		}
		n, err := New(context.Background(), c, nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { n.Close(context.Background()) })
		nodes = append(nodes, n)
	}
	k := key{"bench", "latency"}
	sub, err := nodes[1].Subscribe(context.Background(), k.namespace, k.topic)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { sub.Close() })
	deadline := time.Now().Add(wait)
	for len(nodes[0].ps.ListPeers(topicName(k))) == 0 {
		if time.Now().After(deadline) {
			b.Fatal("node 0 never saw node 1's subscription")
		}
		time.Sleep(10 * time.Millisecond)
	}
	return nodes, sub, k
}
