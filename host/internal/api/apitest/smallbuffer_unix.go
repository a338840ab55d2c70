//go:build unix

package apitest

import (
	"context"
	"errors"
	"net"
	"net/http"
	"syscall"
	"testing"
)

// SmallBufferClient is an HTTP client whose connections have a 4 KiB
// receive buffer, so that a WebSocket that never reads backs up soon (the
// slow-subscriber tests).
func SmallBufferClient(t testing.TB) *http.Client {
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
			var serr error
			err := rc.Control(func(fd uintptr) {
				serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
			})
			return errors.Join(err, serr)
		}}
		return d.DialContext(ctx, network, addr)
	}}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}
