package service

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/pubsub"
)

// Config is the plugin's config block; json tags are the attribute names.
type Config struct {
	Driver   string `json:"driver"`    // "local" (default) or "libp2p"
	QueueLen int    `json:"queue_len"` // messages buffered per subscription (0: pubsub.DefaultQueueLen)

	// Driver libp2p only.
	Listen       []string `json:"listen"`         // multiaddrs to listen on
	Peers        []string `json:"peers"`          // multiaddrs with /p2p/<id> of peers to dial
	SwarmKeyFile string   `json:"swarm_key_file"` // private network key (relative: to the data dir)
}

// MaxQueueLen bounds queue_len, and so what one stalled subscription may
// hold (a buffer grows only as messages wait).
const MaxQueueLen = 1 << 20

func defaults() Config { return Config{Driver: "local"} }

// ParseConfig decodes cfg's block over the defaults and validates it
// without side effects. Errors are a plugin.ConfigError naming the
// attributes at fault.
func ParseConfig(cfg plugin.Config) (Config, error) {
	return plugin.Parse(cfg, defaults(), (*Config).validate)
}

// validate checks the decoded block, naming the attributes at fault.
func (c *Config) validate(errs *plugin.ConfigError) {
	if c.QueueLen < 0 || c.QueueLen > MaxQueueLen {
		errs.Add("queue_len", fmt.Sprintf("must be a whole number from 0 (the default, %d) to %d", pubsub.DefaultQueueLen, MaxQueueLen))
	}
	def, ok := drivers[c.Driver]
	if !ok {
		errs.Add("driver", fmt.Sprintf("unknown driver %q, one of: %s", c.Driver, strings.Join(driverNames(), ", ")))
		return
	}
	def.validate(*c, errs)
}

// driverNames lists the registered drivers, sorted.
func driverNames() []string { return slices.Sorted(maps.Keys(drivers)) }
