package kubo

import (
	"context"
	"errors"
	"strings"

	"github.com/ipfs/kubo/client/rpc"
	"github.com/orama-network/orama/sdk"
)

// kuboError maps an error of a call to kubo to an sdk code: missing
// blocks are not_found, an error kubo answered is internal, and anything
// else (transport, deadline) is unavailable.
func kuboError(op string, err error) error {
	var se *sdk.Error
	if errors.As(err, &se) {
		return se
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "could not find") || strings.Contains(msg, "not found locally"):
		return sdk.Errorf(sdk.CodeNotFound, "content not found")
	case strings.Contains(msg, "is a directory"):
		return sdk.Errorf(sdk.CodeInvalid, "not a UnixFS file (a directory)")
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		return sdk.Errorf(sdk.CodeUnavailable, "kubo %s: %v", op, err)
	}
	var ke *rpc.Error
	if errors.As(err, &ke) {
		return sdk.Errorf(sdk.CodeInternal, "kubo %s: %s", op, ke.Message)
	}
	return sdk.Errorf(sdk.CodeUnavailable, "kubo %s: %v", op, err)
}

// readError is the error of a stream that broke: a stall the guard
// caught, or what kubo or the transport said.
func readError(g *guard, err error) error {
	if g.stalled() {
		return sdk.Errorf(sdk.CodeUnavailable, "kubo made no progress for %v", g.d)
	}
	return kuboError("read", err)
}
