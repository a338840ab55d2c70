package olric

import (
	"errors"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

func TestParseConfigErrorsNameTheAttribute(t *testing.T) {
	cases := []struct {
		name  string
		attrs map[string]any
		want  string // the one attribute at fault
	}{
		{"bogus mode", map[string]any{"mode": "bogus"}, "mode"},
		{"empty mode", map[string]any{"mode": ""}, "mode"},
		{"hostname bind_addr", map[string]any{"bind_addr": "localhost"}, "bind_addr"},
		{"negative bind_port", map[string]any{"bind_port": -1}, "bind_port"},
		{"huge bind_port", map[string]any{"bind_port": 70000}, "bind_port"},
		{"string bind_port", map[string]any{"bind_port": "3320"}, "bind_port"},
		{"huge memberlist_port", map[string]any{"memberlist_port": 65536}, "memberlist_port"},
		{"same ports", map[string]any{"bind_port": 4000, "memberlist_port": 4000}, "memberlist_port"},
		{"peer without port", map[string]any{"peers": []string{"10.0.0.1"}}, "peers"},
		{"peer with port 0", map[string]any{"peers": []string{"10.0.0.1:0"}}, "peers"},
		{"peer is self", map[string]any{"memberlist_port": 4001, "peers": []string{"127.0.0.1:4001"}}, "peers"},
		{"peers not a list", map[string]any{"peers": "10.0.0.1:3322"}, "peers"},
		{"servers in embedded mode", map[string]any{"servers": []string{"10.0.0.1:3320"}}, "servers"},
		{"client without servers", map[string]any{"mode": "client"}, "servers"},
		{"client with a bad server", map[string]any{"mode": "client", "servers": []string{"nope"}}, "servers"},
		{"client with peers", map[string]any{"mode": "client", "servers": []string{"a:1"}, "peers": []string{"b:2"}}, "peers"},
		{"zero replica_count", map[string]any{"replica_count": 0}, "replica_count"},
		{"bad start_timeout", map[string]any{"start_timeout": "soon"}, "start_timeout"},
		{"negative request_timeout", map[string]any{"request_timeout": "-1s"}, "request_timeout"},
		{"unknown attribute", map[string]any{"port": 3320}, "port"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig(testConfig(t, tc.attrs))
			plugintest.WantConfigError(t, err, "ParseConfig", tc.want)
		})
	}
}

func TestParseConfigBogusModeMessage(t *testing.T) {
	_, err := ParseConfig(testConfig(t, map[string]any{"mode": "bogus"}))
	want := plugin.ConfigError{{Attribute: "mode", Message: `must be "embedded" or "client"`}}
	var ce plugin.ConfigError
	if !errors.As(err, &ce) || len(ce) != 1 || ce[0] != want[0] {
		t.Errorf("got %#v, want %#v", err, want)
	}
}

func TestParseConfigReportsEveryBadAttribute(t *testing.T) {
	_, err := ParseConfig(testConfig(t, map[string]any{"bind_addr": "x", "replica_count": -2, "start_timeout": "0s"}))
	var ce plugin.ConfigError
	if !errors.As(err, &ce) || len(ce) != 3 {
		t.Errorf("got %v, want errors for bind_addr, replica_count and start_timeout", err)
	}
}

func TestParseConfigDefaults(t *testing.T) {
	for name, raw := range map[string]string{"no block": "", "empty block": "{}", "nulls": `{"mode": null, "peers": null}`} {
		c, err := ParseConfig(plugin.Config{Raw: []byte(raw)})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if c.Mode != ModeEmbedded || c.BindAddr != "127.0.0.1" || c.BindPort != 0 || c.ReplicaCount != 1 ||
			c.startTimeout != 20*time.Second || c.requestTimeout != 5*time.Second {
			t.Errorf("%s: defaults = %+v", name, c)
		}
	}

	c, err := ParseConfig(testConfig(t, map[string]any{
		"mode": "client", "servers": []string{"10.0.0.1:3320", "[::1]:3320"}, "request_timeout": "250ms",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Mode != ModeClient || len(c.Servers) != 2 || c.requestTimeout != 250*time.Millisecond {
		t.Errorf("client config = %+v", c)
	}
}

func TestValidateConfigHasNoSideEffects(t *testing.T) {
	s := New(nil)
	if err := s.ValidateConfig(t.Context(), testConfig(t, nil)); err != nil {
		t.Fatal(err)
	}
	if h, _ := s.Health(t.Context()); h.OK || s.cur.Load() != nil {
		t.Errorf("after ValidateConfig: Health %+v, want an unconfigured Store", h)
	}
}
