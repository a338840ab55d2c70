package main

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/orama-network/orama/host/wscork"
)

// Timeouts as the gateway's defaults (server.pubsub).
const (
	writeTimeout = 10 * time.Second
	pingInterval = 30 * time.Second
	maxBatch     = 32 // as the gateway's host/internal/api/pubsub
)

// hub holds the topics and their sockets.
type hub struct {
	ctx      context.Context
	queue    int
	maxFrame int64

	mu     sync.RWMutex
	topics map[string]map[*socket]struct{}
}

// socket is one subscriber: its bounded queue of shared frames.
type socket struct {
	topic string
	queue chan *wscork.Frame
	drops atomic.Int32 // drops in a row (publishers offer concurrently)
	done  chan struct{}
	once  sync.Once
}

// frame is what a subscriber receives: {data:<base64>, timestamp:<ms>, topic}.
type frame struct {
	Data      []byte `json:"data"`
	Timestamp int64  `json:"timestamp"`
	Topic     string `json:"topic"`
}

func newHub(ctx context.Context, queue int, maxFrame int64) *hub {
	return &hub{ctx: ctx, queue: queue, maxFrame: maxFrame, topics: map[string]map[*socket]struct{}{}}
}

// serveWS is GET /v1/pubsub/ws?topic=T.
func (h *hub) serveWS(w http.ResponseWriter, r *http.Request) {
	topic := r.URL.Query().Get("topic")
	if topic == "" {
		http.Error(w, `{"error":"topic is required"}`, http.StatusBadRequest)
		return
	}
	c, cc, err := wscork.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true,
		CompressionMode: websocket.CompressionDisabled})
	if err != nil {
		return
	}
	c.SetReadLimit(h.maxFrame)
	s := &socket{topic: topic, queue: make(chan *wscork.Frame, h.queue), done: make(chan struct{})}
	h.mu.Lock()
	if h.topics[topic] == nil {
		h.topics[topic] = map[*socket]struct{}{}
	}
	h.topics[topic][s] = struct{}{}
	h.mu.Unlock()

	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		h.write(c, cc, s)
	}()
	for {
		_, data, err := c.Read(h.ctx)
		if err != nil {
			break
		}
		h.publish(topic, data)
	}
	s.close()
	<-writerDone
	_ = c.CloseNow()
	h.mu.Lock()
	delete(h.topics[topic], s)
	if len(h.topics[topic]) == 0 {
		delete(h.topics, topic)
	}
	h.mu.Unlock()
}

// publish encodes data once (a whole WebSocket frame, as the gateway
// does) and offers it to every socket of topic.
func (h *hub) publish(topic string, data []byte) {
	f, err := json.Marshal(frame{Data: data, Timestamp: time.Now().UnixMilli(), Topic: topic})
	if err != nil {
		return
	}
	fr := wscork.TextFrame(f)
	h.mu.RLock()
	for s := range h.topics[topic] {
		s.offer(fr)
	}
	h.mu.RUnlock()
}

// offer queues f without waiting; a full queue drops it, and a queue's
// worth of drops in a row closes the socket.
func (s *socket) offer(f *wscork.Frame) {
	select {
	case s.queue <- f:
		if s.drops.Load() != 0 {
			s.drops.Store(0)
		}
		return
	default:
	}
	if int(s.drops.Add(1)) >= cap(s.queue) {
		s.close()
	}
}

func (s *socket) close() { s.once.Do(func() { close(s.done) }) }

// write sends the queued frames the way the gateway does (batches of
// at most maxBatch under one writeTimeout, the connection corked), and
// pings.
func (h *hub) write(c *websocket.Conn, cc *wscork.Conn, s *socket) {
	ping := time.NewTicker(pingInterval)
	defer ping.Stop()
	for {
		select {
		case <-s.done:
			_ = c.Close(websocket.StatusNormalClosure, "")
			return
		case f := <-s.queue:
			if _, err := wscork.WriteBatch(h.ctx, c, cc, writeTimeout, f, s.queue, maxBatch); err != nil {
				s.close()
				_ = c.CloseNow()
				return
			}
		case <-ping.C:
			ctx, cancel := context.WithTimeout(h.ctx, writeTimeout)
			err := c.Ping(ctx)
			cancel()
			if err != nil {
				s.close()
				_ = c.CloseNow()
				return
			}
		}
	}
}
