package config

import (
	"net/netip"
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
	// Telemetry is the telemetry { } block; nil: tracing off.
	Telemetry *Telemetry
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

	// Slow and greedy clients (slowloris).
	ReadHeaderTimeout time.Duration // a request's line and headers must arrive within this
	ReadBodyTimeout   time.Duration // a request's body (uploads excepted: they must keep moving) must arrive within this
	IdleTimeout       time.Duration // a kept-alive connection without a request is closed after this
	// MaxConnections caps the connections open at once; 0 (unset)
	// derives it from the open-file limit when serving.
	MaxConnections int
	// MaxConnectionsPerIP caps them per client address (trusted proxies
	// excepted); 0 (unset) is the server's default (128).
	MaxConnectionsPerIP int

	// Auth is AuthRequired or AuthDisabled. Unset in the file, it is
	// required when an auth plugin is configured and disabled otherwise.
	Auth string
	// KeyCacheTTL is how long a node trusts a validated API key without
	// asking the auth plugin: the bound on how long a revoked key works.
	KeyCacheTTL time.Duration
	// TrustedProxies are the proxies whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// RateLimits are the rate_limit "<group>" blocks by group; a group
	// without one uses "default", and without that is not limited.
	RateLimits map[string]RateLimit
	// PubSub are the limits of the pubsub WebSockets (server { pubsub { … } }).
	PubSub PubSub
	// Functions are the host's bounds of the serverless routes (server {
	// functions { … } }).
	Functions Functions
	// Proxy is POST /v1/proxy/anon (server { proxy { … } }).
	Proxy Proxy
	// TLS is HTTPS (server { tls { … } }); nil: plain HTTP.
	TLS *TLS
	// Cache is the host's near cache of cache gets (server { cache { … } }).
	Cache Cache
}

// PubSub is the server's pubsub { } block: the limits of the WebSockets
// of /v1/pubsub/ws. Every field has a default.
type PubSub struct {
	MaxFrameBytes          int64         // largest client frame; larger: closed with 1009
	MaxSocketsPerNamespace int           // sockets open at once per namespace on this node; more: 429
	SendQueue              int           // frames waiting per socket; full: dropped, and after as many drops in a row, closed with 1008
	PingInterval           time.Duration // how often the server pings each socket
	PresenceTTL            time.Duration // lease of a presence member, renewed every third of it while its socket is open
	WriteTimeout           time.Duration // bound of one frame's write; a socket that does not take it is closed
	FlushInterval          time.Duration // least time between two writes to one socket; 0: none
}

// Authentication modes (server { auth = … }).
const (
	AuthRequired = "required"
	AuthDisabled = "disabled" // every request in namespace "default"; development only
)

// RateLimit is one rate_limit "<group>" { } block. A rate of 0 turns that
// kind of bucket off.
type RateLimit struct {
	RequestsPerSecond   float64 // per credential
	Burst               int
	IPRequestsPerSecond float64 // per client IP
	IPBurst             int
}

// RateLimitGroups are the labels a rate_limit block may have.
var RateLimitGroups = []string{"default", "auth", "cache", "database", "storage", "pubsub", "functions"}

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
	defaultListen            = ":6001"
	defaultMaxBodyBytes      = 10 << 20
	defaultMaxUploadBytes    = 10 << 30
	defaultShutdownTimeout   = 15 * time.Second
	defaultUpgradeWait       = 10 * time.Second
	defaultRequestTimeout    = 30 * time.Second
	defaultReadHeaderTimeout = 10 * time.Second
	defaultReadBodyTimeout   = 30 * time.Second
	defaultIdleTimeout       = 60 * time.Second
	defaultKeyCacheTTL       = 5 * time.Second
	maxKeyCacheTTL           = time.Minute
	defaultPubSubMaxFrame    = 1 << 20 // pubsub.MaxDataLen
	maxPubSubFrame           = 1 << 20
	defaultPubSubSockets     = 10000
	defaultPubSubSendQueue   = 256
	defaultPubSubPing        = 30 * time.Second
	defaultPubSubPresenceTTL = 30 * time.Second
	defaultPubSubWrite       = 10 * time.Second
	defaultNodeID            = "node-1"
	defaultDataDir           = "./data"
)

func defaultServer() Server {
	return Server{
		Listen:            defaultListen,
		CORSOrigins:       []string{"*"},
		MaxBodyBytes:      defaultMaxBodyBytes,
		MaxUploadBytes:    defaultMaxUploadBytes,
		ShutdownTimeout:   defaultShutdownTimeout,
		UpgradeWait:       defaultUpgradeWait,
		RequestTimeout:    defaultRequestTimeout,
		ReadHeaderTimeout: defaultReadHeaderTimeout,
		ReadBodyTimeout:   defaultReadBodyTimeout,
		IdleTimeout:       defaultIdleTimeout,
		KeyCacheTTL:       defaultKeyCacheTTL,
		TrustedProxies:    []netip.Prefix{},
		RateLimits:        map[string]RateLimit{},
		PubSub: PubSub{
			MaxFrameBytes: defaultPubSubMaxFrame, MaxSocketsPerNamespace: defaultPubSubSockets,
			SendQueue: defaultPubSubSendQueue, PingInterval: defaultPubSubPing,
			PresenceTTL: defaultPubSubPresenceTTL, WriteTimeout: defaultPubSubWrite,
		},
		Functions: defaultFunctions(),
		Proxy:     defaultProxy(),
		Cache:     defaultCache(),
	}
}
