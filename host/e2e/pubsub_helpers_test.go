package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// psWait bounds every wait of the pubsub tests: generous, never a
// performance assertion.
const psWait = 15 * time.Second

// pubsubBlock is a plugin block for the real pubsub plugin; lines go in
// its config block (the driver is "local" unless they say otherwise).
func pubsubBlock(lines string) string {
	if lines == "" {
		lines = `    driver = "local"`
	}
	return pluginBlock("pubsub", bins.pubsub, lines)
}

// pubsubLimits is a server { pubsub { … } } block of lines.
func pubsubLimits(lines string) string { return "  pubsub {\n" + lines + "\n  }\n" }

// startPubSubHost starts a host without authentication (namespace
// "default") with the local pubsub plugin and plugins; serverExtra goes
// in the server block.
func startPubSubHost(t *testing.T, requestTimeout, serverExtra, plugins string) *host {
	t.Helper()
	return startHost(t, func(port int) string {
		return serverConfig(port, "e2e", requestTimeout, serverExtra, pubsubBlock("")+plugins)
	})
}

// frame is one server frame: its JSON object, raw text and decoded data.
type frame struct {
	raw  string
	m    map[string]any
	data []byte
}

func (f frame) str(k string) string { s, _ := f.m[k].(string); return s }

// presence tells a presence frame (it has a top-level type).
func (f frame) presence() bool { return f.str("type") != "" }

// wsSub is a client socket with a goroutine reading every frame into a
// channel, so that waits never cancel a Read (which would close the
// socket) and "nothing more arrived" can be checked.
type wsSub struct {
	t      *testing.T
	name   string
	c      *websocket.Conn
	frames chan frame
	done   chan struct{} // closed when the read loop ended
	err    error         // why it ended (set before done is closed)
}

// wsURL is the /v1/pubsub/ws URL of h with query.
func (h *host) wsURL(query string) string {
	return "ws" + strings.TrimPrefix(h.URL, "http") + "/v1/pubsub/ws?" + query
}

// dialWSErr opens a socket; hdr are header name, value pairs.
func (h *host) dialWSErr(query string, hdr ...string) (*websocket.Conn, *http.Response, error) {
	return h.dialWSWith(nil, query, hdr...)
}

func (h *host) dialWSWith(client *http.Client, query string, hdr ...string) (*websocket.Conn, *http.Response, error) {
	ctx, cancel := context.WithTimeout(context.Background(), psWait)
	defer cancel()
	hh := http.Header{}
	for i := 0; i+1 < len(hdr); i += 2 {
		hh.Set(hdr[i], hdr[i+1])
	}
	c, resp, err := websocket.Dial(ctx, h.wsURL(query), &websocket.DialOptions{HTTPHeader: hh, HTTPClient: client})
	if err == nil {
		h.t.Cleanup(func() { _ = c.CloseNow() })
		c.SetReadLimit(4 << 20) // a frame of a 1 MiB message is about 1.4 MB
	}
	return c, resp, err
}

// subscribe opens a socket that must be accepted and starts reading it.
func (h *host) subscribe(name, query string, hdr ...string) *wsSub {
	h.t.Helper()
	c, resp, err := h.dialWSErr(query, hdr...)
	if err != nil {
		h.t.Fatalf("%s: dial %s: %v (status %d)", name, query, err, statusOf(resp))
	}
	return readSocket(h.t, name, c)
}

// readSocket starts the read loop of c.
func readSocket(t *testing.T, name string, c *websocket.Conn) *wsSub {
	s := &wsSub{t: t, name: name, c: c, frames: make(chan frame, 4096), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		for {
			typ, b, err := c.Read(context.Background())
			if err != nil {
				s.err = err
				return
			}
			f := frame{raw: string(b)}
			if typ != websocket.MessageText {
				f.raw = fmt.Sprintf("non-text frame %v: %q", typ, b)
			} else if err := json.Unmarshal(b, &f.m); err == nil {
				if d, ok := f.m["data"].(string); ok {
					f.data, _ = base64.StdEncoding.DecodeString(d)
				}
			}
			s.frames <- f
		}
	}()
	return s
}

func statusOf(resp *http.Response) int {
	if resp == nil {
		return 0
	}
	return resp.StatusCode
}

// next returns the next frame, failing the test if none comes.
func (s *wsSub) next() frame {
	s.t.Helper()
	select {
	case f := <-s.frames:
		if f.m == nil {
			s.t.Fatalf("%s: frame is not a JSON object: %s", s.name, f.raw)
		}
		return f
	case <-s.done:
		select {
		case f := <-s.frames:
			return f
		default:
		}
		s.t.Fatalf("%s: socket ended (%v) while a frame was awaited", s.name, s.err)
	case <-time.After(psWait):
		s.t.Fatalf("%s: no frame within %s", s.name, psWait)
	}
	return frame{}
}

// nextMessage returns the next message frame, skipping presence frames.
func (s *wsSub) nextMessage() frame {
	s.t.Helper()
	for {
		if f := s.next(); !f.presence() {
			return f
		}
	}
}

// nextPresence returns the next presence frame of type typ, skipping
// anything else.
func (s *wsSub) nextPresence(typ string) frame {
	s.t.Helper()
	for {
		if f := s.next(); f.str("type") == typ {
			return f
		}
	}
}

// until returns every frame up to and including the message frame whose
// data is marker.
func (s *wsSub) until(marker string) []frame {
	s.t.Helper()
	var out []frame
	for {
		f := s.next()
		out = append(out, f)
		if !f.presence() && string(f.data) == marker {
			return out
		}
	}
}

// quiet returns the frames that arrive within d (a settling window after
// a marker: anything in it is a duplicate or a leak).
func (s *wsSub) quiet(d time.Duration) []frame {
	var out []frame
	end := time.After(d)
	for {
		select {
		case f := <-s.frames:
			out = append(out, f)
		case <-end:
			return out
		}
	}
}

// open fails the test if the socket ended.
func (s *wsSub) open() {
	s.t.Helper()
	select {
	case <-s.done:
		s.t.Fatalf("%s: socket ended: %v", s.name, s.err)
	default:
	}
}

// closeStatus waits until the socket ends and returns its close status
// (-1 when it ended without one).
func (s *wsSub) closeStatus() websocket.StatusCode {
	s.t.Helper()
	select {
	case <-s.done:
		return websocket.CloseStatus(s.err)
	case <-time.After(psWait):
		s.t.Fatalf("%s: socket still open after %s", s.name, psWait)
	}
	return 0
}

// send writes one client frame.
func (s *wsSub) send(typ websocket.MessageType, b []byte) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), psWait)
	defer cancel()
	if err := s.c.Write(ctx, typ, b); err != nil {
		s.t.Fatalf("%s: write: %v", s.name, err)
	}
}

// publish sends data through POST /v1/pubsub/publish with the
// credential hdr.
func (h *host) publish(topic string, data []byte, hdr ...string) reply {
	h.t.Helper()
	return h.send(http.MethodPost, "/v1/pubsub/publish",
		map[string]string{"topic": topic, "data_base64": base64.StdEncoding.EncodeToString(data)}, hdr...)
}

func (h *host) mustPublish(topic, data string, hdr ...string) {
	h.t.Helper()
	if r := h.publish(topic, []byte(data), hdr...); r.code != http.StatusOK || r.str("status") != "ok" {
		h.t.Fatalf("publish %q on %s: %s", data, topic, r)
	}
}

// members lists the member ids of topic (GET /v1/pubsub/presence).
func (h *host) members(topic string, hdr ...string) []string {
	h.t.Helper()
	r := h.send(http.MethodGet, "/v1/pubsub/presence?topic="+url.QueryEscape(topic), nil, hdr...)
	if r.code != http.StatusOK {
		h.t.Fatalf("presence of %s: %s", topic, r)
	}
	var doc struct {
		Members []struct {
			MemberID string `json:"member_id"`
		} `json:"members"`
	}
	if err := json.Unmarshal(r.raw, &doc); err != nil {
		h.t.Fatalf("presence of %s: %v: %s", topic, err, r.raw)
	}
	ids := []string{}
	for _, m := range doc.Members {
		ids = append(ids, m.MemberID)
	}
	return ids
}

// topics lists the caller's topics (GET /v1/pubsub/topics).
func (h *host) topics(hdr ...string) []string {
	h.t.Helper()
	r := h.send(http.MethodGet, "/v1/pubsub/topics", nil, hdr...)
	var doc struct {
		Topics []string `json:"topics"`
	}
	if r.code != http.StatusOK || json.Unmarshal(r.raw, &doc) != nil || doc.Topics == nil {
		h.t.Fatalf("topics: %s", r)
	}
	return doc.Topics
}

// metric returns the value of one series of the host's /metrics, as
// written there (e.g. `orama_pubsub_closed_total{reason="slow"}`); 0 when
// absent.
func (h *host) metric(series string) float64 {
	h.t.Helper()
	resp, raw := h.request(http.MethodGet, "/metrics", nil)
	if resp.StatusCode != http.StatusOK {
		h.t.Fatalf("/metrics: %d", resp.StatusCode)
	}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if ok && name == series {
			v, err := strconv.ParseFloat(value, 64)
			if err != nil {
				h.t.Fatalf("/metrics %s: %v", series, err)
			}
			return v
		}
	}
	return 0
}

// eventually polls cond (bounded by psWait) until it holds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(psWait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still not %s after %s", what, psWait)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// pluginPID is the pid /v1/health gives for the plugin of kind.
func (h *host) pluginPID(kind string) int {
	h.t.Helper()
	_, doc := h.health()
	pid := doc.Plugins[kind].PID
	if pid == 0 {
		h.t.Fatalf("no %s plugin pid in /v1/health: %+v", kind, doc)
	}
	return pid
}

// waitPluginBack waits until /v1/health shows the plugin of kind running
// under a pid other than old, and returns it.
func (h *host) waitPluginBack(kind string, old int) int {
	h.t.Helper()
	var pid int
	eventually(h.t, kind+" plugin running under a new pid", func() bool {
		code, doc := h.health()
		p := doc.Plugins[kind]
		pid = p.PID
		return code == http.StatusOK && p.Status == "running" && p.PID != 0 && p.PID != old
	})
	return pid
}
