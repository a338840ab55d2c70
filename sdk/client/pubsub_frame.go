package client

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/pubsub"
)

// Message is one frame a subscription received: a published message, or
// a presence event (Presence not nil).
type Message struct {
	Topic string
	// Data is the published bytes; for a presence event, the event as
	// JSON ({type, member_id, timestamp, meta?}, API.md).
	Data      []byte
	Timestamp time.Time // when the gateway received it (millisecond precision)
	Presence  *PresenceEvent
}

// PresenceEvent is a member joining or leaving the topic.
type PresenceEvent struct {
	Type      string // "presence.join" or "presence.leave"
	MemberID  string
	Meta      json.RawMessage // nil when the member has none
	Timestamp time.Time
}

// Presence event types.
const (
	PresenceJoin  = pubsub.EventJoin
	PresenceLeave = pubsub.EventLeave
)

// frame is a server frame of API.md: {data:<base64>, timestamp:<unix ms>,
// topic}, and for a presence event also {type, member_id, meta?} at the
// top level.
type frame struct {
	Data      []byte          `json:"data"`
	Timestamp int64           `json:"timestamp"` // Unix ms
	Topic     string          `json:"topic"`
	Type      string          `json:"type"`
	MemberID  string          `json:"member_id"`
	Meta      json.RawMessage `json:"meta"`
}

// event is the decoded data of a presence frame.
type event struct {
	Type      string          `json:"type"`
	MemberID  string          `json:"member_id"`
	Timestamp int64           `json:"timestamp"` // Unix seconds
	Meta      json.RawMessage `json:"meta"`
}

// decodeFrame turns a server frame into a Message. A presence event is
// recognised in both shapes API.md allows: the fields at the top level of
// the frame (preferred: millisecond timestamp), or only inside the
// decoded data {type:"presence.join"|"presence.leave", member_id,
// timestamp (s), meta?}.
func decodeFrame(raw []byte) (Message, error) {
	var f frame
	if err := json.Unmarshal(raw, &f); err != nil {
		return Message{}, sdk.Errorf(sdk.CodeInternal, "pubsub: bad frame from the gateway: %v", err)
	}
	m := Message{Topic: f.Topic, Data: f.Data, Timestamp: time.UnixMilli(f.Timestamp)}
	if m.Data == nil {
		m.Data = []byte{}
	}
	switch {
	case isPresenceType(f.Type) && f.MemberID != "":
		m.Presence = &PresenceEvent{Type: f.Type, MemberID: f.MemberID, Meta: metaOrNil(f.Meta), Timestamp: m.Timestamp}
	case len(m.Data) > 0 && m.Data[0] == '{' && strings.Contains(string(m.Data), "presence."):
		var e event
		if json.Unmarshal(m.Data, &e) == nil && isPresenceType(e.Type) && e.MemberID != "" {
			m.Presence = &PresenceEvent{Type: e.Type, MemberID: e.MemberID, Meta: metaOrNil(e.Meta),
				Timestamp: time.Unix(e.Timestamp, 0)}
		}
	}
	return m, nil
}

func isPresenceType(t string) bool { return t == PresenceJoin || t == PresenceLeave }

// metaOrNil is nil for an absent or null meta.
func metaOrNil(m json.RawMessage) json.RawMessage {
	if len(m) == 0 || string(m) == "null" {
		return nil
	}
	return m
}
