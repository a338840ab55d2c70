package client

import (
	"encoding/json"
	"time"
)

// Defaults of a subscription's options.
const (
	DefaultReconnectMin    = 100 * time.Millisecond // first wait before reconnecting
	DefaultReconnectMax    = 10 * time.Second       // longest wait between attempts
	DefaultSubscribeBuffer = 256                    // messages waiting in C()
	// ReadLimit is the largest server frame a subscription accepts: a
	// 1 MiB message is ~1.4 MB of base64 JSON.
	ReadLimit = 4 << 20
)

// SubscribeOption configures Subscribe.
type SubscribeOption func(*subscribeConfig)

type subscribeConfig struct {
	presence    bool
	memberID    string
	meta        json.RawMessage
	min, max    time.Duration
	maxAttempts int // 0: unlimited
	stopOnSlow  bool
	buffer      int
}

// WithPresence joins the topic's presence as memberID with meta (a JSON
// value, or nil) for as long as the subscription lasts; every reconnection
// joins again.
func WithPresence(memberID string, meta json.RawMessage) SubscribeOption {
	return func(c *subscribeConfig) { c.presence, c.memberID, c.meta = true, memberID, meta }
}

// WithReconnectBackoff sets the waits between reconnection attempts: the
// first is lo, each next one doubles up to hi, and each is jittered to
// a random value in [d/2, d]. lo ≤ 0 or hi < lo keep the defaults.
func WithReconnectBackoff(lo, hi time.Duration) SubscribeOption {
	return func(c *subscribeConfig) {
		if lo > 0 && hi >= lo {
			c.min, c.max = lo, hi
		}
	}
}

// WithMaxReconnectAttempts ends the subscription (with the last error)
// after n failed reconnection attempts in a row; 0, the default, tries
// until Close or the end of the context.
func WithMaxReconnectAttempts(n int) SubscribeOption {
	return func(c *subscribeConfig) { c.maxAttempts = max(n, 0) }
}

// WithStopOnSlow ends the subscription when the gateway closes it as too
// slow (close code 1008: its send queue stayed full) instead of
// reconnecting.
func WithStopOnSlow() SubscribeOption { return func(c *subscribeConfig) { c.stopOnSlow = true } }

// WithBuffer sets how many received messages may wait in C() (default
// 256). When it is full the subscription stops reading, and the gateway
// drops messages for it and, after a while, closes it as too slow.
func WithBuffer(n int) SubscribeOption {
	return func(c *subscribeConfig) {
		if n > 0 {
			c.buffer = n
		}
	}
}

func newSubscribeConfig(opts []SubscribeOption) subscribeConfig {
	c := subscribeConfig{min: DefaultReconnectMin, max: DefaultReconnectMax, buffer: DefaultSubscribeBuffer}
	for _, o := range opts {
		o(&c)
	}
	return c
}
