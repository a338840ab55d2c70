package plugin_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/orama-network/orama/sdk/plugin"
)

// cacheConfig is the shape of a typical plugin config block.
type cacheConfig struct {
	Mode  string   `json:"mode"`
	Peers []string `json:"peers"`
	Port  int      `json:"port"`
	TLS   struct {
		Enabled bool `json:"enabled"`
	} `json:"tls"`
}

// configError returns err as a ConfigError or fails the test.
func configError(t *testing.T, err error) plugin.ConfigError {
	t.Helper()
	var ce plugin.ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("got %T (%v), want plugin.ConfigError", err, err)
	}
	return ce
}

func TestDecodeValid(t *testing.T) {
	cfg := plugin.Config{Raw: json.RawMessage(`{"mode":"client","peers":["10.0.0.1:3322","10.0.0.2:3322"],"port":3320,"tls":{"enabled":true}}`)}
	var got cacheConfig
	if err := cfg.Decode(&got); err != nil {
		t.Fatal(err)
	}
	var want cacheConfig
	want.Mode, want.Port, want.TLS.Enabled = "client", 3320, true
	want.Peers = []string{"10.0.0.1:3322", "10.0.0.2:3322"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %+v, want %+v", got, want)
	}
}

func TestDecodeEmptyRawKeepsDefaults(t *testing.T) {
	for name, raw := range map[string]json.RawMessage{"nil": nil, "empty": {}} {
		t.Run(name, func(t *testing.T) {
			got := cacheConfig{Mode: "embedded", Port: 3320}
			if err := (plugin.Config{Raw: raw}).Decode(&got); err != nil {
				t.Fatalf("Decode of an empty block: %v", err)
			}
			if got.Mode != "embedded" || got.Port != 3320 {
				t.Errorf("defaults changed to %+v", got)
			}
		})
	}
}

func TestDecodeUnknownAttribute(t *testing.T) {
	cfg := plugin.Config{Raw: json.RawMessage(`{"mode":"embedded","peerz":["a"]}`)}
	var got cacheConfig
	ce := configError(t, cfg.Decode(&got))
	if len(ce) != 1 {
		t.Fatalf("got %d field errors (%v), want 1", len(ce), ce)
	}
	if ce[0].Attribute != "peerz" {
		t.Errorf("Attribute = %q, want %q", ce[0].Attribute, "peerz")
	}
	if !strings.Contains(ce[0].Message, "unknown attribute") || !strings.Contains(ce[0].Message, `"peerz"`) {
		t.Errorf("Message = %q, want it to name the unknown attribute", ce[0].Message)
	}
}

func TestDecodeWrongType(t *testing.T) {
	cases := []struct {
		raw, attr string
		mention   []string // words the message must contain
	}{
		{`{"port":"3320"}`, "port", []string{"int", "string"}},
		{`{"peers":"10.0.0.1"}`, "peers", []string{"[]string", "string"}},
		{`{"mode":42}`, "mode", []string{"string", "number"}},
		{`{"tls":{"enabled":"yes"}}`, "tls.enabled", []string{"bool", "string"}},
	}
	for _, c := range cases {
		t.Run(c.attr, func(t *testing.T) {
			var got cacheConfig
			ce := configError(t, (plugin.Config{Raw: json.RawMessage(c.raw)}).Decode(&got))
			if len(ce) != 1 || ce[0].Attribute != c.attr {
				t.Fatalf("got %+v, want one error on %q", ce, c.attr)
			}
			for _, w := range c.mention {
				if !strings.Contains(ce[0].Message, w) {
					t.Errorf("Message %q does not mention %q", ce[0].Message, w)
				}
			}
		})
	}
}

func TestDecodeMalformedJSONIsABlockError(t *testing.T) {
	var got cacheConfig
	ce := configError(t, (plugin.Config{Raw: json.RawMessage(`{"mode":`)}).Decode(&got))
	if len(ce) != 1 || ce[0].Attribute != "" || ce[0].Message == "" {
		t.Errorf("got %+v, want one error on the block as a whole", ce)
	}
}

func TestConfigErrorText(t *testing.T) {
	ce := plugin.ConfigError{
		{Attribute: "port", Message: "must be ≥ 0"},
		{Message: "mode client needs servers"},
		{Attribute: "peers", Message: `"x" is not host:port`},
	}
	want := `invalid plugin config: port: must be ≥ 0; mode client needs servers; peers: "x" is not host:port`
	if got := ce.Error(); got != want {
		t.Errorf("Error() = %q\nwant      %q", got, want)
	}
}

func TestConfigErrorAddAndOrNil(t *testing.T) {
	var errs plugin.ConfigError
	if err := errs.OrNil(); err != nil {
		t.Fatalf("OrNil of an empty ConfigError = %#v, want a nil error", err)
	}
	errs.Add("port", "must be ≥ 0")
	errs.Add("", "block is empty")
	err := errs.OrNil()
	if err == nil {
		t.Fatal("OrNil with two field errors returned nil")
	}
	want := plugin.ConfigError{{Attribute: "port", Message: "must be ≥ 0"}, {Attribute: "", Message: "block is empty"}}
	if got := configError(t, err); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}
