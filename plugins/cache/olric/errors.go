package olric

import (
	"errors"

	"github.com/buraksezer/olric"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/cache"
)

func errNotFound() error { return &sdk.Error{Code: sdk.CodeNotFound, Message: "key not found"} }

// backendError maps an error of an Olric call to an sdk.Error: a missing
// key is not_found, an oversized entry too_large, anything else means the
// backend could not serve (unavailable, with Olric's message).
func backendError(op string, err error) error {
	switch {
	case errors.Is(err, olric.ErrKeyNotFound):
		return errNotFound()
	case errors.Is(err, olric.ErrEntryTooLarge):
		return sdk.Errorf(sdk.CodeTooLarge, "value larger than %d bytes", cache.MaxValueLen)
	case errors.Is(err, olric.ErrKeyTooLarge):
		return sdk.Errorf(sdk.CodeInvalid, "key too long for olric")
	}
	return sdk.Errorf(sdk.CodeUnavailable, "olric %s: %v", op, err)
}
