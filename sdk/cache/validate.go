package cache

import (
	"regexp"

	"github.com/orama-network/orama/sdk"
)

// CheckName returns invalid when a namespace, dmap or key is empty or too
// long. Implementations call it first thing.
func CheckName(what, v string) error {
	if v == "" {
		return sdk.Errorf(sdk.CodeInvalid, "%s is required", what)
	}
	if len(v) > MaxNameLen {
		return sdk.Errorf(sdk.CodeInvalid, "%s longer than %d bytes", what, MaxNameLen)
	}
	return nil
}

// CheckPut validates the arguments of Put.
func CheckPut(namespace, dmap, key string, value []byte) error {
	if err := CheckNames(namespace, dmap, key); err != nil {
		return err
	}
	if len(value) > MaxValueLen {
		return sdk.Errorf(sdk.CodeTooLarge, "value larger than %d bytes", MaxValueLen)
	}
	return nil
}

// CheckNames validates namespace, dmap and (when not "-") key.
func CheckNames(namespace, dmap, key string) error {
	if err := CheckName("namespace", namespace); err != nil {
		return err
	}
	if err := CheckName("dmap", dmap); err != nil {
		return err
	}
	if key == "-" {
		return nil
	}
	return CheckName("key", key)
}

// CompileMatch compiles a Scan expression; "" matches everything (nil).
func CompileMatch(match string) (*regexp.Regexp, error) {
	if match == "" {
		return nil, nil
	}
	if len(match) > 1024 {
		return nil, sdk.Errorf(sdk.CodeInvalid, "match longer than 1024 bytes")
	}
	re, err := regexp.Compile(match)
	if err != nil {
		return nil, sdk.Errorf(sdk.CodeInvalid, "match: %v", err)
	}
	return re, nil
}

// ScanLimit returns the effective limit for a requested one.
func ScanLimit(limit int) int {
	if limit <= 0 || limit > MaxScan {
		return MaxScan
	}
	return limit
}
