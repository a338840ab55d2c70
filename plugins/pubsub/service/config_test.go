package service

import (
	"errors"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk/plugin"
)

// fieldErrors returns err's field errors, failing the test when err is
// not a plugin.ConfigError.
func fieldErrors(t *testing.T, err error) plugin.ConfigError {
	t.Helper()
	var ce plugin.ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("got %T (%v), want a plugin.ConfigError", err, err)
	}
	return ce
}

func TestConfigErrorsNameTheAttribute(t *testing.T) {
	names := strings.Join(driverNames(), ", ")
	cases := []struct {
		raw, attr, msg string
	}{
		{`{"driver": "nope"}`, "driver", `unknown driver "nope", one of: ` + names},
		{`{"driver": ""}`, "driver", `unknown driver "", one of: ` + names},
		{`{"driver": 3}`, "driver", "must be of type string"},
		{`{"queue_len": -1}`, "queue_len", "from 0"},
		{`{"queue_len": 2000000}`, "queue_len", "to 1048576"},
		{`{"queue_len": "big"}`, "queue_len", "must be of type int"},
		{`{"presence_ttl": "30s"}`, "presence_ttl", "unknown attribute"},
		{`{"peers": ["/ip4/10.0.0.2/tcp/4001/p2p/QmPeer"]}`, "peers", `applies to driver "libp2p" only`},
		{`{"driver": "local", "listen": ["/ip4/0.0.0.0/tcp/4001"]}`, "listen", `applies to driver "libp2p" only`},
		{`{"swarm_key_file": "swarm.key"}`, "swarm_key_file", `applies to driver "libp2p" only`},
	}
	for _, c := range cases {
		_, err := ParseConfig(plugin.Config{Name: "pubsub", Raw: []byte(c.raw)})
		ce := fieldErrors(t, err)
		if len(ce) != 1 || ce[0].Attribute != c.attr || !strings.Contains(ce[0].Message, c.msg) {
			t.Errorf("%s: got %v, want one error on %s containing %q", c.raw, ce, c.attr, c.msg)
		}
	}
}

func TestConfigValid(t *testing.T) {
	for _, raw := range []string{``, `{}`, `{"driver": "local"}`, `{"driver": "local", "queue_len": 16, "peers": []}`} {
		c, err := ParseConfig(plugin.Config{Name: "pubsub", Raw: []byte(raw)})
		if err != nil || c.Driver != "local" {
			t.Errorf("%q: %+v, %v; want driver local", raw, c, err)
		}
	}
}

// TestLibp2pDriverName: until driver_libp2p.go registers "libp2p", asking
// for it is a ConfigError on driver listing the drivers there are; once
// registered, it is never an unknown driver.
func TestLibp2pDriverName(t *testing.T) {
	_, err := ParseConfig(plugin.Config{Name: "pubsub", Raw: []byte(`{"driver": "libp2p"}`)})
	_, registered := drivers["libp2p"]
	if !registered {
		ce := fieldErrors(t, err)
		if len(ce) != 1 || ce[0].Attribute != "driver" || ce[0].Message != `unknown driver "libp2p", one of: local` {
			t.Errorf("driver libp2p while unregistered: %v", ce)
		}
		return
	}
	var ce plugin.ConfigError
	if errors.As(err, &ce) {
		for _, f := range ce {
			if f.Attribute == "driver" && strings.HasPrefix(f.Message, "unknown driver") {
				t.Errorf("driver libp2p is registered, yet: %v", ce)
			}
		}
	}
}
