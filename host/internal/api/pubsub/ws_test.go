package pubsub_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/host/internal/server"
)

func keysOf(m map[string]any) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return strings.Join(ks, ",")
}

// A message frame is {data, timestamp (ms), topic}; a presence frame
// carries the event at the top level and, in data, as API.md gives it.
func TestFrames(t *testing.T) {
	e, srv := start(t, nil)
	watcher := dial(t, srv, keyAlpha, "topic=chat")
	before := time.Now()
	member := dial(t, srv, keyAlpha, "topic=chat&presence=true&member_id=m1&member_meta="+url.QueryEscape(`{"name":"ann"}`))

	for _, c := range []*websocket.Conn{watcher, member} {
		f, raw := next(t, c)
		if keysOf(f) != "data,member_id,meta,timestamp,topic,type" || f["type"] != "presence.join" ||
			f["member_id"] != "m1" || f["topic"] != "chat" {
			t.Fatalf("join frame %s", raw)
		}
		if meta, _ := json.Marshal(f["meta"]); string(meta) != `{"name":"ann"}` {
			t.Errorf("join meta %s", meta)
		}
		ms := int64(f["timestamp"].(float64))
		if ms < before.UnixMilli()-1000 || ms > time.Now().UnixMilli()+1000 {
			t.Errorf("join timestamp %d is not Unix ms of now", ms)
		}
		b, _ := base64.StdEncoding.DecodeString(f["data"].(string))
		var ev map[string]any
		if err := json.Unmarshal(b, &ev); err != nil {
			t.Fatalf("join data %s: %v", b, err)
		}
		if keysOf(ev) != "member_id,meta,timestamp,type" || ev["type"] != "presence.join" || ev["member_id"] != "m1" ||
			int64(ev["timestamp"].(float64)) != ms/1000 {
			t.Errorf("join data %s (frame ms %d)", b, ms)
		}
	}

	mustPublish(t, e, keyAlpha, "chat", "hello")
	for _, c := range []*websocket.Conn{watcher, member} {
		f, raw := next(t, c)
		if keysOf(f) != "data,timestamp,topic" || f["topic"] != "chat" || f["data"] != base64.StdEncoding.EncodeToString([]byte("hello")) {
			t.Fatalf("message frame %s", raw)
		}
		if ms := int64(f["timestamp"].(float64)); ms < before.UnixMilli()-1000 || ms > time.Now().UnixMilli()+1000 {
			t.Errorf("message timestamp %d is not Unix ms of now", ms)
		}
	}

	// Client frames, text and binary, are published raw; {"type":"ping"} is not.
	ctx := t.Context()
	if err := watcher.Write(ctx, websocket.MessageText, []byte(`{"type":"ping"}`)); err != nil {
		t.Fatal(err)
	}
	if err := watcher.Write(ctx, websocket.MessageText, []byte(`{"any":"json"}`)); err != nil {
		t.Fatal(err)
	}
	if err := watcher.Write(ctx, websocket.MessageBinary, []byte{0, 1, 0xff}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*websocket.Conn{watcher, member} {
		if got := nextData(t, c); got != `{"any":"json"}` {
			t.Errorf("first client frame delivered as %q", got)
		}
		if got := nextData(t, c); got != "\x00\x01\xff" {
			t.Errorf("binary client frame delivered as %q", got)
		}
	}

	// The member's socket closes: the watcher gets the leave.
	_ = member.Close(websocket.StatusNormalClosure, "")
	f, raw := next(t, watcher)
	if keysOf(f) != "data,member_id,meta,timestamp,topic,type" || f["type"] != "presence.leave" || f["member_id"] != "m1" {
		t.Fatalf("leave frame %s", raw)
	}
	b, _ := base64.StdEncoding.DecodeString(f["data"].(string))
	if !strings.Contains(string(b), `"type":"presence.leave"`) {
		t.Errorf("leave data %s", b)
	}
}

func TestRoutes(t *testing.T) {
	e, srv := start(t, nil)
	dial(t, srv, keyAlpha, "topic=chat&presence=true&member_id=m1&member_meta="+url.QueryEscape(`{"a":1}`))
	dial(t, srv, keyAlpha, "topic=news")
	start := time.Now().Unix()

	rec := e.Do(t, "POST", "/v1/pubsub/publish", `{"topic":"chat","data_base64":"aGk="}`, "X-API-Key", keyAlpha)
	if rec.Code != http.StatusOK || rec.Body.String() != `{"status":"ok"}` {
		t.Errorf("publish: %d %s", rec.Code, rec.Body)
	}
	rec = e.Do(t, "GET", "/v1/pubsub/topics", "", "X-API-Key", keyAlpha)
	if rec.Code != http.StatusOK || rec.Body.String() != `{"topics":["chat","news"]}` {
		t.Errorf("topics: %d %s", rec.Code, rec.Body)
	}
	rec = e.Do(t, "GET", "/v1/pubsub/topics", "", "X-API-Key", keyBeta)
	if rec.Code != http.StatusOK || rec.Body.String() != `{"topics":[]}` {
		t.Errorf("topics of beta: %d %s", rec.Code, rec.Body)
	}
	rec = e.Do(t, "GET", "/v1/pubsub/presence?topic=chat", "", "X-API-Key", keyAlpha)
	var p struct {
		Topic   string           `json:"topic"`
		Members []map[string]any `json:"members"`
		Count   int              `json:"count"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("presence: %d %s", rec.Code, rec.Body)
	}
	if p.Topic != "chat" || p.Count != 1 || len(p.Members) != 1 || keysOf(p.Members[0]) != "joined_at,member_id,meta" ||
		p.Members[0]["member_id"] != "m1" {
		t.Fatalf("presence: %s", rec.Body)
	}
	if at := int64(p.Members[0]["joined_at"].(float64)); at < start-5 || at > time.Now().Unix()+1 {
		t.Errorf("joined_at %d is not Unix seconds of now", at)
	}
	if !strings.Contains(rec.Body.String(), `"meta":{"a":1}`) {
		t.Errorf("presence meta: %s", rec.Body)
	}
	rec = e.Do(t, "GET", "/v1/pubsub/presence?topic=chat", "", "X-API-Key", keyBeta)
	if rec.Body.String() != `{"topic":"chat","members":[],"count":0}` {
		t.Errorf("presence of beta: %s", rec.Body)
	}

	for _, c := range []struct{ name, method, path, body string }{
		{"publish without topic", "POST", "/v1/pubsub/publish", `{"data_base64":"aGk="}`},
		{"publish bad base64", "POST", "/v1/pubsub/publish", `{"topic":"chat","data_base64":"!!"}`},
		{"presence without topic", "GET", "/v1/pubsub/presence", ""},
		{"ws without upgrade", "GET", "/v1/pubsub/ws?topic=chat", ""},
	} {
		if rec := e.Do(t, c.method, c.path, c.body, "X-API-Key", keyAlpha); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d %s", c.name, rec.Code, rec.Body)
		}
	}
	if rec := e.Do(t, "GET", "/v1/pubsub/topics", ""); rec.Code != http.StatusUnauthorized {
		t.Errorf("topics without credential: %d", rec.Code)
	}
}

// Everything refusable is refused before the upgrade, as a JSON error.
func TestSubscribeRefused(t *testing.T) {
	_, srv := start(t, nil)
	for _, c := range []struct {
		name, key, query string
		status           int
		msg              string
	}{
		{"missing topic", keyAlpha, "", 400, "topic is required"},
		{"empty topic", keyAlpha, "topic=", 400, "topic is required"},
		{"presence without member_id", keyAlpha, "topic=t&presence=true", 400, "member_id is required"},
		{"bad member_meta", keyAlpha, "topic=t&presence=true&member_id=m&member_meta=%7Bnope", 400, "member_meta"},
		{"bad presence", keyAlpha, "topic=t&presence=maybe", 400, "presence"},
		{"no credential", "", "topic=t", 401, ""},
	} {
		_, resp, err := dialErr(t, srv, c.key, c.query)
		if err == nil || resp == nil || resp.StatusCode != c.status {
			t.Errorf("%s: %v %v", c.name, err, resp)
			continue
		}
		var body struct{ Error string }
		_ = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if !strings.Contains(body.Error, c.msg) {
			t.Errorf("%s: error %q, want it to name %q", c.name, body.Error, c.msg)
		}
	}
}

// The WebSocket takes its credential from ?api_key= or ?token= too, and
// the query credential never reaches the logs.
func TestQueryCredential(t *testing.T) {
	e, srv := start(t, nil)
	byKey := dial(t, srv, "", "topic=chat&api_key="+url.QueryEscape(keyAlpha))
	byToken := dial(t, srv, "", "topic=chat&token="+url.QueryEscape(apitest.JWTBeta))
	byKeyToken := dial(t, srv, "", "topic=chat&token="+url.QueryEscape(keyBeta))
	mustPublish(t, e, keyAlpha, "chat", "for alpha")
	mustPublish(t, e, keyBeta, "chat", "for beta")
	if got := nextData(t, byKey); got != "for alpha" {
		t.Errorf("?api_key= socket (alpha) got %q", got)
	}
	for _, c := range []*websocket.Conn{byToken, byKeyToken} {
		if got := nextData(t, c); got != "for beta" {
			t.Errorf("?token= socket (beta) got %q", got)
		}
	}
	for _, secret := range []string{keyAlpha, keyBeta, apitest.JWTBeta, url.QueryEscape(keyAlpha)} {
		if strings.Contains(e.Logs.String(), secret) {
			t.Errorf("the log records a query credential:\n%s", e.Logs)
		}
	}
}

// Two namespaces using the same topic name never see each other.
func TestNamespaceIsolation(t *testing.T) {
	e, srv := start(t, nil)
	a := dial(t, srv, keyAlpha, "topic=chat&presence=true&member_id=ma")
	b := dial(t, srv, keyBeta, "topic=chat&presence=true&member_id=mb")
	if f, raw := next(t, a); f["member_id"] != "ma" {
		t.Fatalf("alpha's first frame %s", raw)
	}
	if f, raw := next(t, b); f["member_id"] != "mb" {
		t.Fatalf("beta's first frame %s", raw)
	}
	mustPublish(t, e, keyAlpha, "chat", "a1")
	if err := a.Write(t.Context(), websocket.MessageText, []byte("a2")); err != nil {
		t.Fatal(err)
	}
	mustPublish(t, e, keyBeta, "chat", "b1")
	for _, want := range []string{"a1", "a2"} {
		if got := nextData(t, a); got != want {
			t.Errorf("alpha got %q, want %q", got, want)
		}
	}
	if got := nextData(t, b); got != "b1" { // not a1, a2, nor alpha's member
		t.Errorf("beta got %q, want b1", got)
	}
	rec := e.Do(t, "GET", "/v1/pubsub/presence?topic=chat", "", "X-API-Key", keyBeta)
	if !strings.Contains(rec.Body.String(), `"member_id":"mb"`) || strings.Contains(rec.Body.String(), "ma") {
		t.Errorf("beta's presence: %s", rec.Body)
	}
}

// However many local sockets listen to a topic, the host holds one plugin
// subscription for it, and ends it with the last socket.
func TestOneSubscriptionPerTopic(t *testing.T) {
	e, srv := start(t, nil)
	var cs []*websocket.Conn
	for range 20 {
		cs = append(cs, dial(t, srv, keyAlpha, "topic=fan"))
	}
	if n := e.PubSub.Subscribes.Load(); n != 1 {
		t.Errorf("%d plugin subscriptions for 20 sockets, want 1", n)
	}
	mustPublish(t, e, keyAlpha, "fan", "one")
	for i, c := range cs {
		if got := nextData(t, c); got != "one" {
			t.Errorf("socket %d got %q", i, got)
		}
	}
	if v := metric(t, e, "orama_pubsub_subscriptions"); v != 1 {
		t.Errorf("orama_pubsub_subscriptions %v", v)
	}
	if v := metric(t, e, "orama_pubsub_sockets"); v != 20 {
		t.Errorf("orama_pubsub_sockets %v", v)
	}
	for _, c := range cs {
		_ = c.Close(websocket.StatusNormalClosure, "")
	}
	eventually(t, "unsubscribed", func() bool { return e.PubSub.Live() == 0 })
	eventually(t, "sockets gone", func() bool { return metric(t, e, "orama_pubsub_sockets") == 0 })
	dial(t, srv, keyAlpha, "topic=fan")
	if n := e.PubSub.Subscribes.Load(); n != 2 {
		t.Errorf("%d subscriptions after a new socket, want 2", n)
	}
}

// A client frame over the limit closes the socket with 1009; invalid
// UTF-8 in a text frame with 1007.
func TestBadFrames(t *testing.T) {
	e, srv := start(t, func(o *server.Options) { o.PubSub.MaxFrameBytes = 1024 })
	big := dial(t, srv, keyAlpha, "topic=t")
	if err := big.Write(t.Context(), websocket.MessageBinary, make([]byte, 2048)); err != nil {
		t.Fatal(err)
	}
	if st := closeStatus(t, big); st != websocket.StatusMessageTooBig {
		t.Errorf("oversized frame: close %v, want 1009", st)
	}
	utf := dial(t, srv, keyAlpha, "topic=t")
	if err := utf.Write(t.Context(), websocket.MessageText, []byte{'a', 0xff, 0xfe}); err != nil {
		t.Fatal(err)
	}
	if st := closeStatus(t, utf); st != websocket.StatusInvalidFramePayloadData {
		t.Errorf("invalid UTF-8: close %v, want 1007", st)
	}
	// A frame at the limit is fine.
	ok := dial(t, srv, keyAlpha, "topic=t")
	if err := ok.Write(t.Context(), websocket.MessageBinary, make([]byte, 1024)); err != nil {
		t.Fatal(err)
	}
	if got := nextData(t, ok); len(got) != 1024 {
		t.Errorf("frame at the limit delivered with %d bytes", len(got))
	}
	eventually(t, "closes counted", func() bool {
		return metric(t, e, `orama_pubsub_closed_total{reason="too_big"}`) == 1 &&
			metric(t, e, `orama_pubsub_closed_total{reason="utf8"}`) == 1
	})
}

// The namespace's socket cap refuses one more socket with 429 before the
// upgrade; other namespaces are not affected.
func TestSocketCap(t *testing.T) {
	_, srv := start(t, func(o *server.Options) { o.PubSub.MaxSocketsPerNamespace = 3 })
	var cs []*websocket.Conn
	for i := range 3 {
		cs = append(cs, dial(t, srv, keyAlpha, "topic=t"+string(rune('a'+i))))
	}
	_, resp, err := dialErr(t, srv, keyAlpha, "topic=other")
	if err == nil || resp == nil || resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("socket over the cap: %v %v", err, resp)
	}
	var body struct{ Error, Code string }
	_ = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if body.Code != "rate_limited" || !strings.Contains(body.Error, "at most 3") {
		t.Errorf("429 body %+v", body)
	}
	dial(t, srv, keyBeta, "topic=other") // another namespace
	_ = cs[0].Close(websocket.StatusNormalClosure, "")
	eventually(t, "a place freed", func() bool {
		c, _, err := dialErr(t, srv, keyAlpha, "topic=other")
		if err == nil {
			_ = c.CloseNow()
		}
		return err == nil
	})
}

// Server shutdown closes the sockets with 1001; deadlines of ordinary
// requests (headers, idle) do not end a socket.
func TestShutdown(t *testing.T) {
	e := newEnv(t, func(o *server.Options) {
		o.ReadHeaderTimeout = 50 * time.Millisecond
		o.IdleTimeout = 50 * time.Millisecond
		o.ReadBodyTimeout = 50 * time.Millisecond
	})
	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	ln := listen(t)
	served := make(chan error, 1)
	go func() { served <- e.Srv.Serve(ctx, ln) }()
	url := "ws://" + ln.Addr().String() + "/v1/pubsub/ws?topic=t&api_key=" + keyAlpha
	dctx, cancel := context.WithTimeout(t.Context(), wait)
	defer cancel()
	c, _, err := websocket.Dial(dctx, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	time.Sleep(200 * time.Millisecond) // past every deadline of the server
	mustPublish(t, e, keyAlpha, "t", "still here")
	if got := nextData(t, c); got != "still here" {
		t.Fatalf("got %q", got)
	}
	stop()
	if st := closeStatus(t, c); st != websocket.StatusGoingAway {
		t.Errorf("shutdown: close %v, want 1001", st)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(wait):
		t.Fatal("Serve did not return")
	}
}

// A browser origin outside server.cors_origins is refused (403) before
// anything is joined; an allowed one is served.
func TestOrigin(t *testing.T) {
	e, srv := start(t, nil) // servertest allows https://app.example
	for origin, want := range map[string]int{"https://evil.example": 403, "https://app.example": 101} {
		ctx, cancel := context.WithTimeout(t.Context(), wait)
		c, resp, err := websocket.Dial(ctx, wsURL(srv, "topic=o&presence=true&member_id=m"),
			&websocket.DialOptions{HTTPHeader: http.Header{"X-Api-Key": {keyAlpha}, "Origin": {origin}}})
		cancel()
		if resp == nil || resp.StatusCode != want {
			t.Errorf("origin %s: %v %v, want %d", origin, err, resp, want)
		}
		if c != nil {
			_ = c.CloseNow()
		}
	}
	if e.PubSub.Subscribes.Load() != 1 {
		t.Errorf("%d subscriptions: the refused origin was subscribed", e.PubSub.Subscribes.Load())
	}
}

// The rate_limit "pubsub" group applies to the pubsub routes, sockets
// included.
func TestRateLimitGroup(t *testing.T) {
	e, srv := start(t, func(o *server.Options) {
		o.RateLimits = map[string]server.RateLimit{server.GroupPubSub: {RequestsPerSecond: 1, Burst: 2}}
	})
	dial(t, srv, keyAlpha, "topic=r")
	mustPublish(t, e, keyAlpha, "r", "x")
	if code := publish(t, e, keyAlpha, "r", "y"); code != http.StatusTooManyRequests {
		t.Errorf("third pubsub request: %d, want 429", code)
	}
	if rec := e.Do(t, "POST", "/v1/cache/get", `{"dmap":"d","key":"k"}`, "X-API-Key", keyAlpha); rec.Code == http.StatusTooManyRequests {
		t.Error("the pubsub limit applied to the cache group")
	}
}

// The server pings; a client that never answers (never reads) is closed
// after the write timeout.
func TestPingUnanswered(t *testing.T) {
	e, srv := start(t, func(o *server.Options) {
		o.PubSub.PingInterval = 20 * time.Millisecond
		o.PubSub.WriteTimeout = 100 * time.Millisecond
	})
	dial(t, srv, keyAlpha, "topic=p") // never reads, so never answers a ping
	eventually(t, "closed for an unanswered ping", func() bool {
		return metric(t, e, `orama_pubsub_closed_total{reason="error"}`) == 1
	})
	// A client that reads answers the pings and stays.
	c := dial(t, srv, keyAlpha, "topic=p")
	got := make(chan string, 1)
	go func() {
		_, b, _ := c.Read(t.Context())
		got <- string(b)
	}()
	time.Sleep(300 * time.Millisecond) // many ping intervals
	mustPublish(t, e, keyAlpha, "p", "alive")
	select {
	case b := <-got:
		if !strings.Contains(b, base64.StdEncoding.EncodeToString([]byte("alive"))) {
			t.Errorf("got %s", b)
		}
	case <-time.After(wait):
		t.Fatal("a client answering pings was closed")
	}
}

// A present member stays listed past its lease while its socket is open
// (the hub renews it).
func TestPresenceRenewed(t *testing.T) {
	e, srv := start(t, func(o *server.Options) { o.PubSub.PresenceTTL = time.Second })
	dial(t, srv, keyAlpha, "topic=pr&presence=true&member_id=stay")
	time.Sleep(2500 * time.Millisecond) // two and a half leases
	rec := e.Do(t, "GET", "/v1/pubsub/presence?topic=pr", "", "X-API-Key", keyAlpha)
	if !strings.Contains(rec.Body.String(), `"member_id":"stay"`) {
		t.Errorf("member gone while its socket is open: %s", rec.Body)
	}
}
