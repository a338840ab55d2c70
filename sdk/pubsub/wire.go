package pubsub

import (
	"math"
	"time"

	pubsubv1 "github.com/orama-network/orama/sdk/gen/orama/pubsub/v1"
)

// Times cross the wire as Unix milliseconds, 0 for the zero time.

func msFromTime(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func timeFromMs(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

// ttlFromMs turns a wire ttl into a Duration, saturating instead of
// overflowing, so an absurd ttl stays out of range (invalid).
func ttlFromMs(ms int64) time.Duration {
	if ms > math.MaxInt64/int64(time.Millisecond) {
		return math.MaxInt64
	}
	if ms < math.MinInt64/int64(time.Millisecond) {
		return math.MinInt64
	}
	return time.Duration(ms) * time.Millisecond
}

func memberToProto(m Member) *pubsubv1.Member {
	return &pubsubv1.Member{Id: m.ID, Meta: m.Meta, JoinedAtUnixMs: msFromTime(m.JoinedAt)}
}

func memberFromProto(pm *pubsubv1.Member) Member {
	m := Member{ID: pm.GetId(), JoinedAt: timeFromMs(pm.GetJoinedAtUnixMs())}
	if meta := pm.GetMeta(); len(meta) > 0 {
		m.Meta = meta
	}
	return m
}

func membersFromProto(pms []*pubsubv1.Member) []Member {
	out := make([]Member, len(pms))
	for i, pm := range pms {
		out[i] = memberFromProto(pm)
	}
	return out
}

func messageToProto(m Message) *pubsubv1.Message {
	pm := &pubsubv1.Message{Topic: m.Topic, Data: m.Data, TimestampUnixMs: msFromTime(m.Timestamp)}
	if m.Event != nil {
		pm.Event = &pubsubv1.Event{Type: m.Event.Type, Member: memberToProto(m.Event.Member)}
	}
	return pm
}

func messageFromProto(pm *pubsubv1.Message) Message {
	m := Message{Topic: pm.GetTopic(), Timestamp: timeFromMs(pm.GetTimestampUnixMs())}
	if d := pm.GetData(); len(d) > 0 {
		m.Data = d
	}
	if pe := pm.GetEvent(); pe != nil {
		m.Event = &Event{Type: pe.GetType(), Member: memberFromProto(pe.GetMember())}
	}
	return m
}

// isReady tells whether pm is the empty ready marker that opens a
// Subscribe stream.
func isReady(pm *pubsubv1.Message) bool {
	return pm.GetTopic() == "" && len(pm.GetData()) == 0 && pm.GetEvent() == nil && pm.GetTimestampUnixMs() == 0
}
