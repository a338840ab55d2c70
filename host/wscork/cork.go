// Package wscork makes a coder/websocket server write many frames with
// one system call. coder/websocket flushes every message to the network
// by itself; at hundreds of thousands of small frames a second that write
// path is most of a server's CPU. Accept hands the WebSocket a connection
// that can be corked, and WriteBatch writes a frame and those queued
// behind it corked, under one timeout: one write per batch instead of one
// per frame. The host's pubsub hub and the benchmark's floor hub both use
// it, so that they are compared on the same write path.
package wscork

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// maxCorked bounds the bytes a corked connection holds before it writes
// them anyway, so that a batch of large frames costs a bounded buffer.
const maxCorked = 64 << 10

// Conn is a WebSocket's connection whose writes can be held back
// and sent together: coder/websocket flushes every message with its own
// write system call, which at hundreds of thousands of frames a second is
// most of the host's CPU. While corked, writes are appended to a buffer;
// Uncork sends it in one write. Pings and close frames written by other
// goroutines meanwhile go into the same buffer, in order.
type Conn struct {
	net.Conn
	mu     sync.Mutex
	corked bool
	buf    []byte
}

// Write implements net.Conn.
func (c *Conn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.corked && len(c.buf)+len(p) > maxCorked {
		if err := c.flush(); err != nil {
			return 0, err
		}
	}
	if c.corked && len(p) <= maxCorked {
		c.buf = append(c.buf, p...)
		return len(p), nil
	}
	return c.Conn.Write(p)
}

// Cork holds writes back until Uncork.
func (c *Conn) Cork() {
	c.mu.Lock()
	c.corked = true
	c.mu.Unlock()
}

// Uncork writes what was held back, bounded by deadline, and lets later
// writes through.
func (c *Conn) Uncork(deadline time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.corked = false
	if len(c.buf) == 0 {
		return nil
	}
	_ = c.Conn.SetWriteDeadline(deadline)
	err := c.flush()
	_ = c.Conn.SetWriteDeadline(time.Time{})
	return err
}

// flush writes the buffer; c.mu is held.
func (c *Conn) flush() error {
	_, err := c.Conn.Write(c.buf)
	if cap(c.buf) > maxCorked {
		c.buf = nil
	} else {
		c.buf = c.buf[:0]
	}
	return err
}

// corkingWriter hands websocket.Accept a hijacked connection that can be
// corked; conn is set once Accept has hijacked it.
type corkingWriter struct {
	http.ResponseWriter
	conn *Conn
}

// Hijack implements http.Hijacker: the handshake response buffered so
// far is sent, then the buffered writer writes through the corked
// connection.
func (w *corkingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	nc, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	if err := brw.Writer.Flush(); err != nil {
		_ = nc.Close()
		return nil, nil, err
	}
	w.conn = &Conn{Conn: nc}
	brw.Writer.Reset(w.conn)
	return w.conn, brw, nil
}

// Unwrap lets http.ResponseController reach the server's writer.
func (w *corkingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Accept is websocket.Accept over a connection that can be corked; the
// Conn is nil when Accept failed (it has answered the request then).
func Accept(w http.ResponseWriter, r *http.Request, opts *websocket.AcceptOptions) (*websocket.Conn, *Conn, error) {
	cw := &corkingWriter{ResponseWriter: w}
	c, err := websocket.Accept(cw, r, opts)
	if err != nil {
		return nil, nil, err
	}
	return c, cw.conn, nil
}

// WriteBatch writes first and then, under the same timeout, the frames
// already waiting in queue (at most max in all) as text messages. When
// frames are waiting, the connection is corked for the batch: one write
// system call for all of them. cc may be nil (no corking).
func WriteBatch(ctx context.Context, c *websocket.Conn, cc *Conn, timeout time.Duration, first *[]byte, queue <-chan *[]byte, max int) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if cc == nil || len(queue) == 0 {
		return c.Write(ctx, websocket.MessageText, *first)
	}
	cc.Cork()
	f := first
	for n := 1; f != nil; n++ {
		if err := c.Write(ctx, websocket.MessageText, *f); err != nil {
			_ = cc.Uncork(time.Now())
			return err
		}
		f = nil
		if n < max {
			select {
			case f = <-queue:
			default:
			}
		}
	}
	deadline, _ := ctx.Deadline()
	return cc.Uncork(deadline)
}
