package olric

import (
	"context"
	"errors"
	"strings"
	"syscall"
	"time"
)

// A call that reached a member which has just left is tried again every
// departedRetry for at most departedWindow (and within request_timeout).
const (
	departedRetry  = 20 * time.Millisecond
	departedWindow = 3 * time.Second
)

// departed reports whether err says a member has left (an upgrade
// replaced it, or it stopped) while this member's routing table still
// names it: its address refuses connections, or the client to it was
// closed as it left. The coordinator sends a new table within moments.
func departed(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return errors.Is(err, syscall.ECONNREFUSED) || strings.Contains(msg, "connection refused") ||
		strings.Contains(msg, "client is closed")
}

// retryDeparted runs call, and again while it fails because a member has
// just left, for at most departedWindow.
func retryDeparted(ctx context.Context, call func() error) error {
	deadline := time.Now().Add(departedWindow)
	for {
		err := call()
		if !departed(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(departedRetry):
		}
	}
}
