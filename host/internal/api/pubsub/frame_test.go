package pubsub

import (
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/pubsub"
)

func TestEncodeFrame(t *testing.T) {
	at := time.UnixMilli(1700000000123)
	cases := []struct {
		name string
		m    pubsub.Message
		want string
	}{
		{"message", pubsub.Message{Topic: "chat", Data: []byte("hi"), Timestamp: at},
			`{"data":"aGk=","timestamp":1700000000123,"topic":"chat"}`},
		{"empty message", pubsub.Message{Topic: "chat", Timestamp: at},
			`{"data":"","timestamp":1700000000123,"topic":"chat"}`},
		{"join with meta", pubsub.Message{Topic: "chat", Timestamp: at, Event: &pubsub.Event{Type: pubsub.EventJoin,
			Member: pubsub.Member{ID: "m1", Meta: []byte(`{"name":"ann"}`)}}},
			`{"type":"presence.join","member_id":"m1","meta":{"name":"ann"},"topic":"chat","timestamp":1700000000123,` +
				`"data":"eyJ0eXBlIjoicHJlc2VuY2Uuam9pbiIsIm1lbWJlcl9pZCI6Im0xIiwidGltZXN0YW1wIjoxNzAwMDAwMDAwLCJtZXRhIjp7Im5hbWUiOiJhbm4ifX0="}`},
		{"leave without meta", pubsub.Message{Topic: "chat", Timestamp: at, Event: &pubsub.Event{Type: pubsub.EventLeave,
			Member: pubsub.Member{ID: "m1"}}},
			`{"type":"presence.leave","member_id":"m1","topic":"chat","timestamp":1700000000123,` +
				`"data":"eyJ0eXBlIjoicHJlc2VuY2UubGVhdmUiLCJtZW1iZXJfaWQiOiJtMSIsInRpbWVzdGFtcCI6MTcwMDAwMDAwMH0="}`},
	}
	for _, c := range cases {
		got, err := encodeFrame(c.m)
		if err != nil || string(got) != c.want {
			t.Errorf("%s:\n got %s (%v)\nwant %s", c.name, got, err, c.want)
		}
	}
}

func TestIsPing(t *testing.T) {
	for in, want := range map[string]bool{
		`{"type":"ping"}`: true, ` { "type" : "ping" } `: true,
		`{"type":"pong"}`: false, `ping`: false, `{"type":"ping","x":` + string(make([]byte, 80)) + `}`: false,
	} {
		if got := isPing([]byte(in)); got != want {
			t.Errorf("isPing(%q) = %v", in, got)
		}
	}
}
