package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"
)

// publisher sends messages over a WebSocket of the topic (whose own
// deliveries it reads and discards) or with POST /v1/pubsub/publish.
type publisher struct {
	id   int
	c    *websocket.Conn // -publish ws
	http *http.Client    // -publish http
	url  string          // POST URL (-publish http)
	key  string
	cfg  config
	buf  []byte
	seq  int64
}

func openPublishers(ctx context.Context, c config) ([]*publisher, error) {
	var pubs []*publisher
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: c.publishers}}
	for i := range c.publishers {
		p := &publisher{id: i + 1, cfg: c, key: c.pubKey, buf: make([]byte, 0, c.size)}
		if c.publish == "ws" {
			conn, err := dial(ctx, c.pubURL, c.pubKey, c.topic)
			if err != nil {
				closePublishers(pubs)
				return nil, fmt.Errorf("publisher %d: %w", i+1, err)
			}
			p.c = conn
			go func() { // its own deliveries: read (pings too) and dropped
				for {
					_, r, err := conn.Reader(ctx)
					if err != nil {
						return
					}
					_, _ = io.Copy(io.Discard, r)
				}
			}()
		} else {
			p.http, p.url = client, strings.TrimRight(c.pubURL, "/")+"/v1/pubsub/publish"
		}
		pubs = append(pubs, p)
	}
	return pubs, nil
}

func closePublishers(pubs []*publisher) {
	for _, p := range pubs {
		if p.c != nil {
			_ = p.c.CloseNow()
		}
	}
}

// send publishes one message of step, stamped now.
func (p *publisher) send(ctx context.Context, step int) error {
	p.seq++
	data := payload(p.buf, step, p.id, p.seq, time.Now().UnixNano())
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if p.c != nil {
		return p.c.Write(ctx, websocket.MessageText, data)
	}
	body, _ := json.Marshal(map[string]string{"topic": p.cfg.topic, "data_base64": base64.StdEncoding.EncodeToString(data)})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if p.key != "" {
		req.Header.Set("X-API-Key", p.key)
	}
	resp, err := p.http.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("POST /v1/pubsub/publish: %s", resp.Status)
	}
	return nil
}

// pace sends rate/len(pubs) messages per second from each publisher from
// t0 until end (publisher i offset by i/len of a period), and returns how
// many were sent and how many sends failed.
func pace(ctx context.Context, pubs []*publisher, step, rate int, t0, end time.Time) (sent, failed int64) {
	type result struct{ sent, failed int64 }
	results := make(chan result, len(pubs))
	period := time.Duration(float64(time.Second) * float64(len(pubs)) / float64(rate))
	for i, p := range pubs {
		go func() {
			var r result
			start := t0.Add(period * time.Duration(i) / time.Duration(len(pubs)))
			for k := int64(0); ; k++ {
				at := start.Add(period * time.Duration(k))
				if !at.Before(end) || ctx.Err() != nil {
					break
				}
				if d := time.Until(at); d > 0 {
					time.Sleep(d)
				}
				if err := p.send(ctx, step); err != nil {
					r.failed++
				} else {
					r.sent++
				}
			}
			results <- r
		}()
	}
	for range pubs {
		r := <-results
		sent += r.sent
		failed += r.failed
	}
	return sent, failed
}
