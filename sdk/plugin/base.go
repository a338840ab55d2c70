package plugin

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/orama-network/orama/sdk/hostapi"
)

// Base is implemented by every plugin, whatever its domain.
type Base interface {
	// Info names the plugin. It may be called before Configure.
	Info(ctx context.Context) (Info, error)
	// ValidateConfig checks cfg without side effects. It returns a
	// ConfigError naming the attributes at fault, or nil.
	ValidateConfig(ctx context.Context, cfg Config) error
	// Configure applies cfg and starts the backend. Errors: a ConfigError
	// for bad values, unavailable when the backend cannot start.
	Configure(ctx context.Context, cfg Config) error
	// Health reports whether the backend (and what the plugin depends on)
	// serves. A plugin that is not configured yet reports OK=false. It is
	// readiness, not liveness: the host shows a plugin that answers
	// OK=false, an error or nothing within ctx (about 2 s) as degraded and
	// keeps sending it traffic, but never restarts it for that; only a
	// process that stops answering at all is SIGKILLed and relaunched.
	Health(ctx context.Context) (Health, error)
	// Close stops the backend. It must tolerate a half-done Configure and
	// being called twice.
	Close(ctx context.Context) error
}

// Info identifies a plugin implementation.
type Info struct {
	Kind    string // domain: "cache", "database", …
	Name    string // implementation: "olric", …
	Version string
}

// Health is a plugin's view of its backend.
type Health struct {
	OK     bool
	Driver string // e.g. "olric"
	Detail string // human-readable; why it is not OK
	// Peers are the other members the backend is connected to (libp2p
	// peers, Olric members, rqlite nodes), for /v1/network; nil when it
	// has none or does not say. At most MaxPeers cross the boundary.
	Peers []Peer
}

// Config is what the host sends to ValidateConfig and Configure.
type Config struct {
	Name    string          // the plugin block's label in config.hcl
	NodeID  string          // node { id }
	DataDir string          // node { data_dir }; the plugin owns DataDir/<Name>
	Raw     json.RawMessage // the plugin's config { … } block as a JSON object
	// Host is the host API. It is set on the plugin side when the host
	// offers one, nil otherwise (and always nil on the host side).
	Host *hostapi.Client
}

// Decode decodes the raw config block into v (a pointer to a struct with
// json tags). Unknown attributes and values of the wrong type come back as
// a ConfigError naming the attribute, so the host can point at its line.
func (c Config) Decode(v any) error {
	if len(c.Raw) == 0 {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(string(c.Raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	return nil
}

func decodeError(err error) error {
	var te *json.UnmarshalTypeError
	msg := err.Error()
	switch {
	case asType(err, &te):
		return ConfigError{{Attribute: te.Field, Message: "must be of type " + te.Type.String() + ", not " + te.Value}}
	case strings.HasPrefix(msg, "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(msg, "json: unknown field "), `"`)
		return ConfigError{{Attribute: name, Message: "unknown attribute " + `"` + name + `"`}}
	}
	return ConfigError{{Message: msg}}
}

func asType(err error, te **json.UnmarshalTypeError) bool {
	t, ok := err.(*json.UnmarshalTypeError)
	if ok {
		*te = t
	}
	return ok
}
