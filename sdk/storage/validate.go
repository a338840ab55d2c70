package storage

import (
	"regexp"

	"github.com/ipfs/go-cid"
	"github.com/orama-network/orama/sdk"
)

var namespaceRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

// CheckNamespace returns invalid unless namespace is 1 to 128 ASCII
// letters, digits, '_' or '-'. Implementations call it first thing.
func CheckNamespace(namespace string) error {
	if !namespaceRE.MatchString(namespace) {
		return sdk.Errorf(sdk.CodeInvalid, "namespace must be 1 to 128 letters, digits, '_' or '-'")
	}
	return nil
}

// ParseCID decodes s (CIDv0 or CIDv1 in any multibase). Errors: invalid
// "malformed CID".
func ParseCID(s string) (cid.Cid, error) {
	c, err := cid.Decode(s)
	if err != nil {
		return cid.Undef, sdk.Errorf(sdk.CodeInvalid, "malformed CID")
	}
	return c, nil
}

// CheckCID returns invalid "malformed CID" unless s is a well-formed CID.
func CheckCID(s string) error {
	_, err := ParseCID(s)
	return err
}

// CheckRange validates the range of a Get of content of size bytes and
// returns how many bytes it covers: from offset to the end, but at most
// length when length >= 0. An offset equal to size is an empty range; a
// negative offset or one beyond size is invalid.
func CheckRange(size, offset, length int64) (int64, error) {
	if offset < 0 {
		return 0, sdk.Errorf(sdk.CodeInvalid, "offset must not be negative")
	}
	if offset > size {
		return 0, sdk.Errorf(sdk.CodeInvalid, "offset %d beyond the content's %d bytes", offset, size)
	}
	n := size - offset
	if length >= 0 && length < n {
		n = length
	}
	return n, nil
}
