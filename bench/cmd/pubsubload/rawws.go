package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// rawConn is the receiving end of a subscriber's WebSocket, read without
// a WebSocket library: the subscribers share the 2 CPUs with the server
// being measured, and a library's per-message work (a context and a lock
// per Reader, an io.Reader per message) was as much CPU per delivery as
// the server's. One 64 KiB buffered read takes every frame the server
// wrote since the last one; each frame is then parsed in place.
//
// It speaks RFC 6455 as a client: unmasked server frames, fragmented
// messages reassembled, pings answered with a masked pong, a close frame
// ends the read.
type rawConn struct {
	nc  net.Conn
	br  *bufio.Reader
	wmu sync.Mutex // pongs and the close frame
	msg []byte     // the message being read (reused)
}

// dialRaw opens topic's WebSocket on base (http:// only) with key as
// X-API-Key.
func dialRaw(ctx context.Context, base, key, topic string) (*rawConn, error) {
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || u.Scheme != "http" {
		return nil, fmt.Errorf("subscribers need an http:// base URL, not %q", base)
	}
	var last error
	for attempt := range 3 {
		if attempt > 0 {
			time.Sleep(time.Duration(attempt) * 200 * time.Millisecond)
		}
		c, retry, err := handshake(ctx, u.Host, key, topic)
		if err == nil {
			return c, nil
		}
		last = err
		if !retry {
			break
		}
	}
	return nil, last
}

// handshake makes one attempt; retry says whether another may succeed.
func handshake(ctx context.Context, host, key, topic string) (_ *rawConn, retry bool, _ error) {
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	nc, err := (&net.Dialer{}).DialContext(dctx, "tcp", host)
	if err != nil {
		return nil, true, err
	}
	deadline, _ := dctx.Deadline()
	_ = nc.SetDeadline(deadline)
	var nonce [16]byte
	_, _ = rand.Read(nonce[:])
	wsKey := base64.StdEncoding.EncodeToString(nonce[:])
	req := "GET /v1/pubsub/ws?topic=" + url.QueryEscape(topic) + " HTTP/1.1\r\n" +
		"Host: " + host + "\r\n" +
		"Upgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + wsKey + "\r\n"
	if key != "" {
		req += "X-API-Key: " + key + "\r\n"
	}
	if _, err := io.WriteString(nc, req+"\r\n"); err != nil {
		_ = nc.Close()
		return nil, true, err
	}
	br := bufio.NewReaderSize(nc, 64<<10)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		_ = nc.Close()
		return nil, true, err
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		_ = nc.Close()
		return nil, resp.StatusCode >= 500, fmt.Errorf("websocket handshake: %s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	sum := sha1.Sum([]byte(wsKey + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	if resp.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(sum[:]) {
		_ = nc.Close()
		return nil, false, errors.New("websocket handshake: wrong Sec-WebSocket-Accept")
	}
	_ = nc.SetDeadline(time.Time{})
	return &rawConn{nc: nc, br: br}, false, nil
}

// Frame opcodes (RFC 6455 §5.2).
const (
	opContinuation = 0x0
	opText         = 0x1
	opBinary       = 0x2
	opClose        = 0x8
	opPing         = 0x9
	opPong         = 0xA
)

// maxMessage bounds one message (the server's frames are at most 1 MiB
// of data, base64 in JSON).
const maxMessage = 2 << 20

// errClosed is a close frame from the server.
var errClosed = errors.New("websocket closed by the server")

// next returns the next data message, valid until the following call.
func (c *rawConn) next() ([]byte, error) {
	c.msg = c.msg[:0]
	for {
		var hdr [2]byte
		if _, err := io.ReadFull(c.br, hdr[:]); err != nil {
			return nil, err
		}
		fin, op := hdr[0]&0x80 != 0, hdr[0]&0x0F
		if hdr[1]&0x80 != 0 {
			return nil, errors.New("websocket: the server masked a frame")
		}
		n := uint64(hdr[1] & 0x7F)
		switch n {
		case 126:
			var ext [2]byte
			if _, err := io.ReadFull(c.br, ext[:]); err != nil {
				return nil, err
			}
			n = uint64(binary.BigEndian.Uint16(ext[:]))
		case 127:
			var ext [8]byte
			if _, err := io.ReadFull(c.br, ext[:]); err != nil {
				return nil, err
			}
			n = binary.BigEndian.Uint64(ext[:])
		}
		if n > maxMessage || uint64(len(c.msg))+n > maxMessage {
			return nil, fmt.Errorf("websocket: a message over %d bytes", maxMessage)
		}
		if op >= opClose { // control frame: its own payload, between fragments
			var p [125]byte
			if n > 125 || !fin {
				return nil, errors.New("websocket: malformed control frame")
			}
			if _, err := io.ReadFull(c.br, p[:n]); err != nil {
				return nil, err
			}
			switch op {
			case opPing:
				if err := c.writeFrame(opPong, p[:n]); err != nil {
					return nil, err
				}
			case opClose:
				_ = c.writeFrame(opClose, p[:min(n, 2)])
				return nil, errClosed
			}
			continue
		}
		if op != opContinuation && op != opText && op != opBinary {
			return nil, fmt.Errorf("websocket: unknown opcode %d", op)
		}
		start := len(c.msg)
		c.msg = slices.Grow(c.msg, int(n))[:start+int(n)]
		if _, err := io.ReadFull(c.br, c.msg[start:]); err != nil {
			return nil, err
		}
		if fin {
			return c.msg, nil
		}
	}
}

// writeFrame writes a masked control frame (payload ≤ 125 bytes).
func (c *rawConn) writeFrame(op byte, payload []byte) error {
	var f [2 + 4 + 125]byte
	f[0] = 0x80 | op
	f[1] = 0x80 | byte(len(payload))
	_, _ = rand.Read(f[2:6])
	for i, b := range payload {
		f[6+i] = b ^ f[2+i%4]
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.nc.SetWriteDeadline(time.Now().Add(10 * time.Second))
	_, err := c.nc.Write(f[:6+len(payload)])
	return err
}

// close sends a normal close frame and closes the connection.
func (c *rawConn) close() {
	_ = c.writeFrame(opClose, []byte{0x03, 0xE8}) // 1000
	_ = c.nc.Close()
}
