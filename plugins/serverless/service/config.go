package service

import (
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/netguard"
	"github.com/orama-network/orama/sdk/plugin"
	"github.com/orama-network/orama/sdk/seal"
	"github.com/orama-network/orama/sdk/serverless"
)

// Config is the plugin's config block; json tags are the attribute names.
type Config struct {
	MaxModuleBytes          int64    `json:"max_module_bytes"`          // a deployed module (default 10 MiB, at most serverless.MaxModuleBytes)
	CacheBytes              int64    `json:"cache_bytes"`               // compiled modules kept in memory, by module size (default 256 MiB)
	CacheDir                string   `json:"cache_dir"`                 // wazero's compilation cache (default <data_dir>/serverless/wazero-cache; relative: to <data_dir>/serverless)
	MaxConcurrency          int      `json:"max_concurrency"`           // invocations of one function at once (default 16)
	MaxNamespaceConcurrency int      `json:"max_namespace_concurrency"` // invocations of one namespace at once (default 64)
	MaxRunning              int      `json:"max_running"`               // invocations running guest code at once (default: the number of CPUs); more wait in order
	MaxOutputBytes          int      `json:"max_output_bytes"`          // stdout of one invocation (default 1 MiB)
	MaxLogBytes             int      `json:"max_log_bytes"`             // stderr + log_* of one invocation (default 64 KiB)
	LogsPerFunction         int      `json:"logs_per_function"`         // log entries kept per function, oldest dropped (default 1000)
	MetadataTTL             string   `json:"metadata_ttl"`              // how stale a cached view of a function's latest version may be (default 2s)
	KeySecret               string   `json:"key_secret"`                // seals the secrets (≥ 32 characters, the same on every node); or:
	KeySecretFile           string   `json:"key_secret_file"`           // a file holding it (default "key_secret", relative: to <data_dir>/serverless); created when missing
	HTTPAllow               []string `json:"http_allow"`                // CIDRs or host:port http_fetch may reach despite the SSRF guard (tests)
	HTTPTimeout             string   `json:"http_timeout"`              // one http_fetch (default 10s)
	HTTPMaxBytes            int64    `json:"http_max_bytes"`            // body of one http_fetch response (default 1 MiB)

	metadataTTL time.Duration
	httpTimeout time.Duration
	dir         string // <data_dir>/<name>: the plugin's own directory
}

// Defaults of the config block.
const (
	DefaultMaxModuleBytes          = 10 << 20
	DefaultCacheBytes              = 256 << 20
	DefaultMaxConcurrency          = 16
	DefaultMaxNamespaceConcurrency = 64
	DefaultMaxOutputBytes          = 1 << 20
	DefaultMaxLogBytes             = 64 << 10
	DefaultLogsPerFunction         = 1000
	DefaultHTTPMaxBytes            = 1 << 20

	maxConcurrencyCap = 100_000
	maxLogsCap        = 1_000_000
)

func defaults() Config {
	return Config{
		MaxModuleBytes:          DefaultMaxModuleBytes,
		CacheBytes:              DefaultCacheBytes,
		MaxConcurrency:          DefaultMaxConcurrency,
		MaxNamespaceConcurrency: DefaultMaxNamespaceConcurrency,
		MaxOutputBytes:          DefaultMaxOutputBytes,
		MaxLogBytes:             DefaultMaxLogBytes,
		LogsPerFunction:         DefaultLogsPerFunction,
		MetadataTTL:             "2s",
		HTTPTimeout:             "10s",
		HTTPMaxBytes:            DefaultHTTPMaxBytes,
	}
}

// ParseConfig decodes cfg's block over the defaults and validates it
// without side effects. Errors are a plugin.ConfigError naming the
// attributes at fault.
func ParseConfig(cfg plugin.Config) (Config, error) {
	c, err := plugin.Parse(cfg, defaults(), (*Config).validate)
	if err != nil {
		return c, err
	}
	name := cfg.Name
	if name == "" {
		name = serverless.Kind
	}
	c.dir = filepath.Join(cfg.DataDir, name)
	switch {
	case c.CacheDir == "":
		c.CacheDir = filepath.Join(c.dir, "wazero-cache")
	case !filepath.IsAbs(c.CacheDir):
		c.CacheDir = filepath.Join(c.dir, c.CacheDir)
	}
	if c.KeySecret == "" && c.KeySecretFile == "" {
		c.KeySecretFile = "key_secret"
	}
	return c, nil
}

// validate checks the decoded values and fills the durations.
func (c *Config) validate(errs *plugin.ConfigError) {
	between := func(attr string, v, least, most int64, example string) {
		if v < least || v > most {
			errs.Add(attr, fmt.Sprintf("must be a whole number from %d to %d, such as %s", least, most, example))
		}
	}
	between("max_module_bytes", c.MaxModuleBytes, 1, serverless.MaxModuleBytes, strconv.Itoa(DefaultMaxModuleBytes))
	between("cache_bytes", c.CacheBytes, 0, 1<<40, strconv.Itoa(DefaultCacheBytes))
	between("max_concurrency", int64(c.MaxConcurrency), 1, maxConcurrencyCap, "16")
	between("max_namespace_concurrency", int64(c.MaxNamespaceConcurrency), 1, maxConcurrencyCap, "64")
	between("max_running", int64(c.MaxRunning), 0, maxConcurrencyCap, "0 (the number of CPUs)")
	between("max_output_bytes", int64(c.MaxOutputBytes), 1, 64<<20, strconv.Itoa(DefaultMaxOutputBytes))
	between("max_log_bytes", int64(c.MaxLogBytes), 0, 16<<20, strconv.Itoa(DefaultMaxLogBytes))
	between("logs_per_function", int64(c.LogsPerFunction), 1, maxLogsCap, "1000")
	between("http_max_bytes", c.HTTPMaxBytes, 1, 64<<20, strconv.Itoa(DefaultHTTPMaxBytes))
	if c.KeySecret != "" && c.KeySecretFile != "" {
		errs.Add("key_secret_file", "set key_secret or key_secret_file, not both")
	} else if c.KeySecret != "" && len(c.KeySecret) < seal.MinSecretLen {
		errs.Add("key_secret", fmt.Sprintf("must be at least %d characters, e.g. the output of `openssl rand -base64 48`", seal.MinSecretLen))
	}
	c.metadataTTL = duration(errs, "metadata_ttl", c.MetadataTTL, 0)
	c.httpTimeout = duration(errs, "http_timeout", c.HTTPTimeout, time.Millisecond)
	if _, err := netguard.New(netguard.Config{Allow: c.HTTPAllow}); err != nil {
		errs.Add("http_allow", sdk.AsError(err).Message+`: use CIDRs such as "10.0.0.0/8", IPs, or host:port such as "127.0.0.1:8080"`)
	}
}

// duration parses attribute attr: a Go duration of at least least (a
// zero least allows 0, any other must be positive).
func duration(errs *plugin.ConfigError, attr, v string, least time.Duration) time.Duration {
	d, err := time.ParseDuration(v)
	switch {
	case err != nil:
		errs.Add(attr, fmt.Sprintf(`must be a duration such as "2s" or "1m", not %q`, v))
	case d < 0 || (least > 0 && d < least):
		errs.Add(attr, fmt.Sprintf("must be at least %s", max(least, 0)))
	}
	return d
}
