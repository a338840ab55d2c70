package server

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/storage"
)

// GET /v1/storage/get/:cid streams the content from storage.Get into the
// response, one chunk in memory at a time.
//
//   - ETag is the CID in quotes (its canonical string); If-None-Match with
//     it (or *) is 304 once the content is known to exist.
//   - Range: one byte range, "bytes=a-b", "a-" or "-n", is 206 with
//     Content-Range; a malformed or unsatisfiable one is 416 with
//     Content-Range "bytes */size". Several ranges, or another unit, get
//     the whole content (200). If-Range with another ETag gets it whole
//     too.
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

// errRange is a Range header that is malformed or that no byte of the
// content satisfies.
var errRange = errors.New("range not satisfiable")

var copyBufs = sync.Pool{New: func() any { b := make([]byte, storage.ChunkSize); return &b }}

func (s *Server) handleStorageGet(w http.ResponseWriter, r *http.Request) error {
	id, err := cidParam(r)
	if err != nil {
		return err
	}
	c, _ := storage.ParseCID(id)
	etag := `"` + c.String() + `"`
	ns, st, err := s.storageFor(r)
	if err != nil {
		return err
	}
	rangeHdr := r.Header.Get("Range")
	if ir := r.Header.Get("If-Range"); ir != "" && ir != etag {
		rangeHdr = ""
	}
	inm := r.Header.Get("If-None-Match")

	ctx, cancel := s.pluginContext(r.Context())
	defer cancel()
	var size int64
	if rangeHdr != "" || inm != "" {
		stat, err := st.Stat(ctx, ns, id)
		if err != nil {
			return err
		}
		size = stat.Size
	}
	h := w.Header()
	if inm != "" && etagMatch(inm, etag) {
		h.Set("ETag", etag)
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	off, length, partial := int64(0), int64(-1), false
	if rangeHdr != "" {
		var n int64
		off, n, partial, err = parseRange(rangeHdr, size)
		if err != nil {
			h.Set("Content-Range", "bytes */"+strconv.FormatInt(size, 10))
			s.writeErrorBody(w, http.StatusRequestedRangeNotSatisfiable, "", errRange.Error(), requestIDFrom(r.Context()))
			return nil
		}
		if partial {
			length = n
		}
	}
	// The pin's name (for the filename) is asked for while the content
	// stream opens: two round trips to the plugin at once, not in a row.
	names := make(chan string, 1)
	go func() {
		p, err := st.Status(ctx, ns, id)
		if err != nil {
			p.Name = "" // not pinned in this namespace, or no answer: no filename
		}
		names <- p.Name
	}()

	rc, stat, err := st.Get(r.Context(), ns, id, off, length)
	if err != nil {
		return err
	}
	defer rc.Close()
	n, err := storage.CheckRange(stat.Size, off, length)
	if err != nil {
		return err
	}
	head := make([]byte, min(n, sniffLen))
	if _, err := io.ReadFull(rc, head); err != nil {
		var se *sdk.Error
		if errors.As(err, &se) {
			return err
		}
		return sdk.Errorf(sdk.CodeInternal, "reading the start of %s: %v", id, err)
	}
	sniff := head
	if off > 0 {
		if sniff, err = s.sniffStart(r, st, ns, id); err != nil {
			return err
		}
	}

	disposition := "attachment"
	if name := <-names; name != "" {
		if v := mime.FormatMediaType("attachment", map[string]string{"filename": name}); v != "" {
			disposition = v
		}
	}
	h.Set("Content-Type", http.DetectContentType(sniff))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.FormatInt(n, 10))
	h.Set("ETag", etag)
	h.Set("Accept-Ranges", "bytes")
	h.Set("Content-Disposition", disposition)
	status := http.StatusOK
	if partial {
		status = http.StatusPartialContent
		h.Set("Content-Range", "bytes "+strconv.FormatInt(off, 10)+"-"+strconv.FormatInt(off+n-1, 10)+"/"+strconv.FormatInt(stat.Size, 10))
	}
	w.WriteHeader(status)
	fw := flushWriter{w: w, rc: http.NewResponseController(w), idle: s.timeout}
	if _, err := fw.Write(head); err != nil {
		return err
	}
	buf := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(buf)
	_, err = io.CopyBuffer(fw, rc, *buf)
	return err
}

// sniffStart returns the first bytes of the content, for Content-Type.
func (s *Server) sniffStart(r *http.Request, st storage.Storage, ns, id string) ([]byte, error) {
	ctx, cancel := s.pluginContext(r.Context())
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
// several ranges. err is errRange for a malformed byte range and for one
// no byte satisfies.
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
		return 0, 0, false, errRange
	}
	first, last = strings.TrimSpace(first), strings.TrimSpace(last)
	if first == "" { // suffix: the last n bytes
		k, ok := digits(last)
		if !ok || k == 0 || size == 0 {
			return 0, 0, false, errRange
		}
		k = min(k, size)
		return size - k, k, true, nil
	}
	a, ok := digits(first)
	if !ok || a >= size {
		return 0, 0, false, errRange
	}
	if last == "" {
		return a, size - a, true, nil
	}
	b, ok := digits(last)
	if !ok || b < a {
		return 0, 0, false, errRange
	}
	b = min(b, size-1)
	return a, b - a + 1, true, nil
}

// digits parses a non-empty run of decimal digits (no sign) that fits an
// int64.
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
	return v, err == nil
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
