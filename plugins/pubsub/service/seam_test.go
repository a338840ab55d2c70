package service

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/pubsub"
)

// fakeDriver is a Broker that records its Close.
type fakeDriver struct {
	*pubsub.Broker
	closed *int
}

func (f fakeDriver) Close(context.Context) error { *f.closed++; return f.Broker.Close() }

// register adds a driver for the test's duration.
func register(t *testing.T, name string, def driverDef) {
	t.Helper()
	drivers[name] = def
	t.Cleanup(func() { delete(drivers, name) })
}

// TestDriverSeam: a registered driver is validated, started with its Env
// and closed once, as the package doc promises driver_libp2p.go.
func TestDriverSeam(t *testing.T) {
	var got Env
	var validated []Config
	closed := 0
	register(t, "fake", driverDef{
		validate: func(c Config, errs *plugin.ConfigError) {
			validated = append(validated, c)
			if len(c.Peers) == 0 {
				errs.Add("peers", "fake needs a peer")
			}
		},
		start: func(_ context.Context, c Config, env Env) (Driver, error) {
			got = env
			return fakeDriver{pubsub.NewBroker(pubsub.BrokerOptions{Driver: "fake", QueueLen: 1, OnDrop: env.OnDrop}), &closed}, nil
		},
	})
	s := New(nil)
	dataDir := t.TempDir()
	err := s.Configure(t.Context(), plugin.Config{Name: "ps", NodeID: "node-7", DataDir: dataDir, Raw: []byte(`{"driver": "fake"}`)})
	if ce := fieldErrors(t, err); ce[0].Attribute != "peers" {
		t.Errorf("Configure without peers: %v", ce)
	}
	raw := []byte(`{"driver": "fake", "peers": ["/ip4/127.0.0.1/tcp/1/p2p/x"], "queue_len": 1}`)
	if err := s.Configure(t.Context(), plugin.Config{Name: "ps", NodeID: "node-7", DataDir: dataDir, Raw: raw}); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	if len(validated) != 2 || validated[1].Peers[0] != "/ip4/127.0.0.1/tcp/1/p2p/x" || validated[1].QueueLen != 1 {
		t.Errorf("validate saw %+v", validated)
	}
	want := filepath.Join(dataDir, "ps")
	if got.Name != "ps" || got.NodeID != "node-7" || got.DataDir != want || got.Log == nil || got.OnDrop == nil {
		t.Errorf("Env = %+v, want name ps, node-7, data dir %s", got, want)
	}
	if st, err := os.Stat(want); err != nil || !st.IsDir() {
		t.Errorf("data dir %s: %v", want, err)
	}

	// Drops of the driver's broker are counted and reported by Health.
	sub, err := s.Subscribe(t.Context(), "ns", "t")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	for range 3 {
		if err := s.Publish(t.Context(), "ns", "t", []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	if h, err := s.Health(t.Context()); err != nil || !h.OK || h.Driver != "fake" || h.Detail != "2 messages dropped for slow subscribers" {
		t.Errorf("Health = %+v, %v; want OK, driver fake, 2 drops", h, err)
	}
	for range 2 {
		if err := s.Close(t.Context()); err != nil {
			t.Errorf("Close: %v", err)
		}
	}
	if closed != 1 {
		t.Errorf("driver closed %d times, want 1", closed)
	}
}

// TestStartFails: a driver that cannot start leaves the Service
// unconfigured; a ConfigError stays one, other errors are unavailable;
// Close then is a no-op and Configure may be retried.
func TestStartFails(t *testing.T) {
	var startErr error
	register(t, "broken", driverDef{
		validate: func(Config, *plugin.ConfigError) {},
		start: func(context.Context, Config, Env) (Driver, error) {
			return nil, startErr
		},
	})
	s := New(nil)
	cfg := plugin.Config{Name: "pubsub", DataDir: t.TempDir(), Raw: []byte(`{"driver": "broken"}`)}

	startErr = plugin.ConfigError{{Attribute: "swarm_key_file", Message: "no such file"}}
	if ce := fieldErrors(t, s.Configure(t.Context(), cfg)); ce[0].Attribute != "swarm_key_file" {
		t.Errorf("ConfigError from start: %v", ce)
	}
	startErr = os.ErrPermission
	err := s.Configure(t.Context(), cfg)
	if e := plugintest.WantCode(t, err, "Configure of a driver that fails", sdk.CodeUnavailable); e != nil && e.Message != "start the broken driver: permission denied" {
		t.Errorf("message %q", e.Message)
	}
	if err := s.Close(t.Context()); err != nil {
		t.Errorf("Close after a failed Configure: %v", err)
	}
	if h, _ := s.Health(t.Context()); h.OK {
		t.Errorf("Health after a failed Configure = %+v", h)
	}
	if err := s.Configure(t.Context(), plugin.Config{Name: "pubsub"}); err != nil {
		t.Errorf("Configure (local) after a failed one: %v", err)
	}
	_ = s.Close(t.Context())
}
