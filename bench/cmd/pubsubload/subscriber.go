package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// wsURL is base's /v1/pubsub/ws?topic=topic with a ws(s) scheme.
func wsURL(base, topic string) string {
	u := strings.TrimRight(base, "/")
	u = strings.Replace(u, "http://", "ws://", 1)
	u = strings.Replace(u, "https://", "wss://", 1)
	return u + "/v1/pubsub/ws?topic=" + url.QueryEscape(topic)
}

// dial opens a WebSocket of topic on base, with key as X-API-Key.
func dial(ctx context.Context, base, key, topic string) (*websocket.Conn, error) {
	h := http.Header{}
	if key != "" {
		h.Set("X-API-Key", key)
	}
	var last error
	for attempt := range 3 {
		if attempt > 0 {
			time.Sleep(time.Duration(attempt) * 200 * time.Millisecond)
		}
		dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		c, resp, err := websocket.Dial(dctx, wsURL(base, topic), &websocket.DialOptions{
			HTTPHeader: h, CompressionMode: websocket.CompressionDisabled})
		cancel()
		if err == nil {
			c.SetReadLimit(2 << 20)
			return c, nil
		}
		last = err
		if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols && resp.StatusCode < 500 {
			break // refused: no use trying again
		}
	}
	return nil, last
}

// sub is one subscriber and what it received in the current step.
type sub struct {
	c    *rawConn
	step *atomic.Int32 // the step being measured (shared)

	mu      sync.Mutex
	lat     []uint32 // publish→receive of this step's messages, µs
	last    int64    // UnixNano of this step's latest delivery
	warm    int64    // step-0 (warm-up) deliveries
	late    int64    // deliveries of another step than the current one
	dup     int64    // a sequence number not above the publisher's previous one
	bad     int64    // frames that were not ours
	lastSeq map[int]int64
	err     error // why the socket ended (nil while open)
}

// read receives frames until the socket ends.
func (s *sub) read() {
	scratch := make([]byte, 0, 64)
	for {
		msg, err := s.c.next()
		now := time.Now().UnixNano()
		if err != nil {
			s.mu.Lock()
			s.err = err
			s.mu.Unlock()
			return
		}
		st, ok := parseFrame(msg, scratch)
		cur := int(s.step.Load())
		s.mu.Lock()
		switch {
		case !ok:
			s.bad++
		case st.step == 0:
			s.warm++
		case st.step != cur:
			s.late++
		default:
			if prev, seen := s.lastSeq[st.pub]; seen && st.seq <= prev {
				s.dup++
			} else {
				s.lastSeq[st.pub] = st.seq
			}
			d := max(now-st.sent, 0) / 1000
			s.lat = append(s.lat, uint32(min(d, 1<<32-1)))
			s.last = now
		}
		s.mu.Unlock()
	}
}

// take returns and resets what the current step received.
func (s *sub) take() (lat []uint32, last, late, dup, bad int64, closed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	lat, last, late, dup, bad = s.lat, s.last, s.late, s.dup, s.bad
	s.lat, s.last, s.late, s.dup, s.bad = make([]uint32, 0, cap(lat)), 0, 0, 0, 0
	return lat, last, late, dup, bad, s.err != nil
}

// count returns how many of the current step's messages arrived.
func (s *sub) count() (n int, warm int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.lat), s.warm
}

// openSubs dials n subscribers, at most dialers at once, and starts their
// readers.
func openSubs(ctx context.Context, c config, step *atomic.Int32) ([]*sub, error) {
	subs := make([]*sub, c.subs)
	sem := make(chan struct{}, c.dialers)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for i := range subs {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			conn, err := dialRaw(ctx, c.url, c.key, c.topic)
			if err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = fmt.Errorf("subscriber %d: %w", i+1, err)
				}
				mu.Unlock()
				return
			}
			s := &sub{c: conn, step: step, lastSeq: map[int]int64{}}
			subs[i] = s
			go s.read()
		}()
	}
	wg.Wait()
	if firstErr != nil {
		closeSubs(subs)
		return nil, firstErr
	}
	return subs, nil
}

func closeSubs(subs []*sub) {
	for _, s := range subs {
		if s != nil {
			s.c.close()
		}
	}
}
