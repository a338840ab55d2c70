package olric

import (
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/orama-network/orama/sdk/plugin"
)

// Modes of operation.
const (
	ModeEmbedded = "embedded"
	ModeClient   = "client"
)

// Config is the plugin's config block; json tags are the attribute names.
type Config struct {
	Mode           string   `json:"mode"`            // "embedded" (default) or "client"
	BindAddr       string   `json:"bind_addr"`       // IP the member binds to (default 127.0.0.1)
	BindPort       int      `json:"bind_port"`       // Olric port; 0 picks a free one
	MemberlistPort int      `json:"memberlist_port"` // gossip port (TCP+UDP); 0 picks a free one
	Peers          []string `json:"peers"`           // other members' memberlist host:port
	Servers        []string `json:"servers"`         // Olric servers' host:port (client mode)
	ReplicaCount   int      `json:"replica_count"`   // copies of each entry (default 1)
	StartTimeout   string   `json:"start_timeout"`   // bound on Configure (default 20s)
	RequestTimeout string   `json:"request_timeout"` // bound on each Olric call (default 5s)

	startTimeout   time.Duration
	requestTimeout time.Duration
}

// defaults returns the config of an empty block.
func defaults() Config {
	return Config{
		Mode:           ModeEmbedded,
		BindAddr:       "127.0.0.1",
		ReplicaCount:   1,
		StartTimeout:   "20s",
		RequestTimeout: "5s",
	}
}

// ParseConfig decodes and validates cfg's block over the defaults. Errors
// are a plugin.ConfigError naming the attributes at fault.
func ParseConfig(cfg plugin.Config) (Config, error) {
	return plugin.Parse(cfg, defaults(), (*Config).validate)
}

func (c *Config) validate(errs *plugin.ConfigError) {
	c.startTimeout = duration(errs, "start_timeout", c.StartTimeout)
	c.requestTimeout = duration(errs, "request_timeout", c.RequestTimeout)
	switch c.Mode {
	case ModeEmbedded:
		if len(c.Servers) > 0 {
			errs.Add("servers", `only applies to mode "client"; list other members in peers`)
		}
		c.validateMember(errs)
	case ModeClient:
		if len(c.Servers) == 0 {
			errs.Add("servers", `is required in mode "client": list the Olric servers' host:port`)
		}
		for i, s := range c.Servers {
			if err := checkHostPort(s); err != nil {
				errs.Add("servers", fmt.Sprintf("entry %d (%q): %v", i+1, s, err))
			}
		}
		if len(c.Peers) > 0 {
			errs.Add("peers", `only applies to mode "embedded"`)
		}
	default:
		errs.Add("mode", `must be "embedded" or "client"`)
	}
}

func (c *Config) validateMember(errs *plugin.ConfigError) {
	if net.ParseIP(c.BindAddr) == nil {
		errs.Add("bind_addr", `must be an IP address, e.g. "127.0.0.1"`)
	}
	checkPort(errs, "bind_port", c.BindPort)
	checkPort(errs, "memberlist_port", c.MemberlistPort)
	if c.BindPort != 0 && c.BindPort == c.MemberlistPort {
		errs.Add("memberlist_port", "must differ from bind_port")
	}
	self := net.JoinHostPort(c.BindAddr, strconv.Itoa(c.MemberlistPort))
	for i, p := range c.Peers {
		if err := checkHostPort(p); err != nil {
			errs.Add("peers", fmt.Sprintf("entry %d (%q): %v", i+1, p, err))
		} else if c.MemberlistPort != 0 && p == self {
			errs.Add("peers", fmt.Sprintf("entry %d (%q) is this member's own memberlist address", i+1, p))
		}
	}
	if c.ReplicaCount < 1 {
		errs.Add("replica_count", "must be at least 1")
	}
}

func duration(errs *plugin.ConfigError, attr, v string) time.Duration {
	d, err := time.ParseDuration(v)
	switch {
	case err != nil:
		errs.Add(attr, fmt.Sprintf(`must be a duration such as "5s" or "250ms", not %q`, v))
	case d <= 0:
		errs.Add(attr, "must be positive")
	}
	return d
}

func checkPort(errs *plugin.ConfigError, attr string, port int) {
	if port < 0 || port > 65535 {
		errs.Add(attr, "must be between 0 (pick a free port) and 65535")
	}
}

func checkHostPort(s string) error {
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return fmt.Errorf("must be host:port")
	}
	if host == "" {
		return fmt.Errorf("host is missing")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("port must be between 1 and 65535")
	}
	return nil
}
