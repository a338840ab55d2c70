package plugin_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	goplugin "github.com/hashicorp/go-plugin"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/hostapi"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"google.golang.org/grpc"
)

// basePlugin is the smallest GRPCPlugin wrapper a domain package would
// write: Base on the plugin side, *BaseClient on the host side.
type basePlugin struct {
	goplugin.NetRPCUnsupportedPlugin
	impl plugin.Base
}

func (p *basePlugin) GRPCServer(broker *goplugin.GRPCBroker, s *grpc.Server) error {
	plugin.RegisterBase(s, broker, p.impl)
	return nil
}

func (p *basePlugin) GRPCClient(ctx context.Context, broker *goplugin.GRPCBroker, conn *grpc.ClientConn) (any, error) {
	return plugin.NewBaseClient(ctx, broker, conn), nil
}

// dispenseBase connects host and plugin through go-plugin's gRPC client and
// server (with the broker) and returns the host-side client.
func dispenseBase(t *testing.T, multiplex bool, impl plugin.Base) *plugin.BaseClient {
	t.Helper()
	// Closing the client stops the server through go-plugin's controller;
	// calling server.Stop as well would race inside go-plugin.
	client, _ := goplugin.TestPluginGRPCConn(t, multiplex, map[string]goplugin.Plugin{"base": &basePlugin{impl: impl}})
	t.Cleanup(func() { _ = client.Close() })
	raw, err := client.Dispense("base")
	if err != nil {
		t.Fatal(err)
	}
	bc, ok := raw.(*plugin.BaseClient)
	if !ok {
		t.Fatalf("Dispense returned %T", raw)
	}
	return bc
}

func TestHostAPIThroughBroker(t *testing.T) {
	for _, multiplex := range []bool{false, true} {
		name := "separate-connections"
		if multiplex {
			name = "multiplexed"
		}
		t.Run(name, func(t *testing.T) { testHostAPIThroughBroker(t, multiplex) })
	}
}

func testHostAPIThroughBroker(t *testing.T, multiplex bool) {
	duringConfigure := hostapi.Entry{
		Level:     "info",
		Message:   "olric member started",
		RequestID: "req-configure",
		Fields:    map[string]any{"peers": "none", "embedded": true},
	}
	f := &fakeBase{info: plugin.Info{Kind: "cache", Name: "olric"}}
	f.onConfigure = func(ctx context.Context, cfg plugin.Config) error {
		if cfg.Host == nil {
			return sdk.Errorf(sdk.CodeInternal, "cfg.Host is nil on the plugin side")
		}
		return cfg.Host.Log(ctx, duringConfigure)
	}
	host := &plugintest.Host{}

	bc := dispenseBase(t, multiplex, f)
	if info, err := bc.Info(t.Context()); err != nil || info.Name != "olric" {
		t.Fatalf("Info through go-plugin: %+v, %v", info, err)
	}
	bc.SetHostServer(func(opts []grpc.ServerOption) *grpc.Server {
		s := grpc.NewServer(opts...)
		hostapi.Register(s, host)
		return s
	})
	if err := bc.Configure(t.Context(), plugin.Config{Name: "cache", NodeID: "node-1"}); err != nil {
		t.Fatalf("Configure: %v", err)
	}

	_, configured, _, _, hc := f.snapshot()
	if len(configured) != 1 || hc == nil {
		t.Fatalf("plugin saw %d Configure calls, host API %v; want 1 and non-nil", len(configured), hc)
	}
	if configured[0].Name != "cache" || configured[0].NodeID != "node-1" {
		t.Errorf("config through go-plugin: %+v", configured[0])
	}

	// After Configure the plugin keeps using the same client.
	later := hostapi.Entry{
		Level:     "warn",
		Message:   "member left",
		RequestID: "req-42",
		Fields:    map[string]any{"member": "10.0.0.2:3322", "members": map[string]any{"left": "10.0.0.2:3322"}},
	}
	if err := hc.Log(t.Context(), later); err != nil {
		t.Fatalf("Log after Configure: %v", err)
	}

	got := host.Logged()
	if len(got) != 2 {
		t.Fatalf("host got %d entries, want 2: %+v", len(got), got)
	}
	for i, want := range []hostapi.Entry{duringConfigure, later} {
		if !reflect.DeepEqual(got[i], want) {
			t.Errorf("entry %d: host got %+v, want %+v", i, got[i], want)
		}
	}

	// A host API error reaches the plugin with its code.
	host.SetErr(sdk.Errorf(sdk.CodeInvalid, `unknown log level "loud"`))
	err := hc.Log(t.Context(), hostapi.Entry{Level: "loud", Message: "x"})
	var e *sdk.Error
	if !errors.As(err, &e) || e.Code != sdk.CodeInvalid {
		t.Errorf("Log with an error from the host: %v, want invalid", err)
	}

	// Close on the plugin side closes its host API connection.
	if err := bc.Close(t.Context()); err != nil {
		t.Fatalf("Close: %v", err)
	}
	err = hc.Log(t.Context(), later)
	if !errors.As(err, &e) || e.Code != sdk.CodeUnavailable {
		t.Errorf("Log after Close: %v, want unavailable", err)
	}
}

func TestConfigureWithoutHostServicesHasNoHost(t *testing.T) {
	f := &fakeBase{}
	bc := dispenseBase(t, false, f)
	if err := bc.Configure(t.Context(), plugin.Config{Name: "cache"}); err != nil {
		t.Fatal(err)
	}
	if _, _, _, _, hc := f.snapshot(); hc != nil {
		t.Error("cfg.Host is set although the host offered no services")
	}
}
