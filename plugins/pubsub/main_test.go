package main

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/pubsub"
	"github.com/orama-network/orama/sdk/pubsub/pubsubtest"
)

// TestBinaryServes builds orama-plugin-pubsub and drives it the way the
// host does: go-plugin over gRPC with AutoMTLS, Configure, then calls.
func TestBinaryServes(t *testing.T) {
	bin := plugintest.Build(t, ".", "orama-plugin-pubsub")
	c := plugintest.Start(t, bin, pubsub.Kind, &pubsub.Plugin{}).(*pubsub.Client)

	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if err := c.ValidateConfig(ctx, plugin.Config{Name: "pubsub", Raw: []byte(`{"driver": "nope"}`)}); err == nil {
		t.Error("ValidateConfig of an unknown driver: no error")
	}
	if err := c.Configure(ctx, plugin.Config{Name: "pubsub", DataDir: t.TempDir(), Raw: []byte(`{"driver": "local"}`)}); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	sub, err := c.Subscribe(ctx, "ns", "chat")
	if err != nil {
		t.Fatalf("Subscribe: %v", err)
	}
	defer sub.Close()
	if err := c.Publish(ctx, "ns", "chat", []byte(`{"hello":"world"}`)); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if m, err := sub.Next(); err != nil || string(m.Data) != `{"hello":"world"}` || m.Topic != "chat" {
		t.Errorf("Next = %+v, %v", m, err)
	}
	if h, err := c.Health(ctx); err != nil || !h.OK || h.Driver != "local" {
		t.Errorf("Health = %+v, %v", h, err)
	}
	if err := c.Close(ctx); err != nil {
		t.Errorf("Close: %v", err)
	}
	_, err = sub.Next()
	plugintest.WantCode(t, err, "Next after the plugin's Close", sdk.CodeUnavailable)
}

// TestBinaryConformance runs the conformance suite against the binary
// with the local driver, over go-plugin.
func TestBinaryConformance(t *testing.T) {
	bin := plugintest.Build(t, ".", "orama-plugin-pubsub")
	c := plugintest.Start(t, bin, pubsub.Kind, &pubsub.Plugin{}).(*pubsub.Client)
	if err := c.Configure(t.Context(), plugin.Config{Name: "pubsub", DataDir: t.TempDir()}); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	pubsubtest.Run(t, func(*testing.T) pubsub.PubSub { return c })
}

// TestBinaryKilled: a subscription whose plugin process is killed fails
// Next with unavailable, and the client fails fast from then on — what
// the host relies on to resubscribe on the next instance.
func TestBinaryKilled(t *testing.T) {
	bin := plugintest.Build(t, ".", "orama-plugin-pubsub")
	gp := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  plugin.Handshake,
		VersionedPlugins: map[int]goplugin.PluginSet{plugin.ProtocolVersion: {pubsub.Kind: &pubsub.Plugin{}}},
		Cmd:              exec.Command(bin),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		Logger:           hclog.New(&hclog.LoggerOptions{Name: "host", Level: hclog.Warn}),
	})
	t.Cleanup(gp.Kill)
	rpc, err := gp.Client()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := rpc.Dispense(pubsub.Kind)
	if err != nil {
		t.Fatal(err)
	}
	c := raw.(*pubsub.Client)
	if err := c.Configure(t.Context(), plugin.Config{Name: "pubsub"}); err != nil {
		t.Fatal(err)
	}
	sub, err := c.Subscribe(t.Context(), "ns", "t")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	errc := pubsubtest.NextErr(sub)
	gp.Kill()
	select {
	case err := <-errc:
		t.Logf("Next when the plugin was killed: %v", err)
		plugintest.WantCode(t, err, "Next when the plugin was killed", sdk.CodeUnavailable)
	case <-time.After(30 * time.Second):
		t.Fatal("Next still waiting 30s after the plugin was killed")
	}
	select {
	case <-c.Done():
	case <-time.After(30 * time.Second):
		t.Fatal("the client's Done still open 30s after the plugin was killed")
	}
	plugintest.WantCode(t, c.Publish(t.Context(), "ns", "t", nil), "Publish after the kill", sdk.CodeUnavailable)
	_, err = c.Subscribe(t.Context(), "ns", "t")
	plugintest.WantCode(t, err, "Subscribe after the kill", sdk.CodeUnavailable)
}
