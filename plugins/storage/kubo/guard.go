package kubo

import (
	"context"
	"io"
	"sync/atomic"
	"time"
)

// guard cancels a request when kubo makes no progress for d. It is armed
// while the request waits on kubo and disarmed while it waits on the
// caller, so a slow client never trips it.
type guard struct {
	d     time.Duration
	t     *time.Timer
	fired atomic.Bool
}

// newGuard returns an armed guard that calls cancel when it fires.
func newGuard(d time.Duration, cancel context.CancelFunc) *guard {
	g := &guard{d: d}
	g.t = time.AfterFunc(d, func() {
		g.fired.Store(true)
		cancel()
	})
	return g
}

func (g *guard) arm()          { g.t.Reset(g.d) }
func (g *guard) disarm()       { g.t.Stop() }
func (g *guard) stalled() bool { return g.fired.Load() }

// uploadBody is a request body: the time inside Read is the caller's,
// the time between Reads is kubo's (the transport writing to it, then
// kubo finishing the import after the last byte).
type uploadBody struct {
	r   io.Reader
	g   *guard
	err error // the caller's reader failed (not io.EOF)
}

func (u *uploadBody) Read(p []byte) (int, error) {
	u.g.disarm()
	n, err := u.r.Read(p)
	u.g.arm()
	if err != nil && err != io.EOF {
		u.err = err
	}
	return n, err
}

// downloadBody is a response body: the time inside Read is kubo's.
type downloadBody struct {
	rc     io.ReadCloser
	g      *guard
	cancel context.CancelFunc
}

func (d *downloadBody) Read(p []byte) (int, error) {
	d.g.arm()
	n, err := d.rc.Read(p)
	d.g.disarm()
	if err != nil && err != io.EOF {
		err = readError(d.g, err)
	}
	return n, err
}

func (d *downloadBody) Close() error {
	d.g.disarm()
	err := d.rc.Close()
	d.cancel()
	return err
}
