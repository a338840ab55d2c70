package namespaced

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/orama-network/orama/plugins/database/rqlite"
	"github.com/orama-network/orama/sdk/plugin"
)

// Drivers.
const (
	DriverSQLite = "sqlite"
	DriverRqlite = "rqlite"
)

// Config is the plugin's config block; json tags are the attribute names.
type Config struct {
	Driver string `json:"driver"` // "sqlite" (default) or "rqlite"

	// sqlite
	Path         string `json:"path"`           // default <data_dir>/<name>/orama.db; relative to <data_dir>/<name>
	BusyTimeout  string `json:"busy_timeout"`   // wait for a lock (default 5s)
	MaxOpenConns int    `json:"max_open_conns"` // read connections (default 8); one more writes

	// rqlite
	Hosts       []string `json:"hosts"`       // HTTP API URLs of some nodes
	Consistency string   `json:"consistency"` // none, weak (default), strong, linearizable
	Timeout     string   `json:"timeout"`     // per HTTP request (default 10s)
	Retries     int      `json:"retries"`     // further nodes to try (default 3)
	// rqlite requests of one kind (reads, writes) on their way at once;
	// single-statement calls beyond them queue and go together in one
	// request (default 2; 0 sends every call alone)
	InFlight int `json:"in_flight"`

	// both
	MaxRows          int    `json:"max_rows"`          // rows of one result (default 10000)
	MaxResultBytes   int64  `json:"max_result_bytes"`  // bytes of one result, and of any value SQLite builds (default 16 MiB)
	StatementTimeout string `json:"statement_timeout"` // bound on every call (default 5s)
	// statements one namespace runs at once (default: half of
	// max_open_conns with sqlite, 8 with rqlite); more wait up to a
	// second, then rate_limited
	MaxConcurrentStatements int `json:"max_concurrent_statements"`

	path             string // resolved
	busyTimeout      time.Duration
	timeout          time.Duration
	statementTimeout time.Duration
}

// Limits on the numeric attributes.
const (
	maxOpenConnsLimit   = 256
	maxRetriesLimit     = 10
	maxInFlightLimit    = 256
	maxRowsLimit        = 10_000_000
	maxResultBytesLimit = 1 << 30
	maxConcurrentLimit  = 1024
)

func defaults() Config {
	return Config{
		Driver:      DriverSQLite,
		BusyTimeout: "5s",
		// 8 readers, so that the default max_concurrent_statements (4)
		// leaves 4 to the other namespaces while one runs slow statements,
		// and one namespace still runs 4 point queries at once (with 2 of
		// 4 readers, 32 goroutines querying one namespace lost 30 % of
		// their throughput; BenchmarkSQLitePointQueryParallel).
		MaxOpenConns:     8,
		Consistency:      "weak",
		Timeout:          "10s",
		Retries:          3,
		InFlight:         2,
		MaxRows:          10000,
		MaxResultBytes:   16 << 20,
		StatementTimeout: "5s",
	}
}

var (
	sqliteOnly = []string{"path", "busy_timeout", "max_open_conns"}
	rqliteOnly = []string{"hosts", "consistency", "timeout", "retries", "in_flight"}
)

// ParseConfig decodes cfg's block over the defaults and validates it
// without side effects. Errors are a plugin.ConfigError naming the
// attributes at fault.
func ParseConfig(cfg plugin.Config) (Config, error) {
	return plugin.Parse(cfg, defaults(), func(c *Config, errs *plugin.ConfigError) {
		set := map[string]json.RawMessage{}
		if len(cfg.Raw) > 0 {
			_ = json.Unmarshal(cfg.Raw, &set) // Decode accepted it
		}
		c.validate(errs, set, cfg)
	})
}

func (c *Config) validate(errs *plugin.ConfigError, set map[string]json.RawMessage, cfg plugin.Config) {
	c.statementTimeout = duration(errs, "statement_timeout", c.StatementTimeout, false)
	between(errs, "max_rows", int64(c.MaxRows), 1, maxRowsLimit)
	between(errs, "max_result_bytes", c.MaxResultBytes, 1, maxResultBytesLimit)
	if v, ok := set["max_concurrent_statements"]; ok && string(v) != "null" {
		between(errs, "max_concurrent_statements", int64(c.MaxConcurrentStatements), 1, maxConcurrentLimit)
	} else {
		c.MaxConcurrentStatements = defaultConcurrent(c.Driver, c.MaxOpenConns)
	}
	switch c.Driver {
	case DriverSQLite:
		notFor(errs, set, rqliteOnly, DriverRqlite)
		c.busyTimeout = duration(errs, "busy_timeout", c.BusyTimeout, true)
		between(errs, "max_open_conns", int64(c.MaxOpenConns), 1, maxOpenConnsLimit)
		c.path = resolvePath(errs, c.Path, cfg)
	case DriverRqlite:
		notFor(errs, set, sqliteOnly, DriverSQLite)
		c.timeout = duration(errs, "timeout", c.Timeout, false)
		between(errs, "retries", int64(c.Retries), 0, maxRetriesLimit)
		between(errs, "in_flight", int64(c.InFlight), 0, maxInFlightLimit)
		if !slices.Contains(rqlite.Levels, c.Consistency) {
			errs.Add("consistency", `must be "none", "weak", "strong" or "linearizable"`)
		}
		if len(c.Hosts) == 0 {
			errs.Add("hosts", `is required with driver "rqlite": list HTTP API URLs of the cluster's nodes, e.g. ["http://127.0.0.1:4001"]`)
		}
		for i, h := range c.Hosts {
			if err := rqlite.CheckHost(h); err != nil {
				errs.Add("hosts", fmt.Sprintf("entry %d (%q): %v", i+1, h, err))
			}
		}
	default:
		errs.Add("driver", `must be "sqlite" or "rqlite"`)
	}
}

// defaultConcurrent is max_concurrent_statements when it is not set.
// With sqlite, half the readers: a namespace running slow statements
// leaves the other half to every other namespace. With rqlite the plugin
// holds no connections that could run out and a statement mostly waits
// for the network, so more may run; 8 bounds what one namespace makes
// rqlited compute at once.
func defaultConcurrent(driver string, readers int) int {
	if driver == DriverRqlite {
		return 8
	}
	return max(1, readers/2)
}

// resolvePath returns the database file: path when absolute, else under
// <data_dir>/<name> (the directory the plugin owns), orama.db by default.
func resolvePath(errs *plugin.ConfigError, path string, cfg plugin.Config) string {
	switch {
	case strings.ContainsAny(path, "?#"), strings.HasPrefix(path, ":"), strings.HasPrefix(path, "file:"):
		errs.Add("path", "must be a plain file path (no URI, no \":memory:\", no '?' or '#')")
		return ""
	case filepath.IsAbs(path):
		return filepath.Clean(path)
	case cfg.DataDir == "":
		errs.Add("path", "must be absolute: the host sent no node data_dir to put a relative path under")
		return ""
	}
	if path == "" {
		path = "orama.db"
	}
	name := cfg.Name
	if name == "" {
		name = "database"
	}
	return filepath.Join(cfg.DataDir, name, path)
}

// notFor reports the attributes of set (a null is not set) that only
// apply to driver other.
func notFor(errs *plugin.ConfigError, set map[string]json.RawMessage, attrs []string, other string) {
	for _, a := range attrs {
		if v, ok := set[a]; ok && string(v) != "null" {
			errs.Add(a, fmt.Sprintf("only applies to driver %q", other))
		}
	}
}

func duration(errs *plugin.ConfigError, attr, v string, zeroOK bool) time.Duration {
	d, err := time.ParseDuration(v)
	switch {
	case err != nil:
		errs.Add(attr, fmt.Sprintf(`must be a duration such as "5s" or "250ms", not %q`, v))
	case d < 0 || d == 0 && !zeroOK:
		errs.Add(attr, "must be positive")
	}
	return d
}

func between(errs *plugin.ConfigError, attr string, v, lo, hi int64) {
	if v < lo || v > hi {
		errs.Add(attr, fmt.Sprintf("must be between %d and %d", lo, hi))
	}
}
