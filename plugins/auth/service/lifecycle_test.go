package service_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/plugins/auth/service"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/auth/authtest"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

func TestConfigureWithoutHostAPI(t *testing.T) {
	s := service.New(nil)
	err := s.Configure(t.Context(), plugin.Config{Name: "auth", Raw: rawConfig(nil)})
	var e *sdk.Error
	if !errors.As(err, &e) || e.Code != sdk.CodeUnavailable || !strings.Contains(e.Message, "needs the database plugin through the host") {
		t.Fatalf("Configure without cfg.Host: %v, want unavailable naming the database plugin", err)
	}
	if err := s.Close(t.Context()); err != nil {
		t.Errorf("Close after a failed Configure: %v", err)
	}
}

func TestNotConfigured(t *testing.T) {
	s := service.New(nil)
	if h, err := s.Health(t.Context()); err != nil || h.OK {
		t.Errorf("Health before Configure = %+v, %v; want not OK", h, err)
	}
	if info, _ := s.Info(t.Context()); info.Kind != "auth" {
		t.Errorf("Info = %+v", info)
	}
	_, err := s.Challenge(t.Context(), authtest.NewETHWallet().Address(), "login", "ns", "")
	if plugintest.Code(err) != sdk.CodeUnavailable {
		t.Errorf("Challenge before Configure: %v, want unavailable", err)
	}
}

func TestCloseAndReconfigure(t *testing.T) {
	db, c := sqliteDB(t), newClock(time.Now())
	s := service.New(nil, service.WithDatabase(db), service.WithClock(c.Now))
	cfg := plugin.Config{Name: "auth", Raw: rawConfig(nil)}
	if err := s.Configure(t.Context(), cfg); err != nil {
		t.Fatal(err)
	}
	if err := s.Configure(t.Context(), cfg); plugintest.Code(err) != sdk.CodeConflict {
		t.Errorf("second Configure: %v, want conflict", err)
	}
	if h, err := s.Health(t.Context()); err != nil || !h.OK {
		t.Errorf("Health = %+v, %v", h, err)
	}
	for i := 0; i < 2; i++ {
		if err := s.Close(t.Context()); err != nil {
			t.Fatalf("Close #%d: %v", i+1, err)
		}
	}
	if _, err := s.Keys(t.Context()); plugintest.Code(err) != sdk.CodeUnavailable {
		t.Errorf("Keys after Close: %v, want unavailable", err)
	}
	if err := s.Configure(t.Context(), cfg); err != nil {
		t.Errorf("Configure after Close: %v", err)
	}
	_ = s.Close(t.Context())
}
