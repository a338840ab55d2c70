package wscork

import (
	"bytes"
	"net"
	"strings"
	"testing"
	"time"
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

func TestCorkedConnHoldsWritesUntilUncork(t *testing.T) {
	under := &countingConn{}
	c := &Conn{Conn: under}

	c.Write([]byte("a")) // not corked: straight through
	c.Cork()
	for _, p := range []string{"b", "c", "d"} {
		if n, err := c.Write([]byte(p)); n != 1 || err != nil {
			t.Fatalf("corked Write = %d, %v", n, err)
		}
	}
	if len(under.writes) != 1 {
		t.Fatalf("writes while corked reached the network: %q", under.writes)
	}
	if err := c.Uncork(time.Now().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if got := len(under.writes); got != 2 || string(under.writes[1]) != "bcd" {
		t.Fatalf("after uncork: %q, want one write of \"bcd\"", under.writes)
	}
	c.Write([]byte("e"))
	if len(under.writes) != 3 || string(under.writes[2]) != "e" {
		t.Fatalf("after uncork writes go straight through: %q", under.writes)
	}
}

func TestCorkedConnBoundsItsBuffer(t *testing.T) {
	under := &countingConn{}
	c := &Conn{Conn: under}
	c.Cork()
	chunk := []byte(strings.Repeat("x", maxCorked/2+1))
	c.Write(chunk)
	c.Write(chunk) // would pass maxCorked: the first is written first
	if len(under.writes) != 1 || len(under.writes[0]) != len(chunk) {
		t.Fatalf("writes = %d, want the first chunk flushed when the buffer would pass %d bytes", len(under.writes), maxCorked)
	}
	big := []byte(strings.Repeat("y", maxCorked+1))
	c.Write(big) // larger than the bound: flushed, then written through
	if len(under.writes) != 3 || len(under.writes[2]) != len(big) {
		t.Fatalf("a write larger than the bound: %d writes", len(under.writes))
	}
	if len(c.buf) > maxCorked {
		t.Fatalf("buffer holds %d bytes, bound %d", len(c.buf), maxCorked)
	}
	c.Uncork(time.Now().Add(time.Second))
	var total int
	for _, w := range under.writes {
		total += len(w)
	}
	if total != 2*len(chunk)+len(big) {
		t.Fatalf("%d bytes reached the network, want %d", total, 2*len(chunk)+len(big))
	}
}
