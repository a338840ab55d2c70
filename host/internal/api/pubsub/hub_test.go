package pubsub_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/host/internal/server"
)

// A socket that never reads does not delay the others: frames are
// dropped for it (counted), and after its queue stayed full it is closed.
func TestSlowSubscriber(t *testing.T) {
	e, srv := start(t, func(o *server.Options) {
		o.PubSub.SendQueue = 4
		o.PubSub.WriteTimeout = time.Minute // the queue's bound acts first
	})
	slow := dialSmallBuffer(t, srv, keyAlpha, "topic=t") // never read until the end
	fast := dial(t, srv, keyAlpha, "topic=t")
	payload := bytes.Repeat([]byte("x"), 64<<10)
	// Lock step: each message reaches the fast socket before the next is
	// published, whatever the slow one does. The slow one's TCP buffers
	// fill, then its queue, then it is closed.
	closed := func() bool {
		return metric(t, e, `orama_pubsub_closed_total{reason="slow"}`)+metric(t, e, `orama_pubsub_closed_total{reason="error"}`) > 0
	}
	n := 0
	for ; n < 2000 && (n%8 != 0 || !closed()); n++ {
		data := append([]byte(strconv.Itoa(n)+":"), payload...)
		if err := e.PubSub.Publish(t.Context(), "alpha", "t", data); err != nil {
			t.Fatal(err)
		}
		got := nextData(t, fast)
		if want := strconv.Itoa(n) + ":"; got[:len(want)] != want {
			t.Fatalf("fast socket got message %.10q, want %q", got, want)
		}
	}
	if metric(t, e, `orama_pubsub_closed_total{reason="slow"}`) != 1 {
		t.Fatalf("slow socket not closed after %d messages", n)
	}
	if d := metric(t, e, `orama_pubsub_dropped_total{reason="queue_full"}`); d < 4 {
		t.Errorf("dropped %v, want at least a queue's worth (4)", d)
	}
	// The slow socket ends (its backlog, then the close).
	closeStatus(t, slow)
	// The fast one goes on.
	mustPublish(t, e, keyAlpha, "t", "after")
	if got := nextData(t, fast); got != "after" {
		t.Errorf("fast socket after the slow one closed: %q", got)
	}
	t.Logf("slow socket closed after %d messages of 64 KiB", n)
}

// The plugin goes away (killed: its subscriptions end unavailable) and
// comes back as a new instance that knows nothing: the sockets stay open,
// the host subscribes again and joins its members again, and a message
// published afterwards arrives exactly once. Publishes while it is down
// are refused with 503.
func TestPluginRestart(t *testing.T) {
	e, srv := start(t, func(o *server.Options) { o.RequestTimeout = 200 * time.Millisecond })
	watcher := dial(t, srv, keyAlpha, "topic=t")
	member := dial(t, srv, keyAlpha, "topic=t&presence=true&member_id=m1")
	for _, c := range []*websocket.Conn{watcher, member} {
		if f, raw := next(t, c); f["type"] != "presence.join" {
			t.Fatalf("first frame %s", raw)
		}
	}
	mustPublish(t, e, keyAlpha, "t", "before")
	for _, c := range []*websocket.Conn{watcher, member} {
		if got := nextData(t, c); got != "before" {
			t.Fatalf("got %q", got)
		}
	}

	// Kill: the plugin is down, its subscriptions end.
	old := e.PubSub
	e.Plugins.SetPubSubDown(true)
	old.KillSubscriptions()
	if code := publish(t, e, keyAlpha, "t", "lost"); code != http.StatusServiceUnavailable {
		t.Errorf("publish while down: %d, want 503", code)
	}
	eventually(t, "refusal counted", func() bool {
		return metric(t, e, `orama_pubsub_publishes_total{result="unavailable",source="http"}`) == 1
	})

	// A new instance comes up.
	fresh := apitest.NewFakePubSub()
	t.Cleanup(func() { _ = fresh.Close() })
	e.Plugins.Mu.Lock()
	e.Plugins.PubSubFake = fresh
	e.Plugins.PubSubDown = false
	e.Plugins.Mu.Unlock()
	eventually(t, "subscribed again", func() bool { return fresh.Subscribes.Load() == 1 })

	// The member is joined again on the new instance: both sockets see it.
	for _, c := range []*websocket.Conn{watcher, member} {
		if f, raw := next(t, c); f["type"] != "presence.join" || f["member_id"] != "m1" {
			t.Fatalf("after the restart: %s", raw)
		}
	}
	rec := e.Do(t, "GET", "/v1/pubsub/presence?topic=t", "", "X-API-Key", keyAlpha)
	if !bytes.Contains(rec.Body.Bytes(), []byte(`"member_id":"m1"`)) {
		t.Errorf("presence on the new instance: %s", rec.Body)
	}
	for i := range 3 {
		mustPublish(t, e, keyAlpha, "t", fmt.Sprint("after", i))
	}
	for _, c := range []*websocket.Conn{watcher, member} {
		for i := range 3 { // in order, each once: no replay, no duplicate
			if got, want := nextData(t, c), fmt.Sprint("after", i); got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		}
	}
	if v := metric(t, e, "orama_pubsub_resubscribes_total"); v != 1 {
		t.Errorf("orama_pubsub_resubscribes_total %v", v)
	}
	if v := metric(t, e, "orama_pubsub_sockets"); v != 2 {
		t.Errorf("orama_pubsub_sockets %v: sockets closed by the restart", v)
	}
}

// A message published through this host after the plugin is back but
// before the host has subscribed again misses the local sockets: it is
// counted as dropped{reason="resubscribing"}, once per socket, and never
// delivered later.
func TestGapCounted(t *testing.T) {
	e, srv := start(t, func(o *server.Options) { o.RequestTimeout = 200 * time.Millisecond })
	a := dial(t, srv, keyAlpha, "topic=t")
	b := dial(t, srv, keyAlpha, "topic=t")
	old := e.PubSub
	fresh := apitest.NewFakePubSub()
	t.Cleanup(func() { _ = fresh.Close() })
	fresh.Gate = make(chan struct{})
	e.Plugins.Mu.Lock()
	e.Plugins.PubSubFake = fresh
	e.Plugins.Mu.Unlock()
	old.KillSubscriptions()
	const series = `orama_pubsub_dropped_total{reason="resubscribing"}`
	if v := metric(t, e, series); v != 0 {
		t.Fatalf("%s = %v before the gap", series, v)
	}
	// The hub notices the end of its subscription and waits at the gate.
	eventually(t, "the gap noticed", func() bool {
		mustPublish(t, e, keyAlpha, "t", "in the gap")
		return metric(t, e, series) > 0
	})
	if v := metric(t, e, series); int(v)%2 != 0 {
		t.Errorf("%s = %v, want 2 per message (two sockets)", series, v)
	}
	close(fresh.Gate)
	eventually(t, "subscribed again", func() bool { return fresh.Subscribes.Load() == 1 })
	mustPublish(t, e, keyAlpha, "t", "after")
	for _, c := range []*websocket.Conn{a, b} {
		if got := nextData(t, c); got != "after" {
			t.Errorf("first frame after the gap %q, want \"after\" (nothing from the gap)", got)
		}
	}
}

// While the plugin is down a new socket is refused with 503 before the
// upgrade (after waiting the request timeout for it).
func TestSubscribeWhileDown(t *testing.T) {
	e, srv := start(t, func(o *server.Options) { o.RequestTimeout = 100 * time.Millisecond })
	e.Plugins.SetPubSubDown(true)
	_, resp, err := dialErr(t, srv, keyAlpha, "topic=t")
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("subscribe while down: %v %v", err, resp)
	}
	e.Plugins.SetPubSubDown(false)
	eventually(t, "the abandoned topic forgotten", func() bool { return metric(t, e, "orama_pubsub_sockets") == 0 })
	c := dial(t, srv, keyAlpha, "topic=t")
	mustPublish(t, e, keyAlpha, "t", "up")
	if got := nextData(t, c); got != "up" {
		t.Errorf("got %q", got)
	}
}

// The pubsub metrics are on /metrics from the start.
func TestMetricsExposed(t *testing.T) {
	e, _ := start(t, nil)
	body := e.Do(t, "GET", "/metrics", "").Body.String()
	for _, name := range []string{"orama_pubsub_sockets", "orama_pubsub_subscriptions", "orama_pubsub_delivered_total",
		`orama_pubsub_dropped_total{reason="queue_full"}`, "orama_pubsub_resubscribes_total",
		`orama_pubsub_publishes_total{result="ok",source="ws"}`, `orama_pubsub_closed_total{reason="slow"}`} {
		if !bytes.Contains([]byte(body), []byte(name)) {
			t.Errorf("/metrics lacks %s", name)
		}
	}
}

// dialSmallBuffer is dial over a TCP connection with a small receive
// buffer, so that a socket that does not read backs up soon.
func dialSmallBuffer(t *testing.T, srv *httptest.Server, key, query string) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), wait)
	defer cancel()
	c, _, err := websocket.Dial(ctx, wsURL(srv, query), &websocket.DialOptions{
		HTTPClient: apitest.SmallBufferClient(t), HTTPHeader: http.Header{"X-Api-Key": {key}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.CloseNow() })
	c.SetReadLimit(2 << 20)
	return c
}

// With a FlushInterval, a frame that comes sooner than it after the
// socket's last write waits, and the frames of the interval leave in one
// write; the first frame after a quiet socket leaves at once.
func TestFlushIntervalBatchesFrames(t *testing.T) {
	e, srv := start(t, func(o *server.Options) {
		o.PubSub.FlushInterval = time.Second // long: the burst below surely falls in it
	})
	c := dial(t, srv, keyAlpha, "topic=t")
	// The counter moves once a write has returned, which may be just
	// after the client read its frames: read it once it stopped moving.
	writes := func() float64 {
		v := metric(t, e, "orama_pubsub_socket_writes_total")
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
			time.Sleep(100 * time.Millisecond)
			w := metric(t, e, "orama_pubsub_socket_writes_total")
			if w == v {
				break
			}
			v = w
		}
		return v
	}
	before := writes()
	mustPublish(t, e, keyAlpha, "t", "first")
	if got := nextData(t, c); got != "first" {
		t.Fatalf("got %q, want first", got)
	}
	afterFirst := writes()
	if afterFirst != before+1 {
		t.Fatalf("the first frame took %v writes, want 1", afterFirst-before)
	}
	burst := []string{"b1", "b2", "b3", "b4"}
	for _, d := range burst {
		if err := e.PubSub.Publish(t.Context(), "alpha", "t", []byte(d)); err != nil {
			t.Fatal(err)
		}
		// Apart enough that without the interval each would be
		// written alone (the writer is idle in between).
		time.Sleep(40 * time.Millisecond)
	}
	for _, want := range burst {
		if got := nextData(t, c); got != want {
			t.Fatalf("got %q, want %q (in order)", got, want)
		}
	}
	if n := writes() - afterFirst; n != 1 {
		t.Fatalf("the %d frames published within the interval took %v writes, want 1", len(burst), n)
	}
}
