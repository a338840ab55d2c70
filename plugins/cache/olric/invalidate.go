package olric

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"

	"github.com/orama-network/orama/sdk/cache"
)

// invalidationChannel is the Olric pub/sub channel that carries the
// invalidations of every member's writes to every other member.
const invalidationChannel = "orama.cache.v1.invalidations"

// newOrigin returns a random id that marks this plugin's own messages.
func newOrigin() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Entry kinds of a message.
const (
	kindKey byte = 0 // namespace, dmap, key follow
	kindAll byte = 1 // everything: the sender lost some
)

// encodeInvalidations packs origin and a batch; every string is prefixed
// by its length, so that no two (namespace, dmap, key) share an encoding.
func encodeInvalidations(origin string, batch []cache.Invalidation) []byte {
	b := appendString(nil, origin)
	for _, inv := range batch {
		if inv.All {
			b = append(b, kindAll)
			continue
		}
		b = append(b, kindKey)
		for _, s := range []string{inv.Namespace, inv.DMap, inv.Key} {
			b = appendString(b, s)
		}
	}
	return b
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

var errBadInvalidation = errors.New("malformed invalidation message")

// decodeInvalidations reverses encodeInvalidations.
func decodeInvalidations(b []byte) (origin string, batch []cache.Invalidation, err error) {
	if origin, b, err = readString(b); err != nil {
		return "", nil, err
	}
	for len(b) > 0 {
		kind := b[0]
		b = b[1:]
		switch kind {
		case kindAll:
			batch = append(batch, cache.Invalidation{All: true})
		case kindKey:
			var parts [3]string
			for i := range parts {
				if parts[i], b, err = readString(b); err != nil {
					return "", nil, err
				}
			}
			batch = append(batch, cache.Invalidation{Namespace: parts[0], DMap: parts[1], Key: parts[2]})
		default:
			return "", nil, errBadInvalidation
		}
	}
	return origin, batch, nil
}

func readString(b []byte) (string, []byte, error) {
	n, w := binary.Uvarint(b)
	if w <= 0 || n > uint64(len(b)-w) {
		return "", nil, errBadInvalidation
	}
	return string(b[w : w+int(n)]), b[w+int(n):], nil
}
