package e2e

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/orama-network/orama/host/internal/api/apitest"
)

// Issue 10's bad input on the pubsub routes, against the real host and
// the real pubsub plugin (local driver): what is refused before the
// upgrade is a JSON 400/429, what a socket does wrong closes it with the
// close code the adapter's package doc lists, a slow or hung party never
// holds up the others.

// TestSecurityPubSubBadRequests: a missing topic, presence without
// member_id and invalid UTF-8 in the topic are 400 with a message on
// every route, before any upgrade.
func TestSecurityPubSubBadRequests(t *testing.T) {
	h := startPubSubHost(t, "5s", "", "")
	for _, q := range []string{
		"",                                    // no topic
		"topic=",                              // empty topic
		"presence=true&member_id=m",           // no topic, with presence
		"topic=t&presence=true",               // presence without member_id
		"topic=t&presence=true&member_id=",    // empty member_id
		"topic=%FF%FE",                        // invalid UTF-8 in the topic
		"topic=ok%C3",                         // a truncated UTF-8 sequence
		"topic=t&presence=maybe",              // not a boolean
		"topic=t&presence=true&member_id=%FF", // invalid UTF-8 in member_id
	} {
		c, resp, err := h.dialWSErr(q)
		if err == nil {
			_ = c.CloseNow()
			t.Errorf("ws?%s: upgraded, want 400", q)
			continue
		}
		if statusOf(resp) != http.StatusBadRequest {
			t.Errorf("ws?%s: %v (status %d), want 400", q, err, statusOf(resp))
		}
		// The same query, without the upgrade, answers a JSON error.
		wantStatus(t, "GET ws?"+q, h.send(http.MethodGet, "/v1/pubsub/ws?"+q, nil), http.StatusBadRequest)
	}
	for _, q := range []string{"", "topic=", "topic=%FF%FE", "topic=ok%C3"} {
		wantStatus(t, "presence?"+q, h.send(http.MethodGet, "/v1/pubsub/presence?"+q, nil), http.StatusBadRequest)
	}
	for _, body := range []map[string]any{
		{"data_base64": "aGk="},                      // no topic
		{"topic": "", "data_base64": "aGk="},         // empty topic
		{"topic": "t", "data_base64": "not base64!"}, // bad data
		{"topic": 7, "data_base64": "aGk="},          // not a string
	} {
		wantStatus(t, fmt.Sprintf("publish %v", body), h.send(http.MethodPost, "/v1/pubsub/publish", body), http.StatusBadRequest)
	}
	// Invalid UTF-8 inside the JSON body's topic (raw bytes, not an escape).
	resp, raw := h.request(http.MethodPost, "/v1/pubsub/publish",
		bytes.NewReader([]byte("{\"topic\":\"a\xff\",\"data_base64\":\"aGk=\"}")), "Content-Type", "application/json")
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("publish with invalid UTF-8 bytes in the topic: %d %s, want 400", resp.StatusCode, raw)
	}
	if got := h.topics(); len(got) != 0 {
		t.Errorf("topics after refused requests: %v, want none", got)
	}
}

// TestSecurityPubSubBadFrames: a client frame over max_frame_bytes closes
// its socket with 1009, invalid UTF-8 in a text frame with 1007; neither
// is published and the other sockets go on.
func TestSecurityPubSubBadFrames(t *testing.T) {
	h := startPubSubHost(t, "5s", pubsubLimits("    max_frame_bytes = 1024"), "")
	other := h.subscribe("bystander", "topic=t")

	big := h.subscribe("big sender", "topic=t")
	big.send(websocket.MessageBinary, bytes.Repeat([]byte("x"), 1025))
	if code := big.closeStatus(); code != websocket.StatusMessageTooBig {
		t.Errorf("frame of 1025 bytes over a 1024 limit: close %d, want 1009", code)
	}
	// 1024 bytes is within the limit.
	ok := h.subscribe("limit sender", "topic=t")
	ok.send(websocket.MessageBinary, bytes.Repeat([]byte("y"), 1024))
	if f := other.nextMessage(); len(f.data) != 1024 || f.data[0] != 'y' {
		t.Errorf("frame of exactly the limit: bystander got %d bytes %.8q, want the 1024 y's", len(f.data), f.data)
	}

	bad := h.subscribe("utf8 sender", "topic=t")
	bad.send(websocket.MessageText, []byte("ok then \xff\xfe bad"))
	if code := bad.closeStatus(); code != websocket.StatusInvalidFramePayloadData {
		t.Errorf("invalid UTF-8 in a text frame: close %d, want 1007", code)
	}
	// The same bytes in a binary frame are data.
	ok.send(websocket.MessageBinary, []byte("\xff\xfe binary"))
	if f := other.nextMessage(); string(f.data) != "\xff\xfe binary" {
		t.Errorf("binary frame with any bytes: bystander got %q", f.data)
	}
	for _, f := range other.quiet(200 * time.Millisecond) {
		t.Errorf("bystander got a frame of a refused sender: %s", f.raw)
	}
	other.open()
	if v := h.metric(`orama_pubsub_closed_total{reason="too_big"}`); v != 1 {
		t.Errorf("closed too_big = %v, want 1", v)
	}
	if v := h.metric(`orama_pubsub_closed_total{reason="utf8"}`); v != 1 {
		t.Errorf("closed utf8 = %v, want 1", v)
	}
}

// TestSecurityPubSubSlowSubscriber: a subscriber that never reads does not
// delay a fast one on the same topic (lock step: each message reaches the
// fast one before the next is published); frames are dropped for it
// (counted) and, once its send queue stayed full (send_queue = 8), it is
// closed (1008, counted as slow).
func TestSecurityPubSubSlowSubscriber(t *testing.T) {
	// write_timeout is long so that the queue's bound, not a write's
	// timeout, is what closes the slow socket.
	h := startPubSubHost(t, "5s", pubsubLimits("    send_queue = 8\n    write_timeout = \"60s\""), "")
	c, resp, err := h.dialWSWith(apitest.SmallBufferClient(t), "topic=t")
	if err != nil {
		t.Fatalf("slow subscriber: %v (status %d)", err, statusOf(resp))
	}
	fast := h.subscribe("fast", "topic=t")
	payload := bytes.Repeat([]byte("z"), 256<<10)
	closedSlow := func() bool { return h.metric(`orama_pubsub_closed_total{reason="slow"}`) > 0 }
	began := time.Now()
	n := 0
	for ; !closedSlow(); n++ {
		if n == 1000 {
			t.Fatalf("slow subscriber still open after %d messages of 256 KiB (dropped %v)", n, h.metric(`orama_pubsub_dropped_total{reason="queue_full"}`))
		}
		prefix := strconv.Itoa(n) + ":"
		h.mustPublish("t", prefix+string(payload))
		if f := fast.nextMessage(); !strings.HasPrefix(string(f.data), prefix) || len(f.data) != len(prefix)+len(payload) {
			t.Fatalf("fast subscriber: message %d is %.12q (%d bytes)", n, f.data, len(f.data))
		}
	}
	if d := h.metric(`orama_pubsub_dropped_total{reason="queue_full"}`); d < 8 {
		t.Errorf("dropped %v frames, want at least a queue's worth (8)", d)
	}
	// The slow socket ends: its backlog, then the close (1008), or a cut
	// connection: a socket that never reads has its writer stuck in the
	// middle of a frame, so no close frame can follow; the adapter cuts
	// the connection a second after it closed the socket, and the client
	// reads what its buffers held, then EOF.
	closedAt := time.Now()
	slow := readSocket(t, "slow", c)
	code := slow.closeStatus()
	if code != websocket.StatusPolicyViolation && code != -1 {
		t.Errorf("slow subscriber closed with %d, want 1008 (or a cut connection)", code)
	}
	t.Logf("slow subscriber's backlog read and its socket ended (close status %d: %v) %s after it was closed",
		code, slow.err, time.Since(closedAt).Round(time.Millisecond))
	h.mustPublish("t", "after")
	if f := fast.nextMessage(); string(f.data) != "after" {
		t.Errorf("fast subscriber after the slow one closed: %.12q", f.data)
	}
	t.Logf("slow subscriber closed after %d messages of 256 KiB (%s)", n, time.Since(began).Round(time.Millisecond))
}

// TestSecurityPubSubSocketCap: "10k subscriptions from one key" meets
// max_sockets_per_namespace (50 here): the 50 sockets open, the 51st is
// refused with 429 before the upgrade, and a closed socket frees its
// place.
//
// Every socket of the test comes from 127.0.0.1, so the per-address
// connection cap (max_connections_per_ip, default 128) must stay above the
// sockets plus the test's HTTP connections: it is set to 256 (and
// max_connections to 1024, which it may not exceed), so that the 51st is
// refused by the namespace cap — a JSON 429 — and never by the connection
// cap, which drops the TCP connection before any HTTP.
func TestSecurityPubSubSocketCap(t *testing.T) {
	const limit = 50
	h := startPubSubHost(t, "5s", "  max_connections = 1024\n  max_connections_per_ip = 256\n"+
		pubsubLimits(fmt.Sprintf("    max_sockets_per_namespace = %d", limit)), "")
	var conns []*websocket.Conn
	for i := range limit {
		c, resp, err := h.dialWSErr(fmt.Sprintf("topic=t%d", i%5))
		if err != nil {
			t.Fatalf("socket %d of %d: %v (status %d)", i+1, limit, err, statusOf(resp))
		}
		conns = append(conns, c)
	}
	for range 3 {
		c, resp, err := h.dialWSErr("topic=t-more")
		if err == nil {
			_ = c.CloseNow()
			t.Fatalf("socket %d over a cap of %d was accepted", limit+1, limit)
		}
		if statusOf(resp) != http.StatusTooManyRequests {
			t.Fatalf("socket over the cap: %v (status %d), want 429", err, statusOf(resp))
		}
	}
	wantStatus(t, "GET ws over the cap", h.send(http.MethodGet, "/v1/pubsub/ws?topic=t", nil, "Connection", "Upgrade",
		"Upgrade", "websocket", "Sec-WebSocket-Version", "13", "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), http.StatusTooManyRequests)
	// Publishing is not a socket: still served.
	h.mustPublish("t0", "still publishing")

	_ = conns[0].Close(websocket.StatusNormalClosure, "")
	eventually(t, "a place free after a socket closed", func() bool {
		c, _, err := h.dialWSErr("topic=t-again")
		if err == nil {
			_ = c.CloseNow()
		}
		return err == nil
	})
}

// TestSecurityPubSubHungPlugin: the pubsub plugin stops answering
// (SIGSTOP). A publish answers 503 within the request timeout (1s: the
// first publish, sent at once, meets it before the host's liveness probe
// gives up on the plugin, three unanswered probes of 400 ms; later ones
// may meet the restart, 503 too), never hangs; the cache plugin keeps
// serving. The host's liveness probe kills
// the stopped plugin and starts a new one: the subscriber's socket stays
// open and gets what is published once it is back.
func TestSecurityPubSubHungPlugin(t *testing.T) {
	const timeout = time.Second
	h := startPubSubHost(t, timeout.String(), "", cacheBlock(bins.cache, ""))
	ctx := ctxT(t)
	sub := h.subscribe("subscriber", "topic=t")
	h.mustPublish("t", "before")
	if f := sub.nextMessage(); string(f.data) != "before" {
		t.Fatalf("before the hang: %s", f.raw)
	}
	pid := h.pluginPID("pubsub")
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	cont := func() { _ = syscall.Kill(pid, syscall.SIGCONT) }
	t.Cleanup(cont) // before the host stops (cleanups run last first)

	client := &http.Client{Timeout: timeout + 10*time.Second} // a hang fails here, not in the test's deadline
	for i := range 3 {
		start := time.Now()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, h.URL+"/v1/pubsub/publish",
			strings.NewReader(`{"topic":"t","data_base64":"aHVuZw=="}`))
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("publish %d to a hung plugin: %v after %s", i, err, time.Since(start))
		}
		resp.Body.Close()
		took := time.Since(start)
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("publish %d to a hung plugin: %d after %s, want 503", i, resp.StatusCode, took)
		}
		t.Logf("publish %d to a hung plugin: %d after %s (request_timeout %s)", i, resp.StatusCode, took.Round(time.Millisecond), timeout)

		// The cache domain serves meanwhile.
		if err := h.Client.Cache().Put(ctx, "hung", "k", i, 0); err != nil {
			t.Errorf("cache put while pubsub hangs: %v", err)
		}
		var got int
		if err := h.Client.Cache().Get(ctx, "hung", "k", &got); err != nil || got != i {
			t.Errorf("cache get while pubsub hangs: %d %v", got, err)
		}
	}
	// The host's liveness probe finds the plugin stopped, kills it and
	// starts a new one; the socket stays and is subscribed again there.
	h.waitPluginBack("pubsub", pid)
	eventually(t, "subscribed again", func() bool { return h.metric("orama_pubsub_resubscribes_total") >= 1 })
	h.mustPublish("t", "after")
	if f := sub.nextMessage(); string(f.data) != "after" {
		t.Errorf("subscriber after the hung plugin was replaced: %s, want the message published after", f.raw)
	}
}
