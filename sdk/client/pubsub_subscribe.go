package client

import (
	"context"
	"errors"
	"io"
	"iter"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/pubsub"
)

// defaultDialTimeout bounds a WebSocket handshake when the client's
// http.Client has no Timeout.
const defaultDialTimeout = 30 * time.Second

// Subscription is a live subscription to one topic over a WebSocket
// (GET /v1/pubsub/ws). Its messages arrive on C(), or through Messages();
// both read the same stream, so use one of them. It is safe for
// concurrent use. A read loop runs all the time (it also answers the
// gateway's pings); when C() is full it waits, and a consumer that stays
// behind is treated by the gateway as a slow subscriber (messages dropped
// for it, then close 1008).
//
// Reconnection policy. The subscription dials again, and subscribes again
// (joining presence again with WithPresence), when the connection is lost
// in a way a later attempt may cure:
//   - the connection drops (network error, no close frame or no code);
//   - the gateway closes it with 1001 (going away: restart, shutdown),
//     1011 (the subscription failed), 1012, 1013 (try again later) or 1014;
//   - the gateway closes it with 1008 (too slow), unless WithStopOnSlow;
//   - a reconnection attempt gets no answer, or 429 or a 5xx (503 while
//     the gateway's plugin restarts).
//
// Waits between attempts grow from 100 ms, doubling to at most 10 s
// (WithReconnectBackoff), each jittered to a random value in [d/2, d];
// they start over once a connection delivered a message or stayed up for
// the longest wait. Messages published while it is disconnected are lost:
// the gateway keeps no history, and nothing is replayed or duplicated.
// Reconnects counts the reconnections.
//
// It ends for good, closing C(), with Err telling why (an *sdk.Error):
//   - when a reconnection is refused with 400, 401, 403, 404, 409 or 413
//     (invalid, unauthorized, forbidden, not_found, conflict, too_large:
//     no retry can change them, e.g. a revoked key);
//   - on another close code (1007 or 1009: a frame this client sent was
//     refused; 1000: the gateway ended it);
//   - on 1008 with WithStopOnSlow;
//   - after WithMaxReconnectAttempts attempts in a row that failed.
//
// It also ends, with Err nil, on Close and at the end of Subscribe's ctx.
type Subscription struct {
	ps     *PubSub
	topic  string
	cfg    subscribeConfig
	ch     chan Message
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}

	mu         sync.Mutex
	conn       *websocket.Conn // nil while reconnecting
	closing    bool
	err        error
	reconnects int
}

// Subscribe opens a subscription to topic and returns once the gateway
// accepted it; ctx bounds the subscription's whole life (its end is a
// Close). The first connection is not retried: its error is returned as
// *sdk.Error (invalid, unauthorized, forbidden, rate_limited at the
// namespace's socket cap, unavailable).
func (p *PubSub) Subscribe(ctx context.Context, topic string, opts ...SubscribeOption) (*Subscription, error) {
	if err := checkTopic(topic); err != nil {
		return nil, err
	}
	cfg := newSubscribeConfig(opts)
	if cfg.presence && cfg.memberID == "" {
		return nil, sdk.Errorf(sdk.CodeInvalid, "a presence member id is required")
	}
	s := &Subscription{ps: p, topic: topic, cfg: cfg, ch: make(chan Message, cfg.buffer), done: make(chan struct{})}
	conn, err := s.dial(ctx)
	if err != nil {
		return nil, err
	}
	s.ctx, s.cancel = context.WithCancel(ctx)
	s.conn = conn // Publish works as soon as Subscribe returns
	go s.run(conn)
	return s, nil
}

// Topic is the subscription's topic.
func (s *Subscription) Topic() string { return s.topic }

// C is the channel of received messages; it is closed when the
// subscription ends (see Err).
func (s *Subscription) C() <-chan Message { return s.ch }

// Messages iterates over the received messages until the subscription
// ends; if it ended with an error, the last pair carries it:
//
//	for m, err := range sub.Messages() {
//		if err != nil { … }
//		use(m)
//	}
//
// Breaking out of the loop does not end the subscription: Close does.
func (s *Subscription) Messages() iter.Seq2[Message, error] {
	return func(yield func(Message, error) bool) {
		for m := range s.ch {
			if !yield(m, nil) {
				return
			}
		}
		if err := s.Err(); err != nil {
			yield(Message{}, err)
		}
	}
}

// Reconnects is how many times the subscription connected again after
// its first connection was lost.
func (s *Subscription) Reconnects() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reconnects
}

// Err is why the subscription ended: nil while it runs and after Close or
// the end of Subscribe's ctx, an *sdk.Error otherwise.
func (s *Subscription) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Publish sends data to the topic over the subscription's socket (a
// binary frame, published raw; a frame that is exactly {"type":"ping"}
// is taken as a keep-alive and not published). Errors: too_large (over
// 1 MiB), unavailable (reconnecting, ended, or the write failed; the
// message may be lost).
func (s *Subscription) Publish(ctx context.Context, data []byte) error {
	if len(data) > pubsub.MaxDataLen {
		return sdk.Errorf(sdk.CodeTooLarge, "data is %d bytes, more than %d", len(data), pubsub.MaxDataLen)
	}
	s.mu.Lock()
	conn := s.conn
	s.mu.Unlock()
	if conn == nil {
		return sdk.Errorf(sdk.CodeUnavailable, "pubsub: the subscription to %q is not connected (reconnecting or ended)", s.topic)
	}
	if err := conn.Write(ctx, websocket.MessageBinary, data); err != nil {
		return sdk.Errorf(sdk.CodeUnavailable, "pubsub: publish on %q: %v", s.topic, err)
	}
	return nil
}

// Close ends the subscription (closing the socket with 1000, which also
// leaves presence) and waits until C() is closed. It always returns nil.
func (s *Subscription) Close() error {
	s.mu.Lock()
	s.closing = true
	conn := s.conn
	s.mu.Unlock()
	if conn != nil {
		_ = conn.Close(websocket.StatusNormalClosure, "")
	}
	s.cancel()
	<-s.done
	return nil
}

// dial opens one WebSocket to the topic.
func (s *Subscription) dial(ctx context.Context) (*websocket.Conn, error) {
	q := url.Values{"topic": {s.topic}}
	if s.cfg.presence {
		q.Set("presence", "true")
		q.Set("member_id", s.cfg.memberID)
		if len(s.cfg.meta) > 0 {
			q.Set("member_meta", string(s.cfg.meta))
		}
	}
	c := s.ps.c
	hdr := http.Header{}
	c.setCredentials(hdr)
	if c.http.Timeout <= 0 { // with a Timeout, Dial bounds the handshake by it
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultDialTimeout)
		defer cancel()
	}
	conn, resp, err := websocket.Dial(ctx, c.base+"/v1/pubsub/ws?"+q.Encode(), &websocket.DialOptions{
		HTTPClient: c.http, HTTPHeader: hdr, CompressionMode: websocket.CompressionDisabled})
	if err != nil {
		if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols {
			var raw []byte
			if resp.Body != nil {
				raw, _ = io.ReadAll(io.LimitReader(resp.Body, 1024))
			}
			return nil, responseError(resp.StatusCode, raw)
		}
		return nil, sdk.Errorf(sdk.CodeUnavailable, "pubsub: subscribe to %q: %v", s.topic, err)
	}
	conn.SetReadLimit(ReadLimit)
	return conn, nil
}

// run reads conn and every later connection until the subscription ends.
func (s *Subscription) run(conn *websocket.Conn) {
	defer close(s.done)
	defer close(s.ch)
	defer s.cancel()
	attempt := 0
	for {
		start := time.Now()
		delivered, err := s.read(conn)
		if s.stopping() {
			return
		}
		retry := false
		err, retry = s.closeError(err)
		if !retry {
			s.finish(err)
			return
		}
		if delivered || time.Since(start) >= s.cfg.max {
			attempt = 0
		}
		for conn = nil; conn == nil; {
			if s.cfg.maxAttempts > 0 && attempt >= s.cfg.maxAttempts {
				s.finish(err)
				return
			}
			if !sleepCtx(s.ctx, backoff(s.cfg.min, s.cfg.max, attempt)) {
				return
			}
			attempt++
			conn, err = s.dial(s.ctx)
			if s.stopping() {
				if conn != nil {
					conn.CloseNow()
				}
				return
			}
			if err != nil && !retryableStatus(err) {
				s.finish(err)
				return
			}
		}
	}
}

// read delivers conn's frames until it fails; delivered tells whether a
// message went out.
func (s *Subscription) read(conn *websocket.Conn) (delivered bool, err error) {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		conn.CloseNow()
		return false, context.Canceled
	}
	if s.conn != conn {
		s.reconnects++
	}
	s.conn = conn
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.conn = nil
		s.mu.Unlock()
		conn.CloseNow()
	}()
	for {
		_, raw, err := conn.Read(s.ctx)
		if err != nil {
			return delivered, err
		}
		m, err := decodeFrame(raw)
		if err != nil {
			continue // not a frame of API.md: skipped
		}
		select {
		case s.ch <- m:
			delivered = true
		case <-s.ctx.Done():
			return delivered, s.ctx.Err()
		}
	}
}

// stopping tells whether Close or the context ended the subscription.
func (s *Subscription) stopping() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing || s.ctx.Err() != nil
}

func (s *Subscription) finish(err error) {
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
}

// closeError turns the error that ended a connection into the
// subscription's error, and tells whether to reconnect.
func (s *Subscription) closeError(err error) (error, bool) {
	code := websocket.CloseStatus(err)
	switch code {
	case -1, websocket.StatusAbnormalClosure, websocket.StatusNoStatusRcvd: // dropped, or closed without a code
		return sdk.Errorf(sdk.CodeUnavailable, "pubsub: connection to %q lost: %v", s.topic, err), true
	case websocket.StatusGoingAway, websocket.StatusInternalError, websocket.StatusServiceRestart,
		websocket.StatusTryAgainLater, websocket.StatusBadGateway:
		return sdk.Errorf(sdk.CodeUnavailable, "pubsub: the gateway closed %q (%d %s)", s.topic, code, closeReason(err)), true
	case websocket.StatusPolicyViolation:
		return sdk.Errorf(sdk.CodeUnavailable, "pubsub: the gateway closed %q as too slow (1008 %s)", s.topic, closeReason(err)),
			!s.cfg.stopOnSlow
	case websocket.StatusMessageTooBig, websocket.StatusInvalidFramePayloadData, websocket.StatusUnsupportedData:
		return sdk.Errorf(sdk.CodeInvalid, "pubsub: the gateway refused a frame on %q (%d %s)", s.topic, code, closeReason(err)), false
	}
	return sdk.Errorf(sdk.CodeUnavailable, "pubsub: the gateway closed %q (%d %s)", s.topic, code, closeReason(err)), false
}

func closeReason(err error) string {
	var ce websocket.CloseError
	if errors.As(err, &ce) {
		return ce.Reason
	}
	return ""
}

// retryableStatus tells whether a failed reconnection may succeed later:
// no answer, or 408, 429 and 5xx. Other 4xx are final.
func retryableStatus(err error) bool {
	var e *sdk.Error
	if !errors.As(err, &e) {
		return true
	}
	switch e.Code {
	case sdk.CodeInvalid, sdk.CodeUnauthorized, sdk.CodeForbidden, sdk.CodeNotFound, sdk.CodeConflict, sdk.CodeTooLarge:
		return false
	}
	return true
}

// sleepCtx waits d or until ctx ends; false when ctx ended.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
