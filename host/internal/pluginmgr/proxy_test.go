package pluginmgr

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/cache/cachetest"
	"github.com/orama-network/orama/sdk/pubsub"
	"github.com/orama-network/orama/sdk/pubsub/pubsubtest"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"
)

// serve runs s on an in-memory listener and returns a connection to it
// dialed with opts.
func serve(t *testing.T, s *grpc.Server, opts ...grpc.DialOption) *grpc.ClientConn {
	t.Helper()
	ln := bufconn.Listen(1 << 20)
	go func() { _ = s.Serve(ln) }()
	t.Cleanup(s.Stop)
	opts = append(opts,
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return ln.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	conn, err := grpc.NewClient("passthrough:///bufnet", opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// cacheInstance is an instance whose "plugin" is an in-memory cache served
// over gRPC, with the manager's interceptors on its connection.
func cacheInstance(t *testing.T, sup *supervisor) (*instance, *cachetest.Memory) {
	mem := cachetest.NewMemory()
	s := grpc.NewServer()
	cache.Register(s, mem)
	inst := &instance{sup: sup}
	inst.conn = serve(t, s, inst.dialOptions()...)
	return inst, mem
}

func managerWith(kind string) (*Manager, *supervisor) {
	m := New(Options{Logger: hclog.NewNullLogger()})
	sup := &supervisor{m: m, kind: kind, log: hclog.NewNullLogger(), firstUp: make(chan struct{}), everUp: true,
		status: Status{State: StateRunning}}
	m.sups[kind] = sup
	return m, sup
}

// TestHostProxyPassesTheCacheConformanceSuite: a plugin reaching the cache
// domain through the host (the broker server with the transparent proxy)
// sees a cache that passes the whole conformance suite.
func TestHostProxyPassesTheCacheConformanceSuite(t *testing.T) {
	m, sup := managerWith(cache.Kind)
	inst, _ := cacheInstance(t, sup)
	sup.cur = inst
	proxyConn := serve(t, m.hostServer("serverless")(nil))
	cachetest.Run(t, func(t *testing.T) cache.Cache { return cache.NewClient(context.Background(), proxyConn) })
}

// TestRetiredInstanceRedirectsCalls: a call that reaches an instance after
// an upgrade retired it is served by the successor, not failed.
func TestRetiredInstanceRedirectsCalls(t *testing.T) {
	_, sup := managerWith(cache.Kind)
	old, oldMem := cacheInstance(t, sup)
	next, nextMem := cacheInstance(t, sup)
	ctx := context.Background()
	oldClient := cache.NewClient(ctx, old.conn)

	sup.cur = old
	if err := oldClient.Put(ctx, "ns", "d", "k", []byte(`"old"`), 0); err != nil {
		t.Fatal(err)
	}
	sup.cur = next
	old.retire(ctx)
	if err := oldClient.Put(ctx, "ns", "d", "k", []byte(`"new"`), 0); err != nil {
		t.Fatalf("call through the retired instance: %v", err)
	}
	if e, err := nextMem.Get(ctx, "ns", "d", "k"); err != nil || string(e.Value) != `"new"` {
		t.Errorf("successor did not get the redirected call: %q %v", e.Value, err)
	}
	if e, _ := oldMem.Get(ctx, "ns", "d", "k"); string(e.Value) != `"old"` {
		t.Errorf("retired instance was still written to: %q", e.Value)
	}
	if n := old.inflight.Load(); n != 0 {
		t.Errorf("retired instance counts %d calls", n)
	}
}

// TestProxyUnknownDomain: a call for a domain the host does not know is
// Unimplemented, and one for a configured but down domain is unavailable.
func TestProxyUnknownDomainAndDownPlugin(t *testing.T) {
	m, sup := managerWith(cache.Kind)
	sup.status.State = StateRestarting
	proxyConn := serve(t, m.hostServer("x")(nil))
	_, err := cache.NewClient(context.Background(), proxyConn).Get(context.Background(), "ns", "d", "k")
	if !isUnavailable(err) {
		t.Errorf("cache down: %v, want unavailable", err)
	}
	if got := domainOf("/orama.cache.v1.Cache/Get"); got != "cache" {
		t.Errorf("domainOf = %q", got)
	}
	if got := domainOf("/grpc.health.v1.Health/Check"); got != "" {
		t.Errorf("domainOf(foreign) = %q", got)
	}
}

// pubsubInstance is an instance whose "plugin" is an in-process pubsub
// Broker served over gRPC, with the manager's interceptors.
func pubsubInstance(t *testing.T, sup *supervisor) (*instance, *pubsub.Broker) {
	b := pubsub.NewBroker(pubsub.BrokerOptions{})
	t.Cleanup(func() { _ = b.Close() })
	s := grpc.NewServer()
	pubsub.Register(s, b)
	inst := &instance{sup: sup}
	inst.conn = serve(t, s, inst.dialOptions()...)
	return inst, b
}

// TestRetireEndsSubscriptions: retiring an instance does not wait for its
// subscriptions (they never finish by themselves) but ends them, and a
// subscription opened again through the retired instance reaches the
// successor: an upgrade moves subscribers within moments, not after the
// drain bound.
func TestRetireEndsSubscriptions(t *testing.T) {
	_, sup := managerWith(pubsub.Kind)
	old, _ := pubsubInstance(t, sup)
	next, nextBroker := pubsubInstance(t, sup)
	ctx := t.Context()
	c := pubsub.NewClient(ctx, old.conn)
	sup.cur = old
	sub, err := c.Subscribe(ctx, "ns", "t")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	ended := pubsubtest.NextErr(sub)

	sup.cur = next
	rctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	old.retire(rctx)
	if rctx.Err() != nil {
		t.Fatal("retire waited for the subscription until its bound")
	}
	if err := <-ended; err == nil {
		t.Fatal("the subscription on the retired instance delivered instead of ending")
	}
	if n := old.inflight.Load(); n != 0 {
		t.Errorf("retired instance counts %d calls", n)
	}

	again, err := c.Subscribe(ctx, "ns", "t")
	if err != nil {
		t.Fatalf("subscribing again through the retired instance: %v", err)
	}
	defer again.Close()
	if err := nextBroker.Publish(ctx, "ns", "t", []byte("on the successor")); err != nil {
		t.Fatal(err)
	}
	m, err := again.Next()
	if err != nil || string(m.Data) != "on the successor" {
		t.Fatalf("Next = %q, %v; want the successor's message", m.Data, err)
	}
}
