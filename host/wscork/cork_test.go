package wscork

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// countingConn records every Write that reaches the network.
type countingConn struct {
	net.Conn
	writes [][]byte
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.writes = append(c.writes, bytes.Clone(p))
	return len(p), nil
}

func (c *countingConn) SetWriteDeadline(time.Time) error { return nil }

func queued(frames ...*Frame) chan *Frame {
	q := make(chan *Frame, len(frames))
	for _, f := range frames {
		q <- f
	}
	return q
}

func TestWriteFramesGathersABatchIntoOneWrite(t *testing.T) {
	under := &countingConn{}
	c := &Conn{Conn: under}
	a, b, d, e := TextFrame([]byte("a")), TextFrame([]byte("bb")), TextFrame([]byte("ddd")), TextFrame([]byte("e"))
	q := queued(b, d, e)
	if n, err := c.WriteFrames(time.Now().Add(time.Second), a, q, 3); n != 1 || err != nil {
		t.Fatalf("WriteFrames = %d writes, %v", n, err)
	}
	want := string(a.b) + string(b.b) + string(d.b)
	if len(under.writes) != 1 || string(under.writes[0]) != want {
		t.Fatalf("writes = %q, want one write of the first three frames %q", under.writes, want)
	}
	if len(q) != 1 {
		t.Fatalf("%d frames left in the queue, want 1 (max 3 taken)", len(q))
	}
}

func TestWriteFramesBoundsItsBuffer(t *testing.T) {
	under := &countingConn{}
	c := &Conn{Conn: under}
	half := TextFrame([]byte(strings.Repeat("x", maxBuffered/2)))
	big := TextFrame([]byte(strings.Repeat("y", maxBuffered+1)))
	if n, err := c.WriteFrames(time.Now().Add(time.Second), half, queued(half, big, half), 10); n != 4 || err != nil {
		t.Fatalf("WriteFrames = %d writes, %v", n, err)
	}
	// half alone (two would pass the bound), half (flushed before big),
	// big on its own, the last half.
	var sizes []int
	total := 0
	for _, w := range under.writes {
		sizes = append(sizes, len(w))
		total += len(w)
	}
	if len(sizes) != 4 || sizes[2] != len(big.b) {
		t.Fatalf("write sizes %v: want 4 writes, the third the large frame alone (%d)", sizes, len(big.b))
	}
	for _, n := range sizes {
		if n > maxBuffered && n != len(big.b) {
			t.Fatalf("a gathered write of %d bytes, bound %d", n, maxBuffered)
		}
	}
	if total != 3*len(half.b)+len(big.b) {
		t.Fatalf("%d bytes reached the network, want %d", total, 3*len(half.b)+len(big.b))
	}
	if cap(c.buf) > 2*maxBuffered {
		t.Fatalf("buffer kept %d bytes of capacity", cap(c.buf))
	}
}

func TestAbortCutsAWriteInProgress(t *testing.T) {
	server, client := net.Pipe() // a write waits for a reader that never comes
	defer client.Close()
	c := &Conn{Conn: server}
	done := make(chan error, 1)
	go func() {
		_, err := c.WriteFrames(time.Now().Add(time.Minute), TextFrame([]byte("x")), nil, 1)
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	c.Abort()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("the aborted write succeeded")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Abort did not end the write in progress")
	}
	if _, err := c.WriteFrames(time.Now().Add(time.Minute), TextFrame([]byte("y")), nil, 1); !errors.Is(err, errAborted) {
		t.Fatalf("write after Abort: %v, want errAborted", err)
	}
}

// TestFramesReadByARealClient has coder/websocket's client read what
// WriteBatch wrote — frames of every header size, in batches, with the
// server's pings in between — and checks every message arrives whole and
// in order.
func TestFramesReadByARealClient(t *testing.T) {
	sizes := []int{0, 1, 125, 126, 1000, 65535, 65536, 200000}
	var msgs [][]byte
	for round := range 3 {
		for _, n := range sizes {
			msgs = append(msgs, bytes.Repeat([]byte{'a' + byte(round)}, n))
		}
	}
	errc := make(chan error, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, cc, err := Accept(w, r, nil)
		if err != nil {
			errc <- err
			return
		}
		defer c.CloseNow()
		ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
		defer cancel()
		go c.Reader(ctx) // the pings' answers are read by a reader
		q := make(chan *Frame, len(msgs))
		for i, m := range msgs {
			if i == 0 {
				continue
			}
			q <- TextFrame(m)
		}
		first := TextFrame(msgs[0])
		for first != nil {
			if _, err := WriteBatch(ctx, c, cc, 5*time.Second, first, q, 4); err != nil {
				errc <- err
				return
			}
			if len(q) > 0 { // (the client stops reading after the last message)
				if err := c.Ping(ctx); err != nil {
					errc <- err
					return
				}
			}
			first = nil
			select {
			case first = <-q:
			default:
			}
		}
		errc <- nil
		<-ctx.Done()
	}))
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	c.SetReadLimit(1 << 20)
	for i, want := range msgs {
		typ, got, err := c.Read(ctx)
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if typ != websocket.MessageText || !bytes.Equal(got, want) {
			t.Fatalf("message %d: %v of %d bytes, want text of %d", i, typ, len(got), len(want))
		}
	}
	if err := <-errc; err != nil {
		t.Fatal("server:", err)
	}
}

func TestTextFramePayload(t *testing.T) {
	for _, n := range []int{0, 125, 126, 65535, 65536} {
		p := bytes.Repeat([]byte{'z'}, n)
		if f := TextFrame(p); !bytes.Equal(f.Payload(), p) {
			t.Fatalf("payload of a %d-byte frame differs", n)
		}
	}
}
