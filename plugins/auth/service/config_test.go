package service_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/orama-network/orama/plugins/auth/service"
	"github.com/orama-network/orama/sdk/plugin"
)

func TestConfigDefaults(t *testing.T) {
	c, err := service.ParseConfig(plugin.Config{Raw: rawConfig(nil)})
	if err != nil {
		t.Fatal(err)
	}
	want := service.Config{KeySecret: testSecret, Issuer: "orama", Audience: "orama-gateway", TokenTTL: "15m",
		RefreshTTL: "720h", NonceTTL: "5m", RotateEvery: "720h", ClockSkew: "60s"}
	c2 := want
	if c.KeySecret != c2.KeySecret || c.Issuer != c2.Issuer || c.Audience != c2.Audience || c.TokenTTL != c2.TokenTTL ||
		c.RefreshTTL != c2.RefreshTTL || c.NonceTTL != c2.NonceTTL || c.RotateEvery != c2.RotateEvery ||
		c.ClockSkew != c2.ClockSkew || c.AllowSimpleKeys ||
		c.MaxChallengesPerWallet != service.DefaultMaxChallengesPerWallet || c.MaxChallengesPerIP != service.DefaultMaxChallengesPerIP {
		t.Errorf("defaults = %+v, want %+v", c, want)
	}
}

func TestConfigErrorsNameTheAttribute(t *testing.T) {
	cases := []struct {
		attrs map[string]any
		attr  string
		text  string
	}{
		{map[string]any{"key_secret": nil}, "key_secret", "is required"},
		{map[string]any{"key_secret": "short"}, "key_secret", "at least 32"},
		{map[string]any{"token_ttl": "soon"}, "token_ttl", "must be a duration"},
		{map[string]any{"refresh_ttl": "-1h"}, "refresh_ttl", "at least"},
		{map[string]any{"nonce_ttl": "0s"}, "nonce_ttl", "at least"},
		{map[string]any{"rotate_every": "10s"}, "rotate_every", "at least 1m"},
		{map[string]any{"rotate_every": "10m"}, "rotate_every", "at least token_ttl"},
		{map[string]any{"max_challenges_per_wallet": -1}, "max_challenges_per_wallet", "from 0 (no bound)"},
		{map[string]any{"max_challenges_per_ip": 2000000}, "max_challenges_per_ip", "from 0 (no bound)"},
		{map[string]any{"clock_skew": "1 minute"}, "clock_skew", "must be a duration"},
		{map[string]any{"issuer": ""}, "issuer", "empty"},
		{map[string]any{"audience": ""}, "audience", "empty"},
		{map[string]any{"allow_simple_keys": "yes"}, "allow_simple_keys", "type bool"},
		{map[string]any{"keysecret": testSecret}, "keysecret", "unknown attribute"},
	}
	s := service.New(nil) // no database: ValidateConfig must not need one
	for _, tc := range cases {
		err := s.ValidateConfig(t.Context(), plugin.Config{Raw: rawConfig(tc.attrs)})
		var ce plugin.ConfigError
		if !errors.As(err, &ce) {
			t.Errorf("%v: got %v, want a ConfigError", tc.attrs, err)
			continue
		}
		found := false
		for _, f := range ce {
			if f.Attribute == tc.attr && strings.Contains(f.Message, tc.text) {
				found = true
			}
		}
		if !found {
			raw, _ := json.Marshal(tc.attrs)
			t.Errorf("%s: got %v, want %s: …%s…", raw, ce, tc.attr, tc.text)
		}
	}
	if err := s.ValidateConfig(t.Context(), plugin.Config{Raw: rawConfig(map[string]any{"token_ttl": "5m", "clock_skew": "0s"})}); err != nil {
		t.Errorf("a valid block: %v", err)
	}
}

func TestKeySecretOrFileRequired(t *testing.T) {
	for raw, attr := range map[string]string{
		`{}`: "key_secret",
		`{"key_secret":"0123456789012345678901234567890123456789","key_secret_file":"x"}`: "key_secret_file",
	} {
		_, err := service.ParseConfig(plugin.Config{Raw: []byte(raw)})
		var ce plugin.ConfigError
		if !errors.As(err, &ce) || ce[0].Attribute != attr {
			t.Errorf("%s: %v, want an error on %s", raw, err, attr)
		}
	}
	if _, err := service.ParseConfig(plugin.Config{Raw: []byte(`{"key_secret_file":"auth.secret"}`)}); err != nil {
		t.Errorf("key_secret_file alone: %v", err)
	}
}
