package pubsub_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	pubsubv1 "github.com/orama-network/orama/sdk/gen/orama/pubsub/v1"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/pubsub"
	"github.com/orama-network/orama/sdk/pubsub/pubsubtest"
	"google.golang.org/grpc"
)

func newBroker(t *testing.T) *pubsub.Broker {
	b := pubsub.NewBroker(pubsub.BrokerOptions{})
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func TestBrokerConformance(t *testing.T) {
	pubsubtest.Run(t, func(t *testing.T) pubsub.PubSub { return newBroker(t) })
}

func TestGRPCConformance(t *testing.T) {
	shared := dial(t, t.Context(), newBroker(t))
	pubsubtest.Run(t, func(*testing.T) pubsub.PubSub { return shared })
}

// dial serves impl over an in-memory gRPC connection and returns a client
// whose lifetime is life, and the server (to stop it: the plugin going
// away).
func dial(t testing.TB, life context.Context, impl pubsub.PubSub) *pubsub.Client {
	c, _ := dialServer(t, life, impl)
	return c
}

func dialServer(t testing.TB, life context.Context, impl pubsub.PubSub) (*pubsub.Client, *grpc.Server) {
	t.Helper()
	var srv *grpc.Server
	conn := plugintest.Dial(t, func(s *grpc.Server) { srv = s; pubsub.Register(s, impl) })
	return pubsub.NewClient(life, conn), srv
}

// failing returns err from every method.
type failing struct{ err error }

func (f failing) Publish(context.Context, string, string, []byte) error { return f.err }
func (f failing) Subscribe(context.Context, string, string) (pubsub.Subscription, error) {
	return nil, f.err
}
func (f failing) Topics(context.Context, string) ([]string, error) { return nil, f.err }
func (f failing) Join(context.Context, string, string, pubsub.Member, time.Duration) error {
	return f.err
}
func (f failing) Leave(context.Context, string, string, string) error { return f.err }
func (f failing) Members(context.Context, string, string) ([]pubsub.Member, error) {
	return nil, f.err
}
func (f failing) Health(context.Context) (plugin.Health, error) { return plugin.Health{}, f.err }

func TestGRPCErrorCodesSurvive(t *testing.T) {
	for _, code := range plugintest.Codes() {
		want := &sdk.Error{Code: code, Message: "boom: " + string(code)}
		c := dial(t, t.Context(), failing{want})
		ctx := t.Context()
		_, subErr := c.Subscribe(ctx, "ns", "t")
		_, topicsErr := c.Topics(ctx, "ns")
		_, membersErr := c.Members(ctx, "ns", "t")
		_, healthErr := c.Health(ctx)
		errs := map[string]error{
			"Publish": c.Publish(ctx, "ns", "t", []byte("x")), "Subscribe": subErr, "Topics": topicsErr,
			"Join":  c.Join(ctx, "ns", "t", pubsub.Member{ID: "m"}, time.Minute),
			"Leave": c.Leave(ctx, "ns", "t", "m"), "Members": membersErr, "Health": healthErr,
		}
		for op, err := range errs {
			var got *sdk.Error
			if !errors.As(err, &got) || *got != *want {
				t.Errorf("%s with %s: got %#v, want %#v", op, code, err, want)
			}
		}
	}
}

// TestSubscriptionPluginGone: the server going away mid-stream (the
// plugin killed) fails a waiting Next with unavailable.
func TestSubscriptionPluginGone(t *testing.T) {
	c, srv := dialServer(t, t.Context(), newBroker(t))
	sub, err := c.Subscribe(t.Context(), "ns", "t")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	errc := pubsubtest.NextErr(sub)
	srv.Stop()
	select {
	case err := <-errc:
		plugintest.WantCode(t, err, "Next when the plugin went away", sdk.CodeUnavailable)
	case <-time.After(10 * time.Second):
		t.Fatal("Next still waiting 10s after the server stopped")
	}
}

// TestSubscriptionBackendClosed: the plugin's backend closing (Close of
// the plugin) ends its subscriptions with unavailable.
func TestSubscriptionBackendClosed(t *testing.T) {
	b := newBroker(t)
	c := dial(t, t.Context(), b)
	sub, err := c.Subscribe(t.Context(), "ns", "t")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	_ = b.Close()
	_, err = sub.Next()
	plugintest.WantCode(t, err, "Next after the backend closed", sdk.CodeUnavailable)
}

func TestClientFailsFastAfterLifetime(t *testing.T) {
	life, cancel := context.WithCancel(t.Context())
	c := dial(t, life, newBroker(t))
	sub, err := c.Subscribe(t.Context(), "ns", "t")
	if err != nil {
		t.Fatalf("Subscribe while alive: %v", err)
	}
	defer sub.Close()
	cancel()
	_, err = sub.Next()
	if e := plugintest.WantCode(t, err, "Next after the lifetime ended", sdk.CodeUnavailable); e != nil && e.Message != "plugin connection closed" {
		t.Errorf("Next after the lifetime ended: %q, want %q", e.Message, "plugin connection closed")
	}
	plugintest.WantCode(t, c.Publish(t.Context(), "ns", "t", nil), "Publish after the lifetime ended", sdk.CodeUnavailable)
	_, err = c.Subscribe(t.Context(), "ns", "t")
	plugintest.WantCode(t, err, "Subscribe after the lifetime ended", sdk.CodeUnavailable)
}

// TestNextErrors: what Next says after Close and after the caller's
// context ended, as documented on Client.Subscribe.
func TestNextErrors(t *testing.T) {
	c := dial(t, t.Context(), newBroker(t))
	sub, err := c.Subscribe(t.Context(), "ns", "t")
	if err != nil {
		t.Fatal(err)
	}
	_ = sub.Close()
	_, err = sub.Next()
	if e := plugintest.WantCode(t, err, "Next after Close", sdk.CodeUnavailable); e != nil && e.Message != "subscription closed" {
		t.Errorf("Next after Close: %q", e.Message)
	}

	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	sub, err = c.Subscribe(ctx, "ns", "t")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	_, err = sub.Next()
	if e := plugintest.WantCode(t, err, "Next after the deadline", sdk.CodeUnavailable); e != nil && e.Message != context.DeadlineExceeded.Error() {
		t.Errorf("Next after the deadline: %q, want %q", e.Message, context.DeadlineExceeded.Error())
	}
}

// badStream is a PubSub server whose Subscribe streams start with a
// message instead of the ready marker.
type badStream struct {
	pubsubv1.UnimplementedPubSubServer
}

func (badStream) Subscribe(_ *pubsubv1.SubscribeRequest, s pubsubv1.PubSub_SubscribeServer) error {
	return s.Send(&pubsubv1.Message{Topic: "t", Data: []byte("early")})
}

func TestSubscribeWantsReadyMarker(t *testing.T) {
	conn := plugintest.Dial(t, func(s *grpc.Server) { pubsubv1.RegisterPubSubServer(s, badStream{}) })
	_, err := pubsub.NewClient(t.Context(), conn).Subscribe(t.Context(), "ns", "t")
	plugintest.WantCode(t, err, "Subscribe to a stream without the ready marker", sdk.CodeInternal)
}
