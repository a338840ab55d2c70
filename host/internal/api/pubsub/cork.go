package pubsub

import (
	"bufio"
	"net"
	"net/http"
	"sync"
	"time"
)

// maxCorked bounds the bytes a corked connection holds before it writes
// them anyway, so that a batch of large frames costs a bounded buffer.
const maxCorked = 64 << 10

// corkedConn is a subscriber's connection whose writes can be held back
// and sent together: coder/websocket flushes every message with its own
// write system call, which at hundreds of thousands of frames a second is
// most of the host's CPU. While corked, writes are appended to a buffer;
// uncork sends it in one write. Pings and close frames written by other
// goroutines meanwhile go into the same buffer, in order.
type corkedConn struct {
	net.Conn
	mu     sync.Mutex
	corked bool
	buf    []byte
}

// Write implements net.Conn.
func (c *corkedConn) Write(p []byte) (int, error) {
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

// cork holds writes back until uncork.
func (c *corkedConn) cork() {
	c.mu.Lock()
	c.corked = true
	c.mu.Unlock()
}

// uncork writes what was held back, bounded by deadline, and lets later
// writes through.
func (c *corkedConn) uncork(deadline time.Time) error {
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
func (c *corkedConn) flush() error {
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
	conn *corkedConn
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
	w.conn = &corkedConn{Conn: nc}
	brw.Writer.Reset(w.conn)
	return w.conn, brw, nil
}

// Unwrap lets http.ResponseController reach the server's writer.
func (w *corkingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
