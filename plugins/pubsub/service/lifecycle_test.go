package service_test

import (
	"testing"

	"github.com/orama-network/orama/plugins/pubsub/service"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
	"github.com/orama-network/orama/sdk/pubsub"
	"github.com/orama-network/orama/sdk/pubsub/pubsubtest"
)

func configured(t *testing.T, raw string) *service.Service {
	t.Helper()
	s := service.New(nil)
	if err := s.Configure(t.Context(), plugin.Config{Name: "pubsub", NodeID: "node-1", DataDir: t.TempDir(), Raw: []byte(raw)}); err != nil {
		t.Fatalf("Configure(%s): %v", raw, err)
	}
	t.Cleanup(func() { _ = s.Close(t.Context()) })
	return s
}

// TestLocalConformance runs the conformance suite against the local
// driver, through the Service.
func TestLocalConformance(t *testing.T) {
	s := configured(t, `{"driver": "local"}`)
	pubsubtest.Run(t, func(*testing.T) pubsub.PubSub { return s })
}

func TestNotConfigured(t *testing.T) {
	s := service.New(nil)
	if h, err := s.Health(t.Context()); err != nil || h.OK || h.Detail != "not configured" {
		t.Errorf("Health before Configure = %+v, %v; want not OK", h, err)
	}
	if info, _ := s.Info(t.Context()); info.Kind != pubsub.Kind || info.Version == "" {
		t.Errorf("Info = %+v", info)
	}
	plugintest.WantCode(t, s.Publish(t.Context(), "ns", "t", nil), "Publish before Configure", sdk.CodeUnavailable)
	_, err := s.Subscribe(t.Context(), "ns", "t")
	plugintest.WantCode(t, err, "Subscribe before Configure", sdk.CodeUnavailable)
	if err := s.Close(t.Context()); err != nil {
		t.Errorf("Close before Configure: %v", err)
	}
}

func TestLifecycle(t *testing.T) {
	s := service.New(nil)
	cfg := plugin.Config{Name: "pubsub", Raw: []byte(`{}`)} // no data_dir: local needs none
	if err := s.ValidateConfig(t.Context(), plugin.Config{Raw: []byte(`{"driver": "nope"}`)}); err == nil {
		t.Error("ValidateConfig of an unknown driver: no error")
	}
	if err := s.Configure(t.Context(), plugin.Config{Raw: []byte(`{"queue_len": -1}`)}); err == nil {
		t.Error("Configure with queue_len -1: no error")
	}
	if err := s.Configure(t.Context(), cfg); err != nil {
		t.Fatal(err)
	}
	plugintest.WantCode(t, s.Configure(t.Context(), cfg), "second Configure", sdk.CodeConflict)
	if h, err := s.Health(t.Context()); err != nil || !h.OK || h.Driver != "local" {
		t.Errorf("Health = %+v, %v", h, err)
	}
	sub, err := s.Subscribe(t.Context(), "ns", "t")
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := s.Close(t.Context()); err != nil {
			t.Fatalf("Close: %v", err)
		}
	}
	_, err = sub.Next()
	plugintest.WantCode(t, err, "Next after Close", sdk.CodeUnavailable)
	plugintest.WantCode(t, s.Publish(t.Context(), "ns", "t", nil), "Publish after Close", sdk.CodeUnavailable)
	if err := s.Configure(t.Context(), cfg); err != nil {
		t.Errorf("Configure after Close: %v", err)
	}
	_ = s.Close(t.Context())
}
