package plugintest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
)

// InProcess serves p, the plugin side of a go-plugin wrapper (e.g.
// &cache.Plugin{Impl: store}), in this process as plugin.Serve does, over
// go-plugin's gRPC transport (a Unix socket, AutoMTLS off), and returns
// the client it dispenses as C (e.g. *cache.Client). Domain calls go
// through the mux as the host sends them (plugin.MuxDialOptions:
// ORAMA_PLUGIN_MUX=off makes them plain unary calls). The connection and
// the server close when the test ends.
func InProcess[C any](t testing.TB, kind string, p goplugin.Plugin) C {
	t.Helper()
	gp, ok := p.(goplugin.GRPCPlugin)
	if !ok {
		t.Fatalf("InProcess: %T is not a go-plugin GRPCPlugin", p)
	}
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *goplugin.ReattachConfig, 1)
	closed := make(chan struct{})
	cfg := plugin.ServeConfig(kind, gp)
	cfg.Logger = Logger(t, kind)
	cfg.Test = &goplugin.ServeTestConfig{Context: ctx, ReattachConfigCh: reattach, CloseCh: closed}
	go goplugin.Serve(cfg)
	var rc *goplugin.ReattachConfig
	select {
	case rc = <-reattach:
	case <-closed:
		cancel()
		t.Fatalf("InProcess: the %s plugin stopped before serving", kind)
	case <-time.After(time.Minute):
		cancel()
		t.Fatalf("InProcess: the %s plugin did not serve within a minute", kind)
	}
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  plugin.Handshake,
		Plugins:          goplugin.PluginSet{kind: p}, // a reattached client negotiates no version
		Reattach:         rc,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           Logger(t, "host"),
		GRPCDialOptions:  plugin.MuxDialOptions(),
	})
	t.Cleanup(func() {
		client.Kill()
		cancel()
		<-closed
	})
	rpc, err := client.Client()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := rpc.Dispense(kind)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := raw.(C)
	if !ok {
		var want C
		t.Fatalf("Dispense returned %T, want %T", raw, want)
	}
	return c
}

// closeTimeout bounds the Close that Configure registers.
const closeTimeout = 30 * time.Second

// Configure configures b with cfg, failing the test when it cannot, and
// closes b (reporting an error of Close) when the test ends.
func Configure(t testing.TB, b plugin.Base, cfg plugin.Config) {
	t.Helper()
	if err := b.Configure(t.Context(), cfg); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
		defer cancel()
		if err := b.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
}

// WantIdle checks what an unconfigured plugin answers: Info of kind and
// name with a version, and a Health that is not OK with Detail "not
// configured".
func WantIdle(t testing.TB, b plugin.Base, kind, name string) {
	t.Helper()
	ctx := t.Context()
	if info, err := b.Info(ctx); err != nil || info.Kind != kind || info.Name != name || info.Version == "" {
		t.Errorf("Info = %+v, %v; want kind %q, name %q", info, err, kind, name)
	}
	if h, err := b.Health(ctx); err != nil || h.OK || h.Detail != "not configured" {
		t.Errorf("Health before Configure = %+v, %v; want not OK, not configured", h, err)
	}
}

// WantConfigError reports an error, naming the call what, unless err is
// a plugin.ConfigError of one field error for each of attrs, naming them
// in that order, each with a message. It returns the ConfigError (nil
// when err is none).
func WantConfigError(t testing.TB, err error, what string, attrs ...string) plugin.ConfigError {
	t.Helper()
	var ce plugin.ConfigError
	if !errors.As(err, &ce) {
		t.Errorf("%s: got %v, want a ConfigError naming %q", what, err, attrs)
		return nil
	}
	ok := len(ce) == len(attrs)
	for i := 0; ok && i < len(ce); i++ {
		ok = ce[i].Attribute == attrs[i] && ce[i].Message != ""
	}
	if !ok {
		t.Errorf("%s: got %#v, want a ConfigError naming %q", what, ce, attrs)
	}
	return ce
}

// MustCode is WantCode for one code that ends the test on a mismatch, for
// callers that go on to use the error.
func MustCode(t testing.TB, err error, what string, code sdk.Code) *sdk.Error {
	t.Helper()
	var e *sdk.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("%s: got %v, want code %s", what, err, code)
	}
	return e
}

// Logger returns a logger named name that writes warnings and errors to
// the test's log while the test runs. Lines logged after it ended (by a
// backend's goroutines that outlive its Close, such as memberlist's
// probes) are dropped: testing panics on a Log after the test.
func Logger(t testing.TB, name string) hclog.Logger {
	w := &testWriter{t: t}
	t.Cleanup(func() {
		w.mu.Lock()
		w.ended = true
		w.mu.Unlock()
	})
	return hclog.New(&hclog.LoggerOptions{Name: name, Level: hclog.Warn, Output: w})
}

// testWriter sends log lines to the test's log until the test ends.
type testWriter struct {
	t     testing.TB
	mu    sync.Mutex
	ended bool
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.ended {
		w.t.Log(string(p))
	}
	return len(p), nil
}

// Launch builds the plugin binary orama-plugin-<kind> from the main
// package in dir, starts it as the host does (Start) and returns its
// client as C (e.g. *cache.Client). It fails the test when the binary
// dispenses something else.
func Launch[C any](t *testing.T, dir, kind string, p goplugin.Plugin) C {
	t.Helper()
	raw := Start(t, Build(t, dir, "orama-plugin-"+kind), kind, p)
	c, ok := raw.(C)
	if !ok {
		var want C
		t.Fatalf("orama-plugin-%s dispensed %T, want %T", kind, raw, want)
	}
	return c
}

// CloseTwice closes b twice, reporting an error of either Close; when
// says in what state b is (e.g. "before Configure", "" for none).
func CloseTwice(t testing.TB, b plugin.Base, when string) {
	t.Helper()
	if when != "" {
		when = " " + when
	}
	for i := range 2 {
		if err := b.Close(t.Context()); err != nil {
			t.Errorf("Close %d%s: %v", i+1, when, err)
		}
	}
}
