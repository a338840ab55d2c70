package kubo

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"

	"github.com/ipfs/kubo/client/rpc"
)

// The calls whose bytes stream (add, cat) go to kubo's RPC API directly
// rather than through client/rpc: add then carries pin-name (which
// client/rpc cannot send) and a body that is the caller's reader between
// two multipart boundaries, and cat's X-Content-Length header (which
// client/rpc hides) gives the file's size without a files/stat call.

// maxErrorBody bounds the error body read from kubo.
const maxErrorBody = 64 << 10

// post calls cmd on kubo with the query q and body (nil: none). A status
// of 400 or more comes back as an *rpc.Error carrying kubo's message; the
// caller closes the body of a response that is returned.
func (d *Driver) post(ctx context.Context, cmd string, q url.Values, body io.Reader, contentType string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.base+"/api/v0/"+cmd+"?"+q.Encode(), body)
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := d.http.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode < http.StatusBadRequest {
		return resp, nil
	}
	defer resp.Body.Close()
	e := &rpc.Error{}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	if mt != "application/json" || json.Unmarshal(msg, e) != nil || e.Message == "" {
		e.Message = resp.Status + ": " + string(msg)
	}
	return nil, e
}

// streamBody is a response body of kubo's: an error that breaks the
// stream after the headers arrives in the X-Stream-Error trailer.
type streamBody struct {
	resp *http.Response
}

func (s streamBody) Read(p []byte) (int, error) {
	n, err := s.resp.Body.Read(p)
	if err != nil {
		if e := s.resp.Trailer.Get("X-Stream-Error"); e != "" {
			err = errors.New(e)
		}
	}
	return n, err
}

func (s streamBody) Close() error { return s.resp.Body.Close() }
