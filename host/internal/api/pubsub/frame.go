package pubsub

import (
	"encoding/json"

	"github.com/orama-network/orama/sdk/pubsub"
)

// rawJSON is a JSON value written as is (member meta).
type rawJSON = json.RawMessage

// metaOf returns meta when it is a JSON value, else nil (omitted).
func metaOf(meta []byte) rawJSON {
	if len(meta) == 0 || !json.Valid(meta) {
		return nil
	}
	return meta
}

// messageFrame is what a subscriber receives for a published message:
// {data:<base64>, timestamp:<unix ms>, topic}.
type messageFrame struct {
	Data      []byte `json:"data"`
	Timestamp int64  `json:"timestamp"`
	Topic     string `json:"topic"`
}

// presenceFrame is what a subscriber receives for a presence event: the
// event's fields at the top level (timestamp in ms) and, in data, the
// event as API.md gives it (timestamp in seconds).
type presenceFrame struct {
	Type      string  `json:"type"`
	MemberID  string  `json:"member_id"`
	Meta      rawJSON `json:"meta,omitempty"`
	Topic     string  `json:"topic"`
	Timestamp int64   `json:"timestamp"`
	Data      []byte  `json:"data"`
}

// presenceEvent is the decoded data of a presence frame.
type presenceEvent struct {
	Type      string  `json:"type"`
	MemberID  string  `json:"member_id"`
	Timestamp int64   `json:"timestamp"` // Unix seconds
	Meta      rawJSON `json:"meta,omitempty"`
}

// encodeFrame returns the JSON text frame of m, shared by every socket of
// the topic (readers never modify it).
func encodeFrame(m pubsub.Message) ([]byte, error) {
	if m.Event == nil {
		return json.Marshal(messageFrame{Data: orEmpty(m.Data), Timestamp: m.Timestamp.UnixMilli(), Topic: m.Topic})
	}
	meta := metaOf(m.Event.Member.Meta)
	data, err := json.Marshal(presenceEvent{Type: m.Event.Type, MemberID: m.Event.Member.ID,
		Timestamp: m.Timestamp.Unix(), Meta: meta})
	if err != nil {
		return nil, err
	}
	return json.Marshal(presenceFrame{Type: m.Event.Type, MemberID: m.Event.Member.ID, Meta: meta,
		Topic: m.Topic, Timestamp: m.Timestamp.UnixMilli(), Data: data})
}

// orEmpty makes nil data encode as "" rather than null.
func orEmpty(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
