package libp2p

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/orama-network/orama/sdk/pubsub"
)

// The wire envelope of every gossipsub message of this driver:
//
//	version  byte      (envelopeVersion)
//	kind     byte      (kindMessage, kindJoin, kindLeave)
//	time     varint    publish time, Unix nanoseconds, as the sender saw it
//	then, by kind:
//	  message: the data (the rest of the envelope, up to MaxDataLen)
//	  join:    namespace, topic, id, meta (each a uvarint length + bytes),
//	           joined_at (varint Unix ns), lease (uvarint ns left on the
//	           member's lease when sent)
//	  leave:   namespace, topic, id
//
// Messages travel on their (namespace, topic)'s gossipsub topic, join and
// leave on the cluster's one presence topic.
//
// A lease travels as the time left rather than an instant, so the peers'
// clocks need not agree. Anything else (another version, an unknown kind,
// a bad length, trailing bytes, an id or meta over the contract's limits)
// is malformed: rejected by the validator, counted, never delivered nor
// forwarded.
const envelopeVersion = 1

// Envelope kinds.
const (
	kindMessage byte = 1
	kindJoin    byte = 2 // join or renewal
	kindLeave   byte = 3
)

// maxEnvelope bounds one envelope: the largest message plus its header.
const maxEnvelope = pubsub.MaxDataLen + 64

// envelope is one decoded wire message.
type envelope struct {
	kind   byte
	time   time.Time
	data   []byte        // kindMessage
	k      key           // kindJoin, kindLeave
	member pubsub.Member // kindJoin (all fields), kindLeave (ID)
	lease  time.Duration // kindJoin
}

var errMalformed = errors.New("malformed envelope")

func (e *envelope) encode() []byte {
	b := make([]byte, 0, 2+len(e.data)+len(e.k.namespace)+len(e.k.topic)+len(e.member.ID)+len(e.member.Meta)+7*binary.MaxVarintLen64)
	b = append(b, envelopeVersion, e.kind)
	b = binary.AppendVarint(b, e.time.UnixNano())
	switch e.kind {
	case kindMessage:
		b = append(b, e.data...)
	case kindJoin:
		b = appendBytes(b, []byte(e.k.namespace))
		b = appendBytes(b, []byte(e.k.topic))
		b = appendBytes(b, []byte(e.member.ID))
		b = appendBytes(b, e.member.Meta)
		b = binary.AppendVarint(b, e.member.JoinedAt.UnixNano())
		b = binary.AppendUvarint(b, uint64(max(e.lease, 0)))
	case kindLeave:
		b = appendBytes(b, []byte(e.k.namespace))
		b = appendBytes(b, []byte(e.k.topic))
		b = appendBytes(b, []byte(e.member.ID))
	}
	return b
}

func appendBytes(b, v []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

// decodeEnvelope parses and checks b; the envelope's slices alias b.
func decodeEnvelope(b []byte) (*envelope, error) {
	if len(b) < 2 || len(b) > maxEnvelope || b[0] != envelopeVersion {
		return nil, errMalformed
	}
	e := &envelope{kind: b[1]}
	r := reader{b: b[2:]}
	e.time = time.Unix(0, r.varint())
	switch e.kind {
	case kindMessage:
		e.data = r.rest()
		if len(e.data) > pubsub.MaxDataLen {
			return nil, errMalformed
		}
	case kindJoin:
		e.k = key{string(r.bytes(pubsub.MaxNameLen)), string(r.bytes(pubsub.MaxNameLen))}
		e.member.ID = string(r.bytes(pubsub.MaxMemberIDLen))
		if meta := r.bytes(pubsub.MaxMetaLen); len(meta) > 0 {
			e.member.Meta = meta
		}
		e.member.JoinedAt = time.Unix(0, r.varint())
		lease := r.uvarint()
		if lease > uint64(pubsub.MaxTTL) {
			return nil, errMalformed
		}
		e.lease = time.Duration(lease)
	case kindLeave:
		e.k = key{string(r.bytes(pubsub.MaxNameLen)), string(r.bytes(pubsub.MaxNameLen))}
		e.member.ID = string(r.bytes(pubsub.MaxMemberIDLen))
	default:
		return nil, errMalformed
	}
	if r.bad || len(r.b) > 0 {
		return nil, errMalformed
	}
	if e.kind == kindJoin || e.kind == kindLeave {
		if pubsub.CheckTopic(e.k.namespace, e.k.topic) != nil || pubsub.CheckMemberID(e.member.ID) != nil {
			return nil, errMalformed
		}
	}
	if e.kind == kindJoin && len(e.member.Meta) > 0 {
		// The same check as a local Join: meta is a JSON value.
		if pubsub.CheckJoin("n", "t", e.member, pubsub.MinTTL) != nil {
			return nil, errMalformed
		}
	}
	return e, nil
}

// reader consumes b; a short or bad read sets bad and yields zero values.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.bad = true
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad = true
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

// bytes reads a length-prefixed field of at most limit bytes.
func (r *reader) bytes(limit int) []byte {
	n := r.uvarint()
	if r.bad || n > uint64(limit) || n > uint64(len(r.b)) {
		r.bad = true
		r.b = nil
		return nil
	}
	v := r.b[:n:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) rest() []byte {
	v := r.b
	r.b = nil
	return v
}
