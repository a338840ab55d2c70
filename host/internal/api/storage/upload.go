package storage

import (
	"bufio"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk/storage"
)

// POST /v1/storage/upload takes the file as multipart/form-data (field
// "file", optional field "pin") or as a JSON object {name, data} with the
// bytes in standard base64 (any other Content-Type is read as JSON, as the
// original gateway did). Both stream: the file part, or the decoded data
// string, is read straight from the request body by storage.Put while it
// imports — never ParseMultipartForm, never a whole file or string in
// memory — so memory stays flat up to max_upload_bytes in either form.
//
// Limits. The file may have up to MaxUploadBytes bytes (decoded); one
// byte more is 413 too_large and nothing is pinned. The whole body may
// have up to UploadBodyLimit bytes (the file in base64 plus 1 MiB for the
// rest); a larger declared Content-Length is 413 before anything is read.
// Other form fields are at most 64 KiB each, a name at most maxPinName.
//
// Order. A form's "pin" is read when it comes before "file" (browsers and
// HTTP clients send fields in the order they were added); without one the
// upload is pinned. Put gets the pin flag with its first message, so the
// import and the pin happen together. What follows the file (the rest of
// the form, or of the JSON object) is read before the file's last byte is
// handed over: a request that turns out bad there — a second file, a
// late "pin" that contradicts the one applied, broken JSON — fails the
// upload before it completes, and nothing is pinned. A JSON name that
// follows data is applied with a second call (Pin renames the pin).

const (
	maxFormField        = 64 << 10 // bytes of a form field other than the file
	multipartReadBuffer = 128 << 10
	uploadSlack         = 1 << 20 // body bytes allowed besides the (encoded) file
	maxPinValue         = 16      // bytes of the "pin" field
	fieldFile           = "file"
	fieldPin            = "pin"
	uploadNoFile        = `multipart field "file" is required`
	uploadPinLate       = `the "pin" field must come before the "file" part of the form`
)

var multipartBufs = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, multipartReadBuffer) }}

type storageUploadResponse struct {
	CID  string `json:"cid"`
	Name string `json:"name"`
	Size int64  `json:"size"`
}

// UploadBodyLimit is the body limit of uploads of files up to max bytes:
// the file in base64 (the larger of the two encodings) plus uploadSlack.
// The server applies it to POST /v1/storage/upload instead of
// MaxBodyBytes.
func UploadBodyLimit(max int64) int64 {
	if max > (math.MaxInt64-uploadSlack)/4*3-3 {
		return math.MaxInt64
	}
	return (max+2)/3*4 + uploadSlack
}

// Upload is POST /v1/storage/upload: stores (and by default pins) a file
// sent as a multipart form or as JSON.
func (h *Handlers) Upload(w http.ResponseWriter, r *http.Request) error {
	ns, st, err := h.open(r)
	if err != nil {
		return err
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		return h.uploadMultipart(w, r, st, ns)
	}
	return h.uploadJSON(w, r, st, ns)
}

func (h *Handlers) uploadMultipart(w http.ResponseWriter, r *http.Request, st storage.Storage, ns string) error {
	_, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	boundary := params["boundary"]
	if boundary == "" {
		return api.Invalidf("invalid multipart body: no boundary in Content-Type")
	}
	// multipart reads through a 4 KiB buffer; a larger one under it turns
	// many small reads of the connection into few large ones. It is
	// reused: nothing reads it after the handler returns.
	br := multipartBufs.Get().(*bufio.Reader)
	br.Reset(h.idleBody(w, r))
	defer func() {
		br.Reset(nil)
		multipartBufs.Put(br)
	}()
	mr := multipart.NewReader(br, boundary)
	pin := true
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return api.Invalidf(uploadNoFile)
		}
		if err != nil {
			return formError(err)
		}
		switch part.FormName() {
		case fieldPin:
			if pin, err = readPin(part); err != nil {
				return err
			}
		case fieldFile:
			name := part.FileName()
			if err := checkPinName(name); err != nil {
				return err
			}
			if err := api.CheckUTF8("filename", name); err != nil {
				return err
			}
			body := &uploadReader{r: part, max: h.maxFile, finish: func() error { return formRest(mr, pin) }}
			res, err := st.Put(r.Context(), ns, body, storage.PutOptions{Name: name, Pin: pin, MaxSize: h.maxFile})
			if err != nil {
				return err
			}
			return api.WriteJSON(w, http.StatusOK, storageUploadResponse{CID: res.CID, Name: name, Size: res.Size})
		default:
			if err := api.SkipFormField(part, maxFormField, "the upload"); err != nil {
				return err
			}
		}
	}
}

// idleBody is r's body with an idle limit: each read must make progress
// within the request timeout. Streams have no overall deadline (a large
// file takes long), so this is what ends an upload whose client stalls;
// the read fails and Put pins nothing. The deadline is lifted at the end
// of the body — net/http then reads the connection in the background to
// notice a client that goes away, and a deadline re-armed by a read
// after the end would fail that read and cancel the request while Put
// finishes — and only there: after a failed or abandoned upload it
// stays, so net/http's discarding of the unread rest is bounded too (a
// lifted deadline let a stalled client hold its connection for ever).
func (h *Handlers) idleBody(w http.ResponseWriter, r *http.Request) io.Reader {
	return &idleReader{r: r.Body, rc: http.NewResponseController(w), idle: h.Timeout}
}

type idleReader struct {
	r    io.Reader
	rc   *http.ResponseController
	idle time.Duration
}

func (i *idleReader) Read(p []byte) (int, error) {
	_ = i.rc.SetReadDeadline(time.Now().Add(i.idle)) // unsupported (tests' recorders): no limit
	n, err := i.r.Read(p)
	if err == io.EOF {
		_ = i.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}

// formRest reads the parts after the file: a second file is refused, so
// is a "pin" that contradicts the one the upload applied.
func formRest(mr *multipart.Reader, pin bool) error {
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return formError(err)
		}
		switch part.FormName() {
		case fieldFile:
			return api.Invalidf(`only one "file" part per upload`)
		case fieldPin:
			late, err := readPin(part)
			if err != nil {
				return err
			}
			if late != pin {
				return api.Invalidf(uploadPinLate)
			}
		default:
			if err := api.SkipFormField(part, maxFormField, "the upload"); err != nil {
				return err
			}
		}
	}
}

// readPin parses the "pin" field: true or false (strconv.ParseBool's
// spellings); empty means the default, true.
func readPin(part *multipart.Part) (bool, error) {
	b, err := io.ReadAll(io.LimitReader(part, maxPinValue+1))
	if err != nil {
		return false, formError(err)
	}
	v := strings.TrimSpace(string(b))
	if v == "" {
		return true, nil
	}
	pin, err := strconv.ParseBool(v)
	if err != nil || len(b) > maxPinValue {
		return false, api.Invalidf(`pin must be "true" or "false"`)
	}
	return pin, nil
}

// formError is api.BodyError for an upload's body.
func formError(err error) error { return api.BodyError("the upload", err) }

// uploadReader is the file as Put reads it. It counts bytes and fails with
// too_large beyond max; read errors go through formError; at the end of
// the file it calls finish (which reads what follows the file in the
// request) before it reports io.EOF, so that a request found bad after
// its file makes Put fail rather than complete.
type uploadReader struct {
	r      io.Reader
	max    int64
	n      int64
	finish func() error
	err    error // sticky
}

func (u *uploadReader) Read(p []byte) (int, error) {
	if u.err != nil {
		return 0, u.err
	}
	n, err := u.r.Read(p)
	u.n += int64(n)
	if u.n > u.max {
		u.err = tooLarge(u.max)
		return 0, u.err
	}
	switch {
	case err == io.EOF:
		u.err = io.EOF
		if u.finish != nil {
			if ferr := u.finish(); ferr != nil {
				u.err = ferr
			}
		}
		return n, u.err
	case err != nil:
		u.err = formError(err)
		return n, u.err
	}
	return n, nil
}
