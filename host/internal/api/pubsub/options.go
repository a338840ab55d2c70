package pubsub

import (
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/orama-network/orama/sdk/pubsub"
)

// Defaults of the zero Options fields.
const (
	DefaultMaxFrameBytes          = pubsub.MaxDataLen // a client frame is one message
	DefaultMaxSocketsPerNamespace = 10000
	DefaultSendQueue              = 256
	DefaultPingInterval           = 30 * time.Second
	DefaultPresenceTTL            = 30 * time.Second
	DefaultWriteTimeout           = 10 * time.Second
)

// Options configure the WebSockets of a Hub. Zero values get defaults.
type Options struct {
	// MaxFrameBytes is the largest frame a client may send (at most
	// pubsub.MaxDataLen); a larger one closes the socket with 1009.
	MaxFrameBytes int64
	// MaxSocketsPerNamespace caps the sockets open at once in one
	// namespace on this host; one more is refused with 429 before the
	// upgrade.
	MaxSocketsPerNamespace int
	// SendQueue is how many frames may wait for a socket's writer. When
	// it is full a frame is dropped for that socket (counted); after
	// SendQueue drops in a row the socket is closed with 1008.
	SendQueue int
	// PingInterval is how often the server pings each socket.
	PingInterval time.Duration
	// PresenceTTL is the lease of a presence member (renewed every
	// PresenceTTL/3 while its socket is open): how long a member whose
	// host died stays listed, at most.
	PresenceTTL time.Duration
	// WriteTimeout bounds one frame's write (and a ping's answer); a
	// socket that does not take a frame within it is closed.
	WriteTimeout time.Duration
	// FlushInterval is the least time between two writes to one socket
	// (0: none). A frame that comes sooner after the socket's last
	// write waits out the rest of the interval, and the frames that
	// arrived meanwhile leave with it in one write: under a high
	// message rate each socket costs one write system call and one
	// wake-up per interval instead of one per frame. A frame that comes
	// later than the interval after the last write leaves at once, so a
	// quiet topic gains no latency; a busy one gains at most the
	// interval.
	FlushInterval time.Duration
	// OriginPatterns are the browser origins allowed to open a socket
	// (coder/websocket's AcceptOptions.OriginPatterns); "*" allows every
	// origin. Empty: same origin only.
	OriginPatterns []string
	// Logger receives the hub's log lines (nil: discard).
	Logger hclog.Logger
	// Registerer receives the metrics (nil: not registered).
	Registerer prometheus.Registerer
	// ResubscribeBackoff is the first wait before subscribing again after
	// the plugin went away (doubling up to 2 s); 0: 50 ms.
	ResubscribeBackoff time.Duration
}

func (o Options) withDefaults() Options {
	if o.MaxFrameBytes <= 0 || o.MaxFrameBytes > pubsub.MaxDataLen {
		o.MaxFrameBytes = DefaultMaxFrameBytes
	}
	if o.MaxSocketsPerNamespace <= 0 {
		o.MaxSocketsPerNamespace = DefaultMaxSocketsPerNamespace
	}
	if o.SendQueue <= 0 {
		o.SendQueue = DefaultSendQueue
	}
	if o.PingInterval <= 0 {
		o.PingInterval = DefaultPingInterval
	}
	if o.PresenceTTL <= 0 {
		o.PresenceTTL = DefaultPresenceTTL
	}
	o.PresenceTTL = min(max(o.PresenceTTL, pubsub.MinTTL), pubsub.MaxTTL)
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = DefaultWriteTimeout
	}
	if o.ResubscribeBackoff <= 0 {
		o.ResubscribeBackoff = 50 * time.Millisecond
	}
	return o
}
