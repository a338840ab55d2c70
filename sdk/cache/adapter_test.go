package cache_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/cache"
	"github.com/orama-network/orama/sdk/cache/cachetest"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"google.golang.org/grpc"
)

func TestMemoryConformance(t *testing.T) {
	cachetest.Run(t, func(*testing.T) cache.Cache { return cachetest.NewMemory() })
}

func TestGRPCConformance(t *testing.T) {
	shared := dial(t, t.Context(), cachetest.NewMemory())
	cachetest.Run(t, func(*testing.T) cache.Cache { return shared })
}

// dial serves impl over an in-memory gRPC connection and returns a client
// whose lifetime is life.
func dial(t *testing.T, life context.Context, impl cache.Cache) *cache.Client {
	t.Helper()
	return cache.NewClient(life, plugintest.Dial(t, func(s *grpc.Server) { cache.Register(s, impl) }))
}

// failing returns err from every method.
type failing struct{ err error }

func (f failing) Get(context.Context, string, string, string) (cache.Entry, error) {
	return cache.Entry{}, f.err
}
func (f failing) MGet(context.Context, string, string, []string) ([]cache.Entry, error) {
	return nil, f.err
}
func (f failing) Put(context.Context, string, string, string, []byte, time.Duration) error {
	return f.err
}
func (f failing) Delete(context.Context, string, string, string) error { return f.err }
func (f failing) Scan(context.Context, string, string, string, int) ([]string, bool, error) {
	return nil, false, f.err
}
func (f failing) Health(context.Context) (plugin.Health, error) { return plugin.Health{}, f.err }

func TestGRPCErrorCodesSurvive(t *testing.T) {
	codes := plugintest.Codes()
	for _, code := range codes {
		want := &sdk.Error{Code: code, Message: "boom: " + string(code)}
		c := dial(t, t.Context(), failing{want})
		ctx := t.Context()
		_, getErr := c.Get(ctx, "ns", "dm", "k")
		_, mgetErr := c.MGet(ctx, "ns", "dm", []string{"k"})
		_, _, scanErr := c.Scan(ctx, "ns", "dm", "", 0)
		_, healthErr := c.Health(ctx)
		errs := map[string]error{
			"Get": getErr, "MGet": mgetErr, "Scan": scanErr, "Health": healthErr,
			"Put":    c.Put(ctx, "ns", "dm", "k", nil, 0),
			"Delete": c.Delete(ctx, "ns", "dm", "k"),
		}
		for op, err := range errs {
			var got *sdk.Error
			if !errors.As(err, &got) || *got != *want {
				t.Errorf("%s with %s: got %#v, want %#v", op, code, err, want)
			}
		}
	}

	// A plain error is internal on the other side, its text kept for logs.
	c := dial(t, t.Context(), failing{errors.New("disk on fire")})
	_, err := c.Get(t.Context(), "ns", "dm", "k")
	var got *sdk.Error
	if !errors.As(err, &got) || got.Code != sdk.CodeInternal || got.Message != "disk on fire" {
		t.Errorf("plain error: got %#v", err)
	}
}

func TestClientFailsFastAfterLifetime(t *testing.T) {
	life, cancel := context.WithCancel(t.Context())
	c := dial(t, life, cachetest.NewMemory())
	if err := c.Put(t.Context(), "ns", "dm", "k", []byte("1"), 0); err != nil {
		t.Fatalf("Put while alive: %v", err)
	}
	cancel()
	_, err := c.Get(t.Context(), "ns", "dm", "k")
	var e *sdk.Error
	if !errors.As(err, &e) || e.Code != sdk.CodeUnavailable {
		t.Errorf("Get after the lifetime ended: %v, want unavailable", err)
	}
}
