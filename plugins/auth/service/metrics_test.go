package service_test

import (
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/auth/authtest"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

func TestMetricsCountSignInsAndValidations(t *testing.T) {
	s := newService(t, sqliteDB(t), newClock(time.Now()), nil)
	ctx := t.Context()
	m := func(name string, labels ...string) float64 { return plugintest.Metric(t, name, labels...) }
	walletOK := m("orama_auth_sign_ins_total", "method", "wallet", "result", "ok")
	refreshRefused := m("orama_auth_sign_ins_total", "method", "refresh", "result", "refused")
	valid, refused := m("orama_auth_key_validations_total", "result", "valid"), m("orama_auth_key_validations_total", "result", "refused")

	sess := signIn(t, s, authtest.NewETHWallet(), "alpha")
	if _, err := s.ValidateAPIKey(ctx, sess.APIKey); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ValidateAPIKey(ctx, "ak_bogus"); err == nil {
		t.Fatal("a bogus key validated")
	}
	if _, err := s.Refresh(ctx, "rt_bogus", "alpha"); err == nil {
		t.Fatal("a bogus refresh token refreshed")
	}
	for _, c := range []struct {
		what      string
		got, want float64
	}{
		{"wallet sign-ins", m("orama_auth_sign_ins_total", "method", "wallet", "result", "ok") - walletOK, 1},
		{"refused refreshes", m("orama_auth_sign_ins_total", "method", "refresh", "result", "refused") - refreshRefused, 1},
		{"valid keys", m("orama_auth_key_validations_total", "result", "valid") - valid, 1},
		{"refused keys", m("orama_auth_key_validations_total", "result", "refused") - refused, 1},
	} {
		if c.got != c.want {
			t.Errorf("%s moved by %v, want %v", c.what, c.got, c.want)
		}
	}
}
