package config

import (
	"slices"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Config is a parsed, validated config.hcl.
type Config struct {
	File    string // absolute path of the file
	Server  Server
	Node    Node
	Plugins []*Plugin // in file order
}

// Server is the server { } block.
type Server struct {
	Listen          string   // host:port
	CORSOrigins     []string // allowed origins; "*" for any
	MaxBodyBytes    int64    // request body limit; larger bodies get 413
	MaxUploadBytes  int64    // largest file POST /v1/storage/upload accepts; larger ones get 413
	ShutdownTimeout time.Duration
	UpgradeWait     time.Duration // how long a request waits for a (re)starting plugin
	RequestTimeout  time.Duration // per-request timeout for calls into plugins
}

// Node is the node { } block.
type Node struct {
	ID      string
	DataDir string // absolute
}

// Plugin is one plugin "<kind>" { } block.
type Plugin struct {
	Kind       string // the block label, e.g. "cache"
	Path       string // absolute path of the binary
	SHA256     []byte // expected checksum of the binary; nil when unset
	ConfigJSON []byte // the config { } block's attributes as a JSON object ("{}" when absent)
	// Attrs maps each attribute name in config { } to the range of its
	// definition, for mapping the plugin's field errors back to the file.
	Attrs       map[string]hcl.Range
	BlockRange  hcl.Range // the plugin block's type and label
	ConfigRange hcl.Range // the config block's type keyword, or BlockRange when absent
}

// Plugin returns the plugin of the given kind, or nil.
func (c *Config) Plugin(kind string) *Plugin {
	for _, p := range c.Plugins {
		if p.Kind == kind {
			return p
		}
	}
	return nil
}

// kinds are the plugin kinds the host knows how to route to.
var kinds = []string{"auth", "cache", "database", "pubsub", "serverless", "storage"}

// Kinds returns the plugin kinds a config may declare, sorted.
func Kinds() []string { return slices.Clone(kinds) }

func knownKind(kind string) bool { return slices.Contains(kinds, kind) }

// Defaults, used for every attribute the file leaves out.
const (
	defaultListen          = ":6001"
	defaultMaxBodyBytes    = 10 << 20
	defaultMaxUploadBytes  = 10 << 30
	defaultShutdownTimeout = 15 * time.Second
	defaultUpgradeWait     = 10 * time.Second
	defaultRequestTimeout  = 30 * time.Second
	defaultNodeID          = "node-1"
	defaultDataDir         = "./data"
)

func defaultServer() Server {
	return Server{
		Listen:          defaultListen,
		CORSOrigins:     []string{"*"},
		MaxBodyBytes:    defaultMaxBodyBytes,
		MaxUploadBytes:  defaultMaxUploadBytes,
		ShutdownTimeout: defaultShutdownTimeout,
		UpgradeWait:     defaultUpgradeWait,
		RequestTimeout:  defaultRequestTimeout,
	}
}
