package server

import (
	"errors"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/orama-network/orama/host/internal/api"
)

// bodyDeadline bounds how long a request body may take to arrive: from
// the end of the headers, the whole body within ReadBodyTimeout (a read
// deadline on the connection), so a client that sends a large
// Content-Length and then a byte now and then (slowloris) holds its
// connection for that long at most. A read past the deadline fails with
// invalid (400) naming server.read_body_timeout, and the connection is
// closed. The deadline is lifted when the body has been read to its end,
// so handlers that work on after reading it are not cut off, and it stays
// when a handler returns without reading it: net/http's discarding of
// the rest is bounded too.
//
// Uploads (pathStorageUpload) get the same deadline until their handler
// starts reading; from then on their own rule applies — every read must
// make progress within the request timeout (see api/storage) — since a
// large file takes longer than any fixed bound.
//
// Requests without a body need nothing here: net/http bounds their
// headers (ReadHeaderTimeout) and the wait for the next request on a
// kept-alive connection (IdleTimeout).
func (s *Server) bodyDeadline(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
			next.ServeHTTP(w, r)
			return
		}
		rc := http.NewResponseController(w)
		if err := rc.SetReadDeadline(time.Now().Add(s.bodyTime)); err == nil && r.URL.Path != pathStorageUpload {
			// r is the chain's own copy (withState), so replacing Body is safe.
			r.Body = &deadlineBody{ReadCloser: r.Body, rc: rc, limit: s.bodyTime}
		}
		next.ServeHTTP(w, r)
	})
}

// deadlineBody lifts the read deadline at the end of the body and names
// the deadline when a read runs into it.
type deadlineBody struct {
	io.ReadCloser
	rc    *http.ResponseController
	limit time.Duration
	done  bool
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	switch {
	case err == io.EOF && !b.done:
		b.done = true
		_ = b.rc.SetReadDeadline(time.Time{})
	case err != nil && isTimeout(err):
		err = api.Invalidf("request body not received within %s (server.read_body_timeout)", b.limit)
	}
	return n, err
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
