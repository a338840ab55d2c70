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

// encodeInvalidation packs origin and the names, each prefixed by its
// length, so that no two (namespace, dmap, key) share an encoding.
func encodeInvalidation(origin string, inv cache.Invalidation) []byte {
	b := make([]byte, 0, 4*binary.MaxVarintLen16+len(origin)+len(inv.Namespace)+len(inv.DMap)+len(inv.Key))
	for _, s := range []string{origin, inv.Namespace, inv.DMap, inv.Key} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

var errBadInvalidation = errors.New("malformed invalidation message")

// decodeInvalidation reverses encodeInvalidation.
func decodeInvalidation(b []byte) (origin string, inv cache.Invalidation, err error) {
	var parts [4]string
	for i := range parts {
		n, w := binary.Uvarint(b)
		if w <= 0 || n > uint64(len(b)-w) {
			return "", cache.Invalidation{}, errBadInvalidation
		}
		parts[i] = string(b[w : w+int(n)])
		b = b[w+int(n):]
	}
	if len(b) != 0 {
		return "", cache.Invalidation{}, errBadInvalidation
	}
	return parts[0], cache.Invalidation{Namespace: parts[1], DMap: parts[2], Key: parts[3]}, nil
}
