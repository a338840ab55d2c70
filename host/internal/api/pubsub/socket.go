package pubsub

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/orama-network/orama/host/wscork"

	"github.com/orama-network/orama/sdk/pubsub"
)

// socket is one subscriber: its send queue, written by its own writer
// goroutine, and how it is to be closed.
type socket struct {
	ns, topic string
	member    *pubsub.Member // nil without presence
	joined    bool           // member counted in its topic (set before serving)
	t         *topic         // set by attach

	queue chan *wscork.Frame // shared frames, never modified (a pointer: 8 bytes a slot)
	conn  *wscork.Conn       // the connection under the WebSocket (nil: frames go through coder/websocket one by one)
	drops int                // drops in a row (touched by the topic's pump only)
	full  chan struct{}      // a token once maxBatch frames are queued: ends the writer's FlushInterval wait

	once   sync.Once
	done   chan struct{}      // closed by close
	wctx   context.Context    // the writer's context: ends closeGrace after close
	abort  context.CancelFunc // ends wctx
	code   websocket.StatusCode
	reason string
	why    string // metric label
}

// closeGrace is how long a closed socket's writer may go on with a write
// in progress (so that a close frame can follow it) before the write is
// cut off and the connection dropped: a writer stuck on a client that does
// not read must not hold the socket until the write timeout.
const closeGrace = time.Second

func newSocket(ctx context.Context, ns, topic string, member *pubsub.Member, queue int) *socket {
	s := &socket{ns: ns, topic: topic, member: member, queue: make(chan *wscork.Frame, queue), full: make(chan struct{}, 1), done: make(chan struct{})}
	s.wctx, s.abort = context.WithCancel(ctx)
	return s
}

// offer queues f without waiting. A full queue drops f; after a queue's
// worth of drops in a row the socket is closed with 1008.
func (s *socket) offer(f *wscork.Frame) bool {
	select {
	case s.queue <- f:
		s.drops = 0
		if len(s.queue) >= maxBatch {
			select {
			case s.full <- struct{}{}:
			default:
			}
		}
		return true
	default:
	}
	if s.drops++; s.drops >= cap(s.queue) {
		s.close(websocket.StatusPolicyViolation, "subscriber too slow: send queue full", closeSlow)
	}
	return false
}

// close asks the socket's writer to close the connection with code; the
// first call wins.
func (s *socket) close(code websocket.StatusCode, reason, why string) {
	s.once.Do(func() {
		s.code, s.reason, s.why = code, reason, why
		close(s.done)
		time.AfterFunc(closeGrace, s.abort)
	})
}

// serve runs an accepted socket until it closes: the calling goroutine
// reads client frames, another writes the queue and the pings.
func (h *Hub) serve(c *websocket.Conn, s *socket) {
	c.SetReadLimit(h.opts.MaxFrameBytes)
	if s.conn != nil {
		// The writer's context ending (closeGrace after close) cuts a
		// write in progress on the connection, as it does one in
		// coder/websocket.
		defer context.AfterFunc(s.wctx, s.conn.Abort)()
	}
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		h.write(c, s)
	}()
	h.read(c, s)
	s.close(websocket.StatusNormalClosure, "", closeClient)
	<-writerDone
	s.abort()
	_ = c.CloseNow()
	h.metrics.closed.WithLabelValues(s.why).Inc()
}

// write sends the queued frames, each within WriteTimeout, and pings
// every PingInterval, until the socket is closed or a write fails. With a
// FlushInterval it takes no frame sooner than that after its last write
// (unless a full batch is waiting), so the frames of the interval leave
// together.
func (h *Hub) write(c *websocket.Conn, s *socket) {
	ping := time.NewTicker(h.opts.PingInterval)
	defer ping.Stop()
	var (
		linger *time.Timer // nil without a FlushInterval
		next   time.Time   // no frame is taken before it
	)
	if h.opts.FlushInterval > 0 {
		linger = time.NewTimer(time.Hour)
		linger.Stop()
	}
	for {
		select {
		case <-s.done:
			_ = c.Close(s.code, s.reason)
			return
		default:
		}
		if linger != nil {
			if wait := time.Until(next); wait > 0 && len(s.queue) < maxBatch {
				linger.Reset(wait)
				select {
				case <-linger.C:
				case <-s.full: // a whole batch is queued: it leaves now
				case <-ping.C:
					if !h.ping(c, s) {
						return
					}
				case <-s.done:
				}
				linger.Stop() // (Go ≥ 1.23: no stale tick is received after it)
				continue
			}
		}
		select {
		case f := <-s.queue:
			err := h.writeBatch(c, s, f)
			if err != nil {
				s.close(websocket.StatusInternalError, "write failed", closeError)
				_ = c.CloseNow()
				return
			}
			if linger != nil {
				next = time.Now().Add(h.opts.FlushInterval)
			}
		case <-ping.C:
			if !h.ping(c, s) {
				return
			}
		case <-s.done:
			_ = c.Close(s.code, s.reason)
			return
		}
	}
}

// ping pings s within WriteTimeout; false (s closed) when it is not
// answered.
func (h *Hub) ping(c *websocket.Conn, s *socket) bool {
	ctx, cancel := context.WithTimeout(s.wctx, h.opts.WriteTimeout)
	err := c.Ping(ctx)
	cancel()
	if err != nil {
		s.close(websocket.StatusPolicyViolation, "ping not answered", closeError)
		_ = c.CloseNow()
		return false
	}
	return true
}

// maxBatch bounds the frames one writeBatch takes from the queue.
const maxBatch = 32

// writeBatch writes f and the frames already waiting behind it (at most
// maxBatch) under one WriteTimeout, with one write system call: a socket
// that falls behind pays for one deadline and one write per batch, not
// per frame.
func (h *Hub) writeBatch(c *websocket.Conn, s *socket, f *wscork.Frame) error {
	n, err := wscork.WriteBatch(s.wctx, c, s.conn, h.opts.WriteTimeout, f, s.queue, maxBatch)
	h.metrics.writes.Add(float64(n))
	return err
}

// read publishes the client's frames to the topic until the connection
// ends: a frame over MaxFrameBytes closes it with 1009 (coder/websocket
// does), invalid UTF-8 in a text frame with 1007.
func (h *Hub) read(c *websocket.Conn, s *socket) {
	for {
		typ, data, err := c.Read(h.ctx)
		if err != nil {
			if errors.Is(err, websocket.ErrMessageTooBig) {
				s.close(websocket.StatusMessageTooBig, "frame too large", closeTooBig)
			}
			return
		}
		if typ == websocket.MessageText && !validUTF8(data) {
			s.close(websocket.StatusInvalidFramePayloadData, "invalid UTF-8 in a text frame", closeUTF8)
			return
		}
		if isPing(data) {
			continue
		}
		h.publish(s, data)
	}
}

// publish sends a client frame to the topic; a refusal is counted (the
// protocol has no error frame).
func (h *Hub) publish(s *socket, data []byte) {
	ctx, cancel := h.d.Context(h.ctx)
	defer cancel()
	ps, err := h.d.Plugin(ctx)
	if err == nil {
		err = ps.Publish(ctx, s.ns, s.topic, data)
	}
	h.metrics.published(sourceWS, err)
	if err != nil {
		h.log.Debug("publish from a socket failed", "error", err)
		return
	}
	h.missed(s.ns, s.topic)
}
