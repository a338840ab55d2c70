package plugin_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"google.golang.org/grpc"
)

// dialBase serves impl's Base over an in-memory gRPC connection (no
// broker) and returns the host-side client whose lifetime is life.
func dialBase(t *testing.T, life context.Context, impl plugin.Base) *plugin.BaseClient {
	t.Helper()
	return plugin.NewBaseClient(life, nil, plugintest.Dial(t, func(s *grpc.Server) { plugin.RegisterBase(s, nil, impl) }))
}

func TestBaseInfoRoundTrip(t *testing.T) {
	want := plugin.Info{Kind: "cache", Name: "olric", Version: "v1.2.3"}
	c := dialBase(t, t.Context(), &fakeBase{info: want})
	got, err := c.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("Info = %+v, want %+v", got, want)
	}
}

func TestBaseHealthPeersBounded(t *testing.T) {
	many := make([]plugin.Peer, plugin.MaxPeers+5)
	for i := range many {
		many[i] = plugin.Peer{ID: strconv.Itoa(i)}
	}
	c := dialBase(t, t.Context(), &fakeBase{health: plugin.Health{OK: true, Peers: many}})
	got, err := c.Health(t.Context())
	if err != nil || len(got.Peers) != plugin.MaxPeers || got.Peers[0].ID != "0" {
		t.Fatalf("%d peers, %v; want the first %d", len(got.Peers), err, plugin.MaxPeers)
	}
}

func TestBaseHealthRoundTrip(t *testing.T) {
	for _, want := range []plugin.Health{
		{OK: true, Driver: "olric"},
		{OK: false, Driver: "olric", Detail: "not configured"},
		{OK: true, Driver: "rqlite", Peers: []plugin.Peer{{ID: "2", Addr: "10.0.0.2:4002", Role: "leader"}, {ID: "3"}}},
	} {
		c := dialBase(t, t.Context(), &fakeBase{health: want})
		got, err := c.Health(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if len(want.Peers) == 0 {
			want.Peers = []plugin.Peer{} // what crosses for none
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Health = %+v, want %+v", got, want)
		}
	}
}

func TestBaseConfigFieldsArriveIntact(t *testing.T) {
	cfg := plugin.Config{
		Name:    "cache",
		NodeID:  "node-7",
		DataDir: "/var/lib/orama",
		Raw:     json.RawMessage(`{"mode":"client","servers":["10.0.0.1:3320"],"ttl":"1m"}`),
	}
	f := &fakeBase{}
	c := dialBase(t, t.Context(), f)
	if err := c.ValidateConfig(t.Context(), cfg); err != nil {
		t.Fatalf("ValidateConfig: %v", err)
	}
	if err := c.Configure(t.Context(), cfg); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	validated, configured, _, _, host := f.snapshot()
	for name, got := range map[string][]plugin.Config{"ValidateConfig": validated, "Configure": configured} {
		if len(got) != 1 {
			t.Fatalf("%s reached the plugin %d times, want 1", name, len(got))
		}
		g := got[0]
		if g.Name != cfg.Name || g.NodeID != cfg.NodeID || g.DataDir != cfg.DataDir || string(g.Raw) != string(cfg.Raw) {
			t.Errorf("%s got %+v (raw %s), want %+v (raw %s)", name, g, g.Raw, cfg, cfg.Raw)
		}
		if g.Host != nil {
			t.Errorf("%s: Host is set without a broker", name)
		}
	}
	if host != nil {
		t.Error("Configure without a broker set a host API client")
	}
}

func TestBaseConfigEmptyRawStaysEmpty(t *testing.T) {
	f := &fakeBase{}
	c := dialBase(t, t.Context(), f)
	if err := c.Configure(t.Context(), plugin.Config{Name: "cache"}); err != nil {
		t.Fatal(err)
	}
	_, configured, _, _, _ := f.snapshot()
	if len(configured[0].Raw) != 0 {
		t.Errorf("Raw = %q, want empty", configured[0].Raw)
	}
	var v struct{ Mode string }
	if err := configured[0].Decode(&v); err != nil {
		t.Errorf("Decode of the empty block on the plugin side: %v", err)
	}
}

func TestBaseConfigErrorKeepsAttributes(t *testing.T) {
	want := plugin.ConfigError{
		{Attribute: "servers", Message: "needed when mode is client"},
		{Attribute: "", Message: "the block is inconsistent"},
		{Attribute: "port", Message: "must be ≥ 0"},
	}
	cases := map[string]error{
		"plain":   want,
		"wrapped": fmt.Errorf("olric: %w", want),
	}
	for name, perr := range cases {
		t.Run(name, func(t *testing.T) {
			c := dialBase(t, t.Context(), &fakeBase{err: perr})
			for call, err := range map[string]error{
				"ValidateConfig": c.ValidateConfig(t.Context(), plugin.Config{Name: "cache"}),
				"Configure":      c.Configure(t.Context(), plugin.Config{Name: "cache"}),
			} {
				var got plugin.ConfigError
				if !errors.As(err, &got) {
					t.Errorf("%s: got %T (%v), want plugin.ConfigError", call, err, err)
					continue
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s: got %+v, want %+v", call, got, want)
				}
			}
		})
	}
}

func TestBaseOtherErrorsKeepTheirCode(t *testing.T) {
	perr := sdk.Errorf(sdk.CodeUnavailable, "olric: no members reachable")
	c := dialBase(t, t.Context(), &fakeBase{err: perr})
	ctx := t.Context()
	_, infoErr := c.Info(ctx)
	_, healthErr := c.Health(ctx)
	errs := map[string]error{
		"Info":           infoErr,
		"Health":         healthErr,
		"ValidateConfig": c.ValidateConfig(ctx, plugin.Config{}),
		"Configure":      c.Configure(ctx, plugin.Config{}),
		"Close":          c.Close(ctx),
	}
	for name, err := range errs {
		e := plugintest.SDKError(t, err)
		if e.Code != sdk.CodeUnavailable || e.Message != perr.Message {
			t.Errorf("%s: got %+v, want %+v", name, e, perr)
		}
		var ce plugin.ConfigError
		if errors.As(err, &ce) {
			t.Errorf("%s: an unavailable error became a ConfigError", name)
		}
	}
}

func TestBasePlainErrorIsInternal(t *testing.T) {
	c := dialBase(t, t.Context(), &fakeBase{err: errors.New("disk on fire")})
	e := plugintest.SDKError(t, c.Configure(t.Context(), plugin.Config{}))
	if e.Code != sdk.CodeInternal || e.Message != "disk on fire" {
		t.Errorf("got %+v, want internal with the text kept for the log", e)
	}
}

func TestBaseClose(t *testing.T) {
	f := &fakeBase{}
	c := dialBase(t, t.Context(), f)
	for i := 0; i < 2; i++ { // Close must tolerate being called twice
		if err := c.Close(t.Context()); err != nil {
			t.Fatalf("Close #%d: %v", i+1, err)
		}
	}
	if _, _, _, closes, _ := f.snapshot(); closes != 2 {
		t.Errorf("Close reached the plugin %d times, want 2", closes)
	}
}

func TestBaseClientLifetime(t *testing.T) {
	life, cancel := context.WithCancel(t.Context())
	defer cancel()
	f := &fakeBase{health: plugin.Health{OK: true, Driver: "olric"}}
	c := dialBase(t, life, f)

	if err := c.Alive(); err != nil {
		t.Fatalf("Alive before the end of the lifetime: %v", err)
	}
	select {
	case <-c.Done():
		t.Fatal("Done is closed before the end of the lifetime")
	default:
	}
	if _, err := c.Health(t.Context()); err != nil {
		t.Fatalf("Health while alive: %v", err)
	}

	cancel()
	select {
	case <-c.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("Done not closed after the lifetime ended")
	}
	if e := plugintest.SDKError(t, c.Alive()); e.Code != sdk.CodeUnavailable {
		t.Errorf("Alive after the end: code %s, want unavailable", e.Code)
	}
	_, err := c.Health(t.Context())
	if e := plugintest.SDKError(t, err); e.Code != sdk.CodeUnavailable {
		t.Errorf("Health after the end: code %s, want unavailable", e.Code)
	}
	if _, _, calls, _, _ := f.snapshot(); calls != 1 {
		t.Errorf("Health reached the plugin %d times, want 1 (none after the end)", calls)
	}
}

func TestBaseClientWithoutLifetime(t *testing.T) {
	c := plugin.NewBaseClient(nil, nil, nil)
	if c.Done() != nil {
		t.Error("Done of a client without lifetime is not nil")
	}
	if err := c.Alive(); err != nil {
		t.Errorf("Alive of a client without lifetime: %v", err)
	}
}
