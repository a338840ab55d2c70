package storage

import (
	"io"
	"sync"
)

// chunkReader is an io.Reader over a stream of chunks. It pulls the next
// message only once the previous one is used up, so it holds one chunk at
// most and the stream's flow control paces the sender.
type chunkReader struct {
	next func() ([]byte, error) // the next chunk; io.EOF at the end
	buf  []byte
	err  error // sticky: once next fails, every Read fails alike
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for len(r.buf) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		r.buf, r.err = r.next()
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// chunkBufs holds the buffers copyChunks sends from. A buffer is reused
// once send has returned: gRPC's SendMsg encodes the message into its own
// buffers before it returns, and these adapters install no stats handler
// that could look at a sent message later.
var chunkBufs = sync.Pool{New: func() any { b := make([]byte, ChunkSize); return &b }}

// copyChunks reads r in pieces of ChunkSize (the last may be shorter) and
// hands each to send, which must be done with the slice when it returns.
// It stops at r's end, at r's first error (readErr) or at send's first
// error (sendErr).
func copyChunks(r io.Reader, send func([]byte) error) (sendErr, readErr error) {
	bp := chunkBufs.Get().(*[]byte)
	defer chunkBufs.Put(bp)
	buf := *bp
	for {
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			if sendErr := send(buf[:n]); sendErr != nil {
				return sendErr, nil
			}
		}
		switch err {
		case nil:
		case io.EOF, io.ErrUnexpectedEOF:
			return nil, nil
		default:
			return nil, err
		}
	}
}
