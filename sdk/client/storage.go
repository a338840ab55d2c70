package client

import (
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"

	"github.com/orama-network/orama/sdk"
)

// Storage is the storage part of the API (/v1/storage): content-addressed
// files, streamed both ways so memory stays flat for any size. Uploads and
// downloads are bounded by their ctx, not by the client's request timeout.
func (c *Client) Storage() *Storage { return &Storage{c: c} }

// Storage uploads, pins and reads files.
type Storage struct{ c *Client }

// Upload is the answer to an upload.
type Upload struct {
	CID  string `json:"cid"`
	Name string `json:"name"`
	Size int64  `json:"size"` // bytes of the original
}

// PinStatus is a CID's pin state.
type PinStatus struct {
	CID               string   `json:"cid"`
	Name              string   `json:"name"`
	Status            string   `json:"status"`
	ReplicationMin    int      `json:"replication_min"`
	ReplicationMax    int      `json:"replication_max"`
	ReplicationFactor int      `json:"replication_factor"`
	Peers             []string `json:"peers"`
	Error             string   `json:"error,omitempty"`
}

// UploadOption changes an upload.
type UploadOption func(*uploadConfig)

type uploadConfig struct{ pin bool }

// WithoutPin stores the file without pinning it (the gateway's default pins).
func WithoutPin() UploadOption { return func(u *uploadConfig) { u.pin = false } }

// Upload streams r as the file name (multipart, one pass: r is read while
// the request is sent, never buffered whole). It is not retried: r cannot
// be read twice.
func (s *Storage) Upload(ctx context.Context, name string, r io.Reader, opts ...UploadOption) (Upload, error) {
	cfg := uploadConfig{pin: true}
	for _, o := range opts {
		o(&cfg)
	}
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := mw.WriteField("pin", strconv.FormatBool(cfg.pin))
		if err == nil {
			var part io.Writer
			if part, err = mw.CreateFormFile("file", name); err == nil {
				if _, err = io.Copy(part, r); err == nil {
					err = mw.Close()
				}
			}
		}
		pw.CloseWithError(err) // nil: EOF for the request
	}()
	resp, err := s.c.openWith(ctx, s.c.streaming(), http.MethodPost, "/v1/storage/upload", mw.FormDataContentType(), pr, nil)
	pr.Close() // stops the writer when the request ended early
	if err != nil {
		return Upload{}, err
	}
	var out Upload
	return out, s.c.decode(resp, http.MethodPost, "/v1/storage/upload", &out)
}

// Pin pins cid (already stored) under name.
func (s *Storage) Pin(ctx context.Context, cid, name string) error {
	return s.c.do(ctx, http.MethodPost, "/v1/storage/pin", map[string]string{"cid": cid, "name": name}, nil)
}

// Status returns cid's pin state. Errors: not_found for an unknown CID,
// invalid for a malformed one.
func (s *Storage) Status(ctx context.Context, cid string) (PinStatus, error) {
	var out PinStatus
	err := s.c.do(ctx, http.MethodGet, "/v1/storage/status/"+url.PathEscape(cid), nil, &out)
	return out, err
}

// Unpin unpins cid.
func (s *Storage) Unpin(ctx context.Context, cid string) error {
	return s.c.do(ctx, http.MethodDelete, "/v1/storage/unpin/"+url.PathEscape(cid), nil, nil)
}

// Download is a file being read from the gateway. Close it.
type Download struct {
	io.ReadCloser
	Size        int64  // bytes in this answer (Content-Length; -1 when unknown)
	ContentType string // sniffed by the gateway
}

// Get streams cid's bytes.
func (s *Storage) Get(ctx context.Context, cid string) (*Download, error) {
	return s.get(ctx, cid, nil)
}

// GetRange streams length bytes of cid from offset (length < 0: to the end).
func (s *Storage) GetRange(ctx context.Context, cid string, offset, length int64) (*Download, error) {
	if offset < 0 {
		return nil, sdk.Errorf(sdk.CodeInvalid, "negative offset %d", offset)
	}
	r := fmt.Sprintf("bytes=%d-", offset)
	if length >= 0 {
		if length == 0 {
			return nil, sdk.Errorf(sdk.CodeInvalid, "empty range")
		}
		r += strconv.FormatInt(offset+length-1, 10)
	}
	return s.get(ctx, cid, http.Header{"Range": {r}})
}

func (s *Storage) get(ctx context.Context, cid string, hdr http.Header) (*Download, error) {
	path := "/v1/storage/get/" + url.PathEscape(cid)
	resp, err := s.c.openWith(ctx, s.c.streaming(), http.MethodGet, path, "", nil, hdr)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		defer resp.Body.Close()
		raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		return nil, responseError(resp.StatusCode, raw)
	}
	return &Download{ReadCloser: resp.Body, Size: resp.ContentLength, ContentType: resp.Header.Get("Content-Type")}, nil
}
