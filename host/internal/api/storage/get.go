package storage

import (
	"errors"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/orama-network/orama/host/internal/api"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/storage"
)

// GET /v1/storage/get/:cid streams the content from storage.Get into the
// response, one chunk in memory at a time. HEAD answers the same headers
// and no body: it reads only the bytes Content-Type is sniffed from.
//
//   - The caller's namespace must pin the CID: the plugin answers
//     not_found (404) otherwise, for GET, HEAD and ranges alike, as
//     status does.
//   - ETag is the CID in quotes (its canonical string); If-None-Match with
//     it (or *) is 304 once the content is known to exist.
//   - Range: one byte range, "bytes=a-b", "a-" or "-n", is 206 with
//     Content-Range; an unsatisfiable one (starting at or after the end,
//     a zero suffix, any range of empty content) is 416 with
//     Content-Range "bytes */size". A malformed one ("bytes=abc",
//     "bytes=5-3") is ignored, as RFC 9110 §14.2 allows: the whole
//     content (200). So are several ranges and another unit. If-Range
//     with another ETag gets it whole too.
//   - Content-Length always; Accept-Ranges: bytes.
//   - Content-Type is sniffed (http.DetectContentType) from the content's
//     first 512 bytes, read from the stream and then sent, so nothing is
//     lost; a range that starts later sniffs with a separate 512-byte Get,
//     so every range of a file has the same type. X-Content-Type-Options:
//     nosniff keeps browsers to it.
//   - Content-Disposition: attachment, with the pin's name as filename
//     when the caller's namespace pins the CID under a name (quoted, or
//     RFC 2231-encoded, by mime.FormatMediaType).

const sniffLen = 512

// errRange is a Range header that no byte of the content satisfies;
// errRangeSyntax one that is malformed (and so ignored).
var (
	errRange       = errors.New("range not satisfiable")
	errRangeSyntax = errors.New("malformed range")
)

var copyBufs = sync.Pool{New: func() any { b := make([]byte, storage.ChunkSize); return &b }}

// Get is GET and HEAD /v1/storage/get/:cid: the content, or a range of it.
func (h *Handlers) Get(w http.ResponseWriter, r *http.Request) error {
	id, err := cidParam(r)
	if err != nil {
		return err
	}
	c, _ := storage.ParseCID(id)
	etag := `"` + c.String() + `"`
	ns, st, err := h.open(r)
	if err != nil {
		return err
	}
	rangeHdr := r.Header.Get("Range")
	if ir := r.Header.Get("If-Range"); ir != "" && ir != etag {
		rangeHdr = ""
	}
	if _, _, _, err := parseRange(rangeHdr, math.MaxInt64); err == errRangeSyntax {
		rangeHdr = "" // ignored, before asking the plugin for the size
	}
	isHead := r.Method == http.MethodHead
	inm := r.Header.Get("If-None-Match")

	ctx, cancel := h.Context(r.Context())
	defer cancel()
	var size int64
	if rangeHdr != "" || inm != "" {
		stat, err := st.Stat(ctx, ns, id)
		if err != nil {
			return err
		}
		size = stat.Size
	}
	hdr := w.Header()
	if inm != "" && etagMatch(inm, etag) {
		hdr.Set("ETag", etag)
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	off, length, partial := int64(0), int64(-1), false
	if rangeHdr != "" {
		var n int64
		off, n, partial, err = parseRange(rangeHdr, size)
		if err != nil {
			hdr.Set("Content-Range", "bytes */"+strconv.FormatInt(size, 10))
			return api.WriteErrorBody(w, http.StatusRequestedRangeNotSatisfiable, "", errRange.Error(), api.RequestID(r.Context()))
		}
		if partial {
			length = n
		}
	}
	// HEAD streams only what the sniffing needs: the first bytes, or
	// nothing when a later range sniffs through sniffStart.
	getLen := length
	if isHead {
		getLen = sniffLen
		if off > 0 {
			getLen = 0
		}
	}
	rc, stat, err := st.Get(r.Context(), ns, id, off, getLen)
	if err != nil {
		return err
	}
	defer rc.Close()
	// The pin's name (for the filename) comes with the content when the
	// plugin sends it; otherwise it is asked for while the first bytes
	// arrive.
	names := make(chan string, 1)
	if stat.Named {
		names <- stat.Name
	} else {
		go func() {
			p, err := st.Status(ctx, ns, id)
			if err != nil {
				p.Name = "" // not pinned in this namespace, or no answer: no filename
			}
			names <- p.Name
		}()
	}
	n, err := storage.CheckRange(stat.Size, off, length)
	if err != nil {
		return err
	}
	headLen := min(n, sniffLen)
	if isHead && off > 0 {
		headLen = 0
	}
	head := make([]byte, headLen)
	if _, err := io.ReadFull(rc, head); err != nil {
		var se *sdk.Error
		if errors.As(err, &se) {
			return err
		}
		return sdk.Errorf(sdk.CodeInternal, "reading the start of %s: %v", id, err)
	}
	sniff := head
	if off > 0 {
		if sniff, err = h.sniffStart(r, st, ns, id); err != nil {
			return err
		}
	}

	disposition := "attachment"
	if name := <-names; name != "" {
		if v := mime.FormatMediaType("attachment", map[string]string{"filename": name}); v != "" {
			disposition = v
		}
	}
	hdr.Set("Content-Type", http.DetectContentType(sniff))
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Content-Length", strconv.FormatInt(n, 10))
	hdr.Set("ETag", etag)
	hdr.Set("Accept-Ranges", "bytes")
	hdr.Set("Content-Disposition", disposition)
	status := http.StatusOK
	if partial {
		status = http.StatusPartialContent
		hdr.Set("Content-Range", "bytes "+strconv.FormatInt(off, 10)+"-"+strconv.FormatInt(off+n-1, 10)+"/"+strconv.FormatInt(stat.Size, 10))
	}
	w.WriteHeader(status)
	if isHead {
		return nil
	}
	fw := flushWriter{w: w, rc: http.NewResponseController(w), idle: h.Timeout}
	if _, err := fw.Write(head); err != nil {
		return err
	}
	buf := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(buf)
	_, err = io.CopyBuffer(fw, rc, *buf)
	return err
}

// sniffStart returns the first bytes of the content, for Content-Type.
func (h *Handlers) sniffStart(r *http.Request, st storage.Storage, ns, id string) ([]byte, error) {
	ctx, cancel := h.Context(r.Context())
	defer cancel()
	rc, _, err := st.Get(ctx, ns, id, 0, sniffLen)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, sniffLen))
}

// flushWriter flushes after every write, so each chunk leaves at once,
// and gives each write the request timeout to complete: a client that
// stops reading ends the download (and the plugin's stream) instead of
// holding it open. (net/http lifts the deadline after the request.)
type flushWriter struct {
	w    io.Writer
	rc   *http.ResponseController
	idle time.Duration
}

func (f flushWriter) Write(p []byte) (int, error) {
	_ = f.rc.SetWriteDeadline(time.Now().Add(f.idle)) // unsupported (tests' recorders): no limit
	n, err := f.w.Write(p)
	if err == nil {
		err = f.rc.Flush()
	}
	return n, err
}

// parseRange parses a Range header for content of size bytes. partial is
// false when the whole content is to be sent: another unit than bytes, or
// several ranges. err is errRangeSyntax for a malformed byte range (which
// the caller ignores) and errRange for one no byte satisfies.
func parseRange(h string, size int64) (off, n int64, partial bool, err error) {
	const unit = "bytes="
	if len(h) < len(unit) || !strings.EqualFold(h[:len(unit)], unit) {
		return 0, 0, false, nil
	}
	spec := strings.TrimSpace(h[len(unit):])
	if strings.Contains(spec, ",") {
		return 0, 0, false, nil
	}
	first, last, ok := strings.Cut(spec, "-")
	if !ok {
		return 0, 0, false, errRangeSyntax
	}
	first, last = strings.TrimSpace(first), strings.TrimSpace(last)
	if first == "" { // suffix: the last n bytes
		k, ok := digits(last)
		switch {
		case !ok:
			return 0, 0, false, errRangeSyntax
		case k == 0 || size == 0:
			return 0, 0, false, errRange
		}
		k = min(k, size)
		return size - k, k, true, nil
	}
	a, ok := digits(first)
	if !ok {
		return 0, 0, false, errRangeSyntax
	}
	b := int64(-1)
	if last != "" {
		if b, ok = digits(last); !ok || b < a {
			return 0, 0, false, errRangeSyntax
		}
	}
	if a >= size {
		return 0, 0, false, errRange
	}
	if b < 0 {
		return a, size - a, true, nil
	}
	b = min(b, size-1)
	return a, b - a + 1, true, nil
}

// digits parses a non-empty run of decimal digits (no sign); a run too
// long for an int64 is math.MaxInt64 (beyond any content).
func digits(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return math.MaxInt64, true
	}
	return v, true
}

// etagMatch reports whether an If-None-Match list names etag (weak
// comparison) or is "*".
func etagMatch(list, etag string) bool {
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}
