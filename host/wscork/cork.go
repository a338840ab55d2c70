// Package wscork makes a coder/websocket server write many frames with
// one system call. coder/websocket flushes every message to the network
// by itself, with a context, a lock and a deadline per message; at
// hundreds of thousands of small frames a second that write path is most
// of a server's CPU. Accept hands the WebSocket a connection wscork can
// write to itself: a message meant for many sockets is encoded once as a
// frame (TextFrame), and WriteBatch writes a frame and those queued
// behind it to a socket with one write system call under one deadline.
// The WebSocket's own frames (pings, pongs, close) still go through
// coder/websocket, each in one write on the same connection, so frames
// never interleave. The host's pubsub hub and the benchmark's floor hub
// both use it, so that they are compared on the same write path.
package wscork

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// maxBuffered bounds the bytes gathered for one write, so that a batch of
// large frames costs a bounded buffer; a frame larger than it is written
// on its own.
const maxBuffered = 64 << 10

// Frame is a server-to-client text message encoded once as a WebSocket
// frame (RFC 6455 §5.2: FIN, opcode 1, unmasked), to be written as it is
// to every socket it is meant for. It is never modified after TextFrame.
type Frame struct {
	b   []byte // header and payload
	hdr int    // header length
}

// TextFrame encodes payload as one text frame.
func TextFrame(payload []byte) *Frame {
	n := len(payload)
	var hdr []byte
	switch {
	case n <= 125:
		hdr = []byte{0x81, byte(n)}
	case n <= 0xFFFF:
		hdr = []byte{0x81, 126, 0, 0}
		binary.BigEndian.PutUint16(hdr[2:], uint16(n))
	default:
		hdr = make([]byte, 10)
		hdr[0], hdr[1] = 0x81, 127
		binary.BigEndian.PutUint64(hdr[2:], uint64(n))
	}
	b := make([]byte, len(hdr)+n)
	copy(b, hdr)
	copy(b[len(hdr):], payload)
	return &Frame{b: b, hdr: len(hdr)}
}

// Payload is the message the frame carries.
func (f *Frame) Payload() []byte { return f.b[f.hdr:] }

// Conn is a WebSocket's connection that WriteBatch writes frames to
// directly, beside coder/websocket's own writes (each of which reaches it
// as one Write of a whole frame: the two never interleave).
type Conn struct {
	net.Conn
	mu      sync.Mutex // one write at a time
	buf     []byte     // a batch being gathered (under mu)
	aborted atomic.Bool
}

// errAborted is a write after Abort.
var errAborted = errors.New("wscork: connection aborted")

// Write implements net.Conn: coder/websocket's frames.
func (c *Conn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.Conn.Write(p)
}

// Abort makes a write in progress fail at once, and every later
// WriteFrames too: a socket that is being closed stops waiting on a
// client that does not read.
func (c *Conn) Abort() {
	c.aborted.Store(true)
	_ = c.Conn.SetWriteDeadline(time.Now())
}

// WriteFrames writes first and the frames already waiting in queue (at
// most max in all) by deadline, gathered into one write system call
// (maxBuffered bytes at most; a larger frame goes on its own). It returns
// how many write calls it made.
func (c *Conn) WriteFrames(deadline time.Time, first *Frame, queue <-chan *Frame, max int) (writes int, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_ = c.Conn.SetWriteDeadline(deadline)
	defer func() { _ = c.Conn.SetWriteDeadline(time.Time{}) }()
	if c.aborted.Load() { // after the deadline is set: see Abort
		return 0, errAborted
	}
	buf := c.buf[:0]
	f := first
	for n := 1; f != nil; n++ {
		if len(buf)+len(f.b) > maxBuffered && len(buf) > 0 {
			writes++
			if _, err := c.Conn.Write(buf); err != nil {
				return writes, err
			}
			buf = buf[:0]
		}
		if len(f.b) > maxBuffered {
			writes++
			if _, err := c.Conn.Write(f.b); err != nil {
				return writes, err
			}
		} else {
			buf = append(buf, f.b...)
		}
		f = nil
		if n < max {
			select {
			case f = <-queue:
			default:
			}
		}
	}
	c.buf = buf[:0]
	if len(buf) == 0 {
		return writes, nil
	}
	_, err = c.Conn.Write(buf)
	return writes + 1, err
}

// corkingWriter hands websocket.Accept a hijacked connection that can be
// written to directly; conn is set once Accept has hijacked it.
type corkingWriter struct {
	http.ResponseWriter
	conn *Conn
}

// Hijack implements http.Hijacker: the handshake response buffered so
// far is sent, then the buffered writer writes through the wrapped
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

// Accept is websocket.Accept over a connection WriteBatch can write to; the
// Conn is nil when Accept failed (it has answered the request then).
func Accept(w http.ResponseWriter, r *http.Request, opts *websocket.AcceptOptions) (*websocket.Conn, *Conn, error) {
	cw := &corkingWriter{ResponseWriter: w}
	c, err := websocket.Accept(cw, r, opts)
	if err != nil {
		return nil, nil, err
	}
	return c, cw.conn, nil
}

// WriteBatch writes first and then the frames already waiting in queue
// (at most max in all) under one timeout: with cc, in one write system
// call (Conn.WriteFrames); without (cc nil: the connection could not be
// wrapped), first alone through coder/websocket, bounded by ctx too. It
// returns how many writes carried the frames.
func WriteBatch(ctx context.Context, c *websocket.Conn, cc *Conn, timeout time.Duration, first *Frame, queue <-chan *Frame, max int) (writes int, err error) {
	if cc != nil {
		return cc.WriteFrames(time.Now().Add(timeout), first, queue, max)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return 1, c.Write(ctx, websocket.MessageText, first.Payload())
}
