package client_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/client"
	"github.com/orama-network/orama/sdk/plugin/plugintest"
)

// fast makes reconnections quick in tests.
var fast = client.WithReconnectBackoff(time.Millisecond, 5*time.Millisecond)

func subscribe(t *testing.T, g *fakeGateway, opts ...client.SubscribeOption) (*client.Subscription, *fakeSocket) {
	t.Helper()
	sub, err := client.New(g.URL, client.WithAPIKey("ak_1:ns")).PubSub().Subscribe(t.Context(), "chat", opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sub.Close() })
	return sub, g.accepted()
}

// next waits for the subscription's next message.
func next(t *testing.T, sub *client.Subscription) client.Message {
	t.Helper()
	select {
	case m, ok := <-sub.C():
		if !ok {
			t.Fatalf("subscription ended: %v", sub.Err())
		}
		return m
	case <-time.After(wait):
		t.Fatal("no message")
		return client.Message{}
	}
}

// ended waits until the subscription ends and returns its error.
func ended(t *testing.T, sub *client.Subscription) error {
	t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case m, ok := <-sub.C():
			if !ok {
				return sub.Err()
			}
			t.Errorf("unexpected message %+v", m)
		case <-deadline:
			t.Fatal("the subscription did not end")
			return nil
		}
	}
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestSubscribeFramesToMessages(t *testing.T) {
	g := newFakeGateway(t)
	sub, s := subscribe(t, g)
	if q := s.query.Encode(); q != "topic=chat" || g.apiKeys[0] != "ak_1:ns" {
		t.Errorf("handshake query %q, key %q", q, g.apiKeys[0])
	}
	joinData := `{"type":"presence.join","member_id":"m1","timestamp":1700000000,"meta":{"name":"ann"}}`
	leaveData := `{"type":"presence.leave","member_id":"m2","timestamp":1700000009}`
	s.send(t, `{"data":"aGk=","timestamp":1700000000123,"topic":"chat"}`)
	s.send(t, `{"data":"","timestamp":1700000000124,"topic":"chat"}`)
	// The fixed shape: the event at the top level and in data.
	s.send(t, `{"type":"presence.join","member_id":"m1","meta":{"name":"ann"},"topic":"chat","timestamp":1700000000125,"data":"`+b64(joinData)+`"}`)
	s.send(t, `{"type":"presence.leave","member_id":"m2","topic":"chat","timestamp":1700000009126,"data":"`+b64(leaveData)+`"}`)
	// The older shape: the event only in data.
	s.send(t, `{"data":"`+b64(joinData)+`","timestamp":1700000000127,"topic":"chat"}`)
	s.send(t, `not a frame`) // skipped
	s.send(t, `{"data":"`+b64(`{"type":"note","member_id":"x"}`)+`","timestamp":1700000000128,"topic":"chat"}`)

	m := next(t, sub)
	if m.Topic != "chat" || string(m.Data) != "hi" || !m.Timestamp.Equal(time.UnixMilli(1700000000123)) || m.Presence != nil {
		t.Errorf("message %+v", m)
	}
	if m = next(t, sub); m.Data == nil || len(m.Data) != 0 || m.Presence != nil {
		t.Errorf("empty message %+v", m)
	}
	m = next(t, sub)
	p := m.Presence
	if p == nil || p.Type != client.PresenceJoin || p.MemberID != "m1" || string(p.Meta) != `{"name":"ann"}` ||
		!p.Timestamp.Equal(time.UnixMilli(1700000000125)) || string(m.Data) != joinData {
		t.Errorf("join (top-level shape) %+v / %+v", m, p)
	}
	m = next(t, sub)
	if p = m.Presence; p == nil || p.Type != client.PresenceLeave || p.MemberID != "m2" || p.Meta != nil {
		t.Errorf("leave %+v / %+v", m, p)
	}
	m = next(t, sub)
	if p = m.Presence; p == nil || p.Type != client.PresenceJoin || p.MemberID != "m1" || string(p.Meta) != `{"name":"ann"}` ||
		!p.Timestamp.Equal(time.Unix(1700000000, 0)) {
		t.Errorf("join (data-only shape) %+v / %+v", m, p)
	}
	if m = next(t, sub); m.Presence != nil || !strings.Contains(string(m.Data), "note") {
		t.Errorf("a message that is not an event: %+v", m)
	}
}

func TestSubscribeReadsFramesLargerThanOneMiB(t *testing.T) {
	g := newFakeGateway(t)
	sub, s := subscribe(t, g)
	data := bytes.Repeat([]byte{0xfe}, 1<<20)
	s.send(t, fmt.Sprintf(`{"data":%q,"timestamp":1,"topic":"chat"}`, base64.StdEncoding.EncodeToString(data)))
	if m := next(t, sub); !bytes.Equal(m.Data, data) {
		t.Errorf("got %d bytes, want the 1 MiB message", len(m.Data))
	}
}

// TestSubscribeReconnects: after each way a connection can be lost the
// subscription dials again with the same query (presence joined again)
// and delivers what the new socket receives.
func TestSubscribeReconnects(t *testing.T) {
	ways := map[string]func(*fakeSocket){
		"dropped":     func(s *fakeSocket) { _ = s.c.CloseNow() },
		"going away":  func(s *fakeSocket) { _ = s.c.Close(websocket.StatusGoingAway, "server shutting down") },
		"internal":    func(s *fakeSocket) { _ = s.c.Close(websocket.StatusInternalError, "subscription failed") },
		"try again":   func(s *fakeSocket) { _ = s.c.Close(websocket.StatusTryAgainLater, "") },
		"slow (1008)": func(s *fakeSocket) { _ = s.c.Close(websocket.StatusPolicyViolation, "subscriber too slow") },
	}
	for name, lose := range ways {
		t.Run(name, func(t *testing.T) {
			g := newFakeGateway(t)
			sub, s := subscribe(t, g, fast, client.WithPresence("m1", json.RawMessage(`{"n":1}`)))
			s.send(t, `{"data":"b25l","timestamp":1,"topic":"chat"}`)
			if m := next(t, sub); string(m.Data) != "one" {
				t.Fatalf("first message %+v", m)
			}
			lose(s)
			s2 := g.accepted()
			if s2.query.Encode() != s.query.Encode() || s2.query.Get("presence") != "true" ||
				s2.query.Get("member_id") != "m1" || s2.query.Get("member_meta") != `{"n":1}` {
				t.Errorf("resubscribed with %q, first %q", s2.query.Encode(), s.query.Encode())
			}
			s2.send(t, `{"data":"dHdv","timestamp":2,"topic":"chat"}`)
			if m := next(t, sub); string(m.Data) != "two" {
				t.Errorf("after reconnecting %+v", m)
			}
			if sub.Err() != nil {
				t.Errorf("Err %v while running", sub.Err())
			}
			if n := sub.Reconnects(); n != 1 {
				t.Errorf("Reconnects %d, want 1", n)
			}
		})
	}
}

func TestSubscribeRetriesThrough503s(t *testing.T) {
	g := newFakeGateway(t)
	sub, s := subscribe(t, g, fast)
	g.refuseNext(503, 503, 502, 429)
	_ = s.c.CloseNow()
	s2 := g.accepted()
	if n := g.dialCount(); n != 6 {
		t.Errorf("%d handshakes, want 6 (first, 4 refused, accepted)", n)
	}
	s2.send(t, `{"data":"b2s=","timestamp":2,"topic":"chat"}`)
	if m := next(t, sub); string(m.Data) != "ok" {
		t.Errorf("message %+v", m)
	}
}

func TestSubscribeStopsOnFinalRefusals(t *testing.T) {
	for status, code := range map[int]sdk.Code{401: sdk.CodeUnauthorized, 403: sdk.CodeForbidden, 400: sdk.CodeInvalid} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			g := newFakeGateway(t)
			sub, s := subscribe(t, g, fast)
			g.refuseNext(503, status)
			_ = s.c.CloseNow()
			if e := plugintest.SDKError(t, ended(t, sub)); e.Code != code || e.Message != "refused by the fake" {
				t.Errorf("ended with %s %q, want %s", e.Code, e.Message, code)
			}
			if n := g.dialCount(); n != 3 {
				t.Errorf("%d handshakes, want 3 (no retry after %d)", n, status)
			}
			if err := sub.Publish(t.Context(), []byte("x")); err == nil {
				t.Error("publish on an ended subscription succeeded")
			}
		})
	}
}

func TestSubscribeFirstRefusalIsReturned(t *testing.T) {
	g := newFakeGateway(t)
	g.refuseNext(401)
	_, err := client.New(g.URL).PubSub().Subscribe(t.Context(), "chat")
	if e := plugintest.SDKError(t, err); e.Code != sdk.CodeUnauthorized {
		t.Errorf("code %s, want unauthorized", e.Code)
	}
	g.refuseNext(503)
	_, err = client.New(g.URL).PubSub().Subscribe(t.Context(), "chat")
	if e := plugintest.SDKError(t, err); e.Code != sdk.CodeUnavailable {
		t.Errorf("code %s, want unavailable", e.Code)
	}
	for _, c := range []struct {
		topic string
		opts  []client.SubscribeOption
	}{{"", nil}, {"chat", []client.SubscribeOption{client.WithPresence("", nil)}}} {
		_, err := client.New(g.URL).PubSub().Subscribe(t.Context(), c.topic, c.opts...)
		if e := plugintest.SDKError(t, err); e.Code != sdk.CodeInvalid {
			t.Errorf("code %s, want invalid", e.Code)
		}
	}
	if n := g.dialCount(); n != 2 {
		t.Errorf("%d handshakes, want 2 (bad arguments are refused before dialing)", n)
	}
}

func TestSubscribeStopOnSlow(t *testing.T) {
	g := newFakeGateway(t)
	sub, s := subscribe(t, g, fast, client.WithStopOnSlow())
	_ = s.c.Close(websocket.StatusPolicyViolation, "subscriber too slow: send queue full")
	e := plugintest.SDKError(t, ended(t, sub))
	if e.Code != sdk.CodeUnavailable || !strings.Contains(e.Message, "too slow") {
		t.Errorf("ended with %s %q", e.Code, e.Message)
	}
	if n := g.dialCount(); n != 1 {
		t.Errorf("%d handshakes, want 1", n)
	}
}

func TestSubscribeOtherCloseCodesEndIt(t *testing.T) {
	g := newFakeGateway(t)
	sub, s := subscribe(t, g, fast)
	_ = s.c.Close(websocket.StatusMessageTooBig, "frame too large")
	if e := plugintest.SDKError(t, ended(t, sub)); e.Code != sdk.CodeInvalid || !strings.Contains(e.Message, "1009") {
		t.Errorf("ended with %s %q", e.Code, e.Message)
	}
}

func TestSubscribeMaxReconnectAttempts(t *testing.T) {
	g := newFakeGateway(t)
	sub, s := subscribe(t, g, fast, client.WithMaxReconnectAttempts(3))
	g.refuseAll(503)
	_ = s.c.CloseNow()
	if e := plugintest.SDKError(t, ended(t, sub)); e.Code != sdk.CodeUnavailable {
		t.Errorf("ended with %s %q", e.Code, e.Message)
	}
	if n := g.dialCount(); n != 4 {
		t.Errorf("%d handshakes, want 4 (first and 3 attempts)", n)
	}
}

func TestSubscriptionPublishOverTheSocket(t *testing.T) {
	g := newFakeGateway(t)
	sub, s := subscribe(t, g)
	data := []byte{0xff, 0, 'x'} // not UTF-8: sent as is
	if err := sub.Publish(t.Context(), data); err != nil {
		t.Fatal(err)
	}
	if f := s.received(t); f.typ != websocket.MessageBinary || !bytes.Equal(f.data, data) {
		t.Errorf("client frame %v %q", f.typ, f.data)
	}
	err := sub.Publish(t.Context(), make([]byte, 1<<20+1))
	if e := plugintest.SDKError(t, err); e.Code != sdk.CodeTooLarge {
		t.Errorf("code %s, want too_large", e.Code)
	}
}

func TestSubscriptionClose(t *testing.T) {
	g := newFakeGateway(t)
	sub, s := subscribe(t, g)
	s.send(t, `{"data":"aGk=","timestamp":1,"topic":"chat"}`)
	next(t, sub)
	if err := sub.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-s.closed:
		if code != websocket.StatusNormalClosure {
			t.Errorf("the gateway saw close %d, want 1000", code)
		}
	case <-time.After(wait):
		t.Fatal("the socket was not closed")
	}
	if err := ended(t, sub); err != nil {
		t.Errorf("Err after Close: %v", err)
	}
	for m, err := range sub.Messages() {
		t.Errorf("Messages after Close: %+v, %v", m, err)
	}
	_ = sub.Close() // twice is fine
	if n := g.dialCount(); n != 1 {
		t.Errorf("%d handshakes after Close, want 1", n)
	}
}

func TestSubscriptionEndsWithItsContext(t *testing.T) {
	g := newFakeGateway(t)
	ctx, cancel := context.WithCancel(t.Context())
	sub, err := client.New(g.URL).PubSub().Subscribe(ctx, "chat")
	if err != nil {
		t.Fatal(err)
	}
	g.accepted()
	cancel()
	if err := ended(t, sub); err != nil {
		t.Errorf("Err %v, want nil after the context ended", err)
	}
	_ = sub.Close()
}

func TestSubscriptionMessagesIterator(t *testing.T) {
	g := newFakeGateway(t)
	sub, s := subscribe(t, g, fast)
	for i := range 3 {
		s.send(t, fmt.Sprintf(`{"data":%q,"timestamp":%d,"topic":"chat"}`, b64(fmt.Sprint(i)), i))
	}
	g.refuseNext(401)
	_ = s.c.Close(websocket.StatusGoingAway, "")
	var got []string
	var last error
	for m, err := range sub.Messages() {
		if err != nil {
			last = err
			continue
		}
		got = append(got, string(m.Data))
	}
	if strings.Join(got, ",") != "0,1,2" {
		t.Errorf("messages %v", got)
	}
	if e := plugintest.SDKError(t, last); e.Code != sdk.CodeUnauthorized {
		t.Errorf("last error %s", e.Code)
	}
}
