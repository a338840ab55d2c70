package e2e

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/orama-network/orama/sdk/auth/authtest"
)

// startPubSubAuthHost starts a host with authentication required: the
// auth plugin (on the SQLite database plugin, with the cache) and the
// local pubsub plugin.
func startPubSubAuthHost(t *testing.T) *host {
	t.Helper()
	return startHost(t, func(port int) string {
		return authConfig(port, "e2e", "", cacheBlock(bins.cache, "")+sqliteBlock()+authBlock("")+pubsubBlock(""))
	})
}

// wantMessage checks that f is a message frame of API.md, exactly
// {data, timestamp, topic}, carrying data on topic.
func wantMessage(t *testing.T, who string, f frame, topic, data string) {
	t.Helper()
	if f.presence() || len(f.m) != 3 || f.str("topic") != topic || string(f.data) != data {
		t.Errorf("%s: frame %s, want {data, timestamp, topic} with topic %q and data %q", who, f.raw, topic, data)
	}
	wantMillis(t, who, f)
}

// wantMillis checks that f's timestamp is Unix milliseconds of about now.
func wantMillis(t *testing.T, who string, f frame) {
	t.Helper()
	ts, ok := f.m["timestamp"].(float64)
	if now := float64(time.Now().UnixMilli()); !ok || ts < now-3600e3 || ts > now+3600e3 {
		t.Errorf("%s: timestamp of %s is not Unix milliseconds of about now", who, f.raw)
	}
}

// TestPubSubRoutes drives every route and frame shape of API.md "PubSub"
// through the real host and the pubsub plugin (local driver), with every
// way to present a credential.
func TestPubSubRoutes(t *testing.T) {
	h := startPubSubAuthHost(t)
	s := h.signIn(authtest.NewETHWallet(), "ps-routes")
	key := apiKey(s.key)
	if s.key == "" || s.access == "" {
		t.Fatalf("sign-in gave no API key or access token: %+v", s)
	}
	if got := h.topics(key...); len(got) != 0 {
		t.Errorf("topics before any subscription: %v, want []", got)
	}

	// Credentials: X-API-Key header, Bearer JWT header, ?api_key=, ?token=
	// (the JWT of the sign-in); none: 401 before the upgrade.
	byHeader := h.subscribe("header key", "topic=chat", key...)
	byBearer := h.subscribe("bearer JWT", "topic=chat", bearer(s.access)...)
	byQueryKey := h.subscribe("?api_key=", "topic=chat&api_key="+url.QueryEscape(s.key))
	byQueryToken := h.subscribe("?token=", "topic=chat&token="+url.QueryEscape(s.access))
	subs := []*wsSub{byHeader, byBearer, byQueryKey, byQueryToken}
	if _, resp, err := h.dialWSErr("topic=chat"); err == nil || statusOf(resp) != http.StatusUnauthorized {
		t.Errorf("socket without a credential: %v (status %d), want 401", err, statusOf(resp))
	}
	if _, resp, err := h.dialWSErr("topic=chat&token=not.a.jwt"); err == nil || statusOf(resp) != http.StatusUnauthorized {
		t.Errorf("socket with a bad ?token=: %v (status %d), want 401", err, statusOf(resp))
	}

	// POST publish → {status:"ok"}; every subscriber gets {data, timestamp, topic}.
	r := h.publish("chat", []byte("hello over http"), key...)
	if r.code != http.StatusOK || r.str("status") != "ok" {
		t.Fatalf("publish: %s, want 200 {status:ok}", r)
	}
	for _, sub := range subs {
		wantMessage(t, sub.name, sub.nextMessage(), "chat", "hello over http")
	}
	if r := h.publish("chat", []byte("x")); r.code != http.StatusUnauthorized {
		t.Errorf("publish without a credential: %s, want 401", r)
	}

	// Client frames are published raw: text, binary (any bytes); the
	// keep-alive {"type":"ping"} is not. The sender's frames are read in
	// order, so the frame after the ping is the next message everywhere.
	binary := []byte{0, 1, 2, 0xff, 0xfe, '{', '}'}
	byHeader.send(websocket.MessageText, []byte(`{"any":"json","n":1}`))
	byQueryKey.send(websocket.MessageBinary, binary)
	for _, sub := range subs {
		got := map[string]bool{}
		for range 2 {
			f := sub.nextMessage()
			got[string(f.data)] = true
			if f.str("topic") != "chat" || len(f.m) != 3 {
				t.Errorf("%s: client frame delivered as %s", sub.name, f.raw)
			}
		}
		if !got[`{"any":"json","n":1}`] || !got[string(binary)] {
			t.Errorf("%s: client text and binary frames not delivered raw: %v", sub.name, got)
		}
	}
	byBearer.send(websocket.MessageText, []byte(`{"type":"ping"}`))
	byBearer.send(websocket.MessageText, []byte("after the ping"))
	for _, sub := range subs {
		if f := sub.nextMessage(); string(f.data) != "after the ping" {
			t.Errorf("%s: after a client ping got %s, want the next frame (the ping is not published)", sub.name, f.raw)
		}
	}

	// Topics of the namespace.
	other := h.subscribe("other topic", "topic=other", key...)
	if got := h.topics(key...); !slices.Contains(got, "chat") || !slices.Contains(got, "other") {
		t.Errorf("topics: %v, want chat and other", got)
	}
	h.mustPublish("other", "only other", key...)
	wantMessage(t, other.name, other.nextMessage(), "other", "only other")

	// Presence: a watcher gets the join, then the leave, each in both
	// shapes; the list has the member while its socket is open.
	watcher := h.subscribe("watcher", "topic=room", key...)
	meta := `{"name":"Alice","n":7}`
	alice := h.subscribe("alice", "topic=room&presence=true&member_id=alice&member_meta="+url.QueryEscape(meta), key...)
	join := watcher.nextPresence("presence.join")
	wantPresenceFrame(t, join, "presence.join", "room", "alice", meta)

	r = h.send(http.MethodGet, "/v1/pubsub/presence?topic=room", nil, key...)
	var list struct {
		Topic   string `json:"topic"`
		Members []struct {
			MemberID string `json:"member_id"`
			JoinedAt int64  `json:"joined_at"`
			Meta     any    `json:"meta"`
		} `json:"members"`
		Count int `json:"count"`
	}
	if r.code != http.StatusOK || json.Unmarshal(r.raw, &list) != nil {
		t.Fatalf("presence: %s", r)
	}
	if list.Topic != "room" || list.Count != 1 || len(list.Members) != 1 || list.Members[0].MemberID != "alice" ||
		!jsonEqual(list.Members[0].Meta, meta) {
		t.Errorf("presence list: %s, want {topic:room, members:[alice with its meta], count:1}", r.raw)
	} else if now := time.Now().Unix(); list.Members[0].JoinedAt < now-3600 || list.Members[0].JoinedAt > now+3600 {
		t.Errorf("joined_at %d is not Unix seconds of about now", list.Members[0].JoinedAt)
	}

	if err := alice.c.Close(websocket.StatusNormalClosure, "bye"); err != nil {
		t.Logf("alice close: %v", err)
	}
	leave := watcher.nextPresence("presence.leave")
	wantPresenceFrame(t, leave, "presence.leave", "room", "alice", meta)
	eventually(t, "alice gone from the list", func() bool { return len(h.members("room", key...)) == 0 })

	// A member without meta: no meta in either shape.
	bob := h.subscribe("bob", "topic=room&presence=true&member_id=bob", key...)
	f := watcher.nextPresence("presence.join")
	wantPresenceFrame(t, f, "presence.join", "room", "bob", "")
	bob.open()

	for _, sub := range append(subs, other, watcher) {
		sub.open()
	}
}

// wantPresenceFrame checks both shapes of a presence frame: the fields
// at the top level (timestamp in ms) and, in data, the event of API.md
// (timestamp in Unix seconds). meta "" means none.
func wantPresenceFrame(t *testing.T, f frame, typ, topic, member, meta string) {
	t.Helper()
	if f.str("type") != typ || f.str("member_id") != member || f.str("topic") != topic {
		t.Errorf("presence frame %s, want type %s, member_id %s, topic %s at the top level", f.raw, typ, member, topic)
	}
	wantMillis(t, typ, f)
	var ev map[string]any
	if err := json.Unmarshal(f.data, &ev); err != nil {
		t.Fatalf("presence frame %s: data is not base64 of a JSON event: %v (%q)", f.raw, err, f.data)
	}
	if ev["type"] != typ || ev["member_id"] != member {
		t.Errorf("presence event %s, want type %s and member_id %s", f.data, typ, member)
	}
	ts, _ := ev["timestamp"].(float64)
	if ms, _ := f.m["timestamp"].(float64); int64(ts) != int64(ms)/1000 {
		t.Errorf("event timestamp %v is not the frame's %v in Unix seconds", ev["timestamp"], f.m["timestamp"])
	}
	for _, where := range []map[string]any{f.m, ev} {
		got, has := where["meta"]
		if meta == "" {
			if has {
				t.Errorf("presence without meta carries meta: %s / %s", f.raw, f.data)
			}
			continue
		}
		if !jsonEqual(got, meta) {
			t.Errorf("presence meta %v, want %s (frame %s, event %s)", got, meta, f.raw, f.data)
		}
	}
}
