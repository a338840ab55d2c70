package olric

import (
	"strconv"

	"github.com/buraksezer/olric"
)

// olricName is the Olric dmap holding dmap of namespace. The namespace
// comes with its length, so no two (namespace, dmap) pairs share a name:
// ("a:b", "c") is "3:a:b:c" and ("a", "b:c") is "1:a:b:c".
func olricName(namespace, dmap string) string {
	return strconv.Itoa(len(namespace)) + ":" + namespace + ":" + dmap
}

type dmapKey struct{ namespace, dmap string }

// dmap returns the cached handle of (namespace, dmap), making it on first
// use: creating a handle per call would cost more than the Get it serves.
func (b *backend) dmap(namespace, dmap string) (olric.DMap, error) {
	k := dmapKey{namespace, dmap}
	if dm, ok := b.dmaps.Load(k); ok {
		return dm.(olric.DMap), nil
	}
	dm, err := b.client.NewDMap(olricName(namespace, dmap))
	if err != nil {
		return nil, backendError("open dmap", err)
	}
	actual, _ := b.dmaps.LoadOrStore(k, dm)
	return actual.(olric.DMap), nil
}
