package ipfs

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/orama-network/orama/plugins/storage/cluster"
	"github.com/orama-network/orama/plugins/storage/kubo"
	"github.com/orama-network/orama/sdk/plugin"
)

// Drivers.
const (
	DriverEmbedded = "embedded"
	DriverKubo     = "kubo"
)

// Defaults of an empty config block.
const (
	DefaultMaxUploadBytes = 10 << 30
	DefaultGCInterval     = "1h"
	DefaultTimeout        = "30s"
)

// Config is the plugin's config block; json tags are the attribute names.
type Config struct {
	Driver         string `json:"driver"`           // "embedded" (default) or "kubo"
	CIDVersion     int    `json:"cid_version"`      // 0 (default) or 1 (raw leaves)
	MaxUploadBytes int64  `json:"max_upload_bytes"` // default 10 GiB
	KuboAPI        string `json:"kubo_api"`         // kubo RPC API: multiaddr or URL
	IPFSCluster    string `json:"ipfs_cluster"`     // IPFS Cluster REST API URL (optional)
	ReplicationMin int    `json:"replication_min"`  // default -1: every peer
	ReplicationMax int    `json:"replication_max"`  // default -1: every peer
	GCInterval     string `json:"gc_interval"`      // embedded only; "0" turns GC off
	Timeout        string `json:"timeout"`          // bound of each backend call

	gcInterval time.Duration
	timeout    time.Duration
	dir        string // <data_dir>/<plugin name>
	peerName   string // node id, the embedded driver's one peer
}

func defaults() Config {
	return Config{
		Driver:         DriverEmbedded,
		MaxUploadBytes: DefaultMaxUploadBytes,
		ReplicationMin: -1,
		ReplicationMax: -1,
		Timeout:        DefaultTimeout,
	}
}

// ParseConfig decodes and validates cfg's block over the defaults,
// without side effects. Errors are a plugin.ConfigError naming the
// attributes at fault.
func ParseConfig(cfg plugin.Config) (Config, error) {
	c, err := plugin.Parse(cfg, defaults(), func(c *Config, errs *plugin.ConfigError) {
		c.validate(errs)
		if cfg.DataDir == "" {
			errs.Add("", "the node has no data_dir; set node { data_dir = \"…\" }")
		}
	})
	if err != nil {
		return Config{}, err
	}
	name := cfg.Name
	if name == "" {
		name = "storage"
	}
	c.dir = filepath.Join(cfg.DataDir, name)
	c.peerName = cfg.NodeID
	if c.peerName == "" {
		c.peerName = "local"
	}
	return c, nil
}

func (c *Config) validate(errs *plugin.ConfigError) {
	switch c.Driver {
	case DriverEmbedded:
		if c.KuboAPI != "" {
			errs.Add("kubo_api", `only applies to driver "kubo"`)
		}
		if c.IPFSCluster != "" {
			errs.Add("ipfs_cluster", `only applies to driver "kubo": the cluster pins on its own kubo peers`)
		}
		if c.GCInterval == "" {
			c.GCInterval = DefaultGCInterval
		}
		c.gcInterval = duration(errs, "gc_interval", c.GCInterval, true)
	case DriverKubo:
		if c.KuboAPI == "" {
			errs.Add("kubo_api", `is required with driver "kubo", e.g. "/ip4/127.0.0.1/tcp/5001"`)
		} else if err := kubo.ParseAPI(c.KuboAPI); err != nil {
			errs.Add("kubo_api", err.Error())
		}
		if c.IPFSCluster != "" {
			if _, err := cluster.ParseURL(c.IPFSCluster); err != nil {
				errs.Add("ipfs_cluster", err.Error())
			}
		}
		if c.GCInterval != "" {
			errs.Add("gc_interval", `only applies to driver "embedded"; kubo runs its own GC`)
		}
	default:
		errs.Add("driver", `must be "embedded" or "kubo"`)
	}
	if c.CIDVersion != 0 && c.CIDVersion != 1 {
		errs.Add("cid_version", "must be 0 or 1")
	}
	if c.MaxUploadBytes <= 0 {
		errs.Add("max_upload_bytes", "must be positive")
	}
	c.validateReplication(errs)
	c.timeout = duration(errs, "timeout", c.Timeout, false)
}

func (c *Config) validateReplication(errs *plugin.ConfigError) {
	ok := true
	for _, a := range []struct {
		attr string
		v    int
	}{{"replication_min", c.ReplicationMin}, {"replication_max", c.ReplicationMax}} {
		if a.v != -1 && a.v < 1 {
			errs.Add(a.attr, "must be -1 (every peer) or at least 1")
			ok = false
		}
	}
	switch {
	case !ok:
	case c.ReplicationMin == -1 && c.ReplicationMax != -1:
		errs.Add("replication_max", "must be -1 when replication_min is -1 (every peer)")
	case c.ReplicationMax != -1 && c.ReplicationMin > c.ReplicationMax:
		errs.Add("replication_min", fmt.Sprintf("must not exceed replication_max (%d)", c.ReplicationMax))
	}
}

func duration(errs *plugin.ConfigError, attr, v string, zeroOK bool) time.Duration {
	d, err := time.ParseDuration(v)
	switch {
	case err != nil:
		errs.Add(attr, fmt.Sprintf(`must be a duration such as "30s" or "1h", not %q`, v))
	case d < 0 || (d == 0 && !zeroOK):
		errs.Add(attr, "must be positive")
	}
	return d
}
