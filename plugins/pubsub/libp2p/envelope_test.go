package libp2p

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/sdk/pubsub"
)

func testMember() pubsub.Member {
	return pubsub.Member{ID: "alice", Meta: []byte(`{"a":1}`), JoinedAt: time.Unix(0, 1700000000123456789)}
}

func TestEnvelopeRoundTrip(t *testing.T) {
	now := time.Unix(0, time.Now().UnixNano())
	for _, e := range []envelope{
		{kind: kindMessage, time: now, data: []byte("hi")},
		{kind: kindMessage, time: now, data: []byte{}},
		{kind: kindMessage, time: now, data: bytes.Repeat([]byte{1}, pubsub.MaxDataLen)},
		{kind: kindJoin, time: now, k: key{"ns", "t"}, member: testMember(), lease: 42 * time.Second},
		{kind: kindJoin, time: now, k: key{"ns", "t"}, member: pubsub.Member{ID: "bob", JoinedAt: now}, lease: time.Second},
		{kind: kindLeave, time: now, k: key{"ns", "t"}, member: pubsub.Member{ID: "alice"}},
	} {
		got, err := decodeEnvelope(e.encode())
		if err != nil {
			t.Fatalf("kind %d: %v", e.kind, err)
		}
		if got.kind != e.kind || got.k != e.k || !got.time.Equal(e.time) || !bytes.Equal(got.data, e.data) || got.lease != e.lease ||
			got.member.ID != e.member.ID || !bytes.Equal(got.member.Meta, e.member.Meta) ||
			(e.kind == kindJoin && !got.member.JoinedAt.Equal(e.member.JoinedAt)) {
			t.Errorf("kind %d: got %+v, want %+v", e.kind, got, e)
		}
	}
}

func TestEnvelopeMalformed(t *testing.T) {
	join := (&envelope{kind: kindJoin, k: key{"ns", "t"}, member: testMember(), lease: time.Second}).encode()
	withNames := func(ns, topic, id string, meta string, lease uint64) []byte {
		b := []byte{envelopeVersion, kindJoin, 0}
		b = appendBytes(b, []byte(ns))
		b = appendBytes(b, []byte(topic))
		b = appendBytes(b, []byte(id))
		b = appendBytes(b, []byte(meta))
		b = binary.AppendVarint(b, 0)
		return binary.AppendUvarint(b, lease)
	}
	withID := func(id string, meta string, lease uint64) []byte { return withNames("ns", "t", id, meta, lease) }
	for name, b := range map[string][]byte{
		"empty":          nil,
		"one byte":       {envelopeVersion},
		"version":        {2, kindMessage, 0},
		"kind":           {envelopeVersion, 0, 0},
		"no time":        {envelopeVersion, kindLeave},
		"truncated join": join[:len(join)-3],
		"trailing":       append(bytes.Clone(join), 0),
		"kind 4":         {envelopeVersion, 4, 0},
		"empty id":       withID("", "", 1),
		"long id":        withID(strings.Repeat("x", pubsub.MaxMemberIDLen+1), "", 1),
		"bad utf8 id":    withID("\xff", "", 1),
		"meta not json":  withID("a", "{", 1),
		"long meta":      withID("a", `"`+strings.Repeat("x", pubsub.MaxMetaLen)+`"`, 1),
		"long lease":     withID("a", "", uint64(pubsub.MaxTTL)+1),
		"too large":      append([]byte{envelopeVersion, kindMessage, 0}, make([]byte, pubsub.MaxDataLen+1)...),
		"leave no id":    {envelopeVersion, kindLeave, 0, 2, 'n', 's', 1, 't', 0},
		"no namespace":   withNames("", "t", "a", "", 1),
		"no topic":       withNames("ns", "", "a", "", 1),
		"long topic":     withNames("ns", strings.Repeat("t", pubsub.MaxNameLen+1), "a", "", 1),
	} {
		if e, err := decodeEnvelope(b); err == nil {
			t.Errorf("%s: decoded %+v", name, e)
		}
	}
	if _, err := decodeEnvelope(withID("a", "", 1)); err != nil {
		t.Errorf("the valid base case: %v", err)
	}
}
