package storage_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/host/internal/server"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/storage"
)

// pngHead is the start of a PNG file: enough for http.DetectContentType.
var pngHead = []byte("\x89PNG\x0D\x0A\x1A\x0A\x00\x00\x00\x0DIHDR")

// putContent stores content pinned in the default namespace (reads need
// a pin), under name, and returns its CID.
func (e *storageEnv) putContent(t testing.TB, content []byte, name string) string {
	t.Helper()
	res, err := e.store.Memory.Put(t.Context(), "default", bytes.NewReader(content), storage.PutOptions{Name: name, Pin: true})
	if err != nil {
		t.Fatal(err)
	}
	return res.CID
}

// putUnpinned stores content that no namespace pins and returns its CID.
func (e *storageEnv) putUnpinned(t testing.TB, content []byte) string {
	t.Helper()
	res, err := e.store.Memory.Put(t.Context(), "default", bytes.NewReader(content), storage.PutOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return res.CID
}

func wantHeader(t testing.TB, rec *httptest.ResponseRecorder, name, want string) {
	t.Helper()
	if got := rec.Header().Get(name); got != want {
		t.Errorf("%s: %q, want %q", name, got, want)
	}
}

func TestStorageGetWhole(t *testing.T) {
	e := newStorageEnv(t, nil)
	content := append(append([]byte{}, pngHead...), pattern(300<<10)...)
	id := e.putContent(t, content, "pic.png")
	rec := e.Do(t, "GET", "/v1/storage/get/"+id, "")
	if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), content) {
		t.Fatalf("get: %d, %d bytes, want 200 and the %d bytes stored", rec.Code, rec.Body.Len(), len(content))
	}
	wantHeader(t, rec, "Content-Length", strconv.Itoa(len(content)))
	wantHeader(t, rec, "ETag", `"`+id+`"`)
	wantHeader(t, rec, "Content-Type", "image/png")
	wantHeader(t, rec, "Content-Disposition", `attachment; filename=pic.png`)
	wantHeader(t, rec, "Accept-Ranges", "bytes")
	wantHeader(t, rec, "X-Content-Type-Options", "nosniff")
	wantHeader(t, rec, "Content-Range", "")
}

func TestStorageGetSniffAndDisposition(t *testing.T) {
	cases := []struct {
		name, content, pinName, ctype, disposition string
	}{
		{"html", "<!DOCTYPE html><html><body>hi</body></html>", "", "text/html; charset=utf-8", "attachment"},
		{"text", "hello world\n", "notes.txt", "text/plain; charset=utf-8", "attachment; filename=notes.txt"},
		{"binary", "\x00\x01\x02\x03", "data.bin", "application/octet-stream", "attachment; filename=data.bin"},
		{"empty", "", "", "text/plain; charset=utf-8", "attachment"},
		{"quoted name", "x", `a "b" c.txt`, "text/plain; charset=utf-8", `attachment; filename="a \"b\" c.txt"`},
		{"non-ASCII name", "x", "résumé.txt", "text/plain; charset=utf-8", `attachment; filename*=utf-8''r%C3%A9sum%C3%A9.txt`},
		{"header injection", "x", "a\r\nSet-Cookie: x=y", "text/plain; charset=utf-8", `attachment; filename*=utf-8''a%0D%0ASet-Cookie%3A%20x%3Dy`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newStorageEnv(t, nil)
			id := e.putContent(t, []byte(c.content), c.pinName)
			rec := e.Do(t, "GET", "/v1/storage/get/"+id, "")
			if rec.Code != 200 || rec.Body.String() != c.content {
				t.Fatalf("get: %d %q", rec.Code, rec.Body)
			}
			wantHeader(t, rec, "Content-Type", c.ctype)
			wantHeader(t, rec, "Content-Disposition", c.disposition)
			wantHeader(t, rec, "Content-Length", strconv.Itoa(len(c.content)))
		})
	}
}

func TestStorageGetRange(t *testing.T) {
	e := newStorageEnv(t, nil)
	content := append(append([]byte{}, pngHead...), pattern(1000-len(pngHead))...)
	id := e.putContent(t, content, "r.png")
	cases := []struct {
		header   string
		from, to int // inclusive; to < 0: whole content with 200
	}{
		{"bytes=0-9", 0, 9},
		{"bytes=10-", 10, 999},
		{"bytes=-5", 995, 999},
		{"bytes=-5000", 0, 999},
		{"bytes=990-5000", 990, 999},
		{"bytes=999-999", 999, 999},
		{"Bytes= 100 - 199", 100, 199},
		{"bytes=0-1,5-6", 0, -1}, // several ranges: the whole content
		{"items=0-1", 0, -1},     // another unit: ignored
	}
	for _, c := range cases {
		t.Run(c.header, func(t *testing.T) {
			rec := e.Do(t, "GET", "/v1/storage/get/"+id, "", "Range", c.header)
			wantHeader(t, rec, "Content-Type", "image/png") // sniffed from the start, whatever the range
			wantHeader(t, rec, "ETag", `"`+id+`"`)
			if c.to < 0 {
				if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), content) {
					t.Fatalf("%d, %d bytes, want 200 with everything", rec.Code, rec.Body.Len())
				}
				wantHeader(t, rec, "Content-Range", "")
				return
			}
			if rec.Code != 206 || !bytes.Equal(rec.Body.Bytes(), content[c.from:c.to+1]) {
				t.Fatalf("%d, %d bytes, want 206 with bytes %d-%d", rec.Code, rec.Body.Len(), c.from, c.to)
			}
			wantHeader(t, rec, "Content-Range", "bytes "+strconv.Itoa(c.from)+"-"+strconv.Itoa(c.to)+"/1000")
			wantHeader(t, rec, "Content-Length", strconv.Itoa(c.to-c.from+1))
		})
	}
}

func TestStorageGetRangeNotSatisfiable(t *testing.T) {
	e := newStorageEnv(t, nil)
	id := e.putContent(t, pattern(100), "")
	empty := e.putContent(t, nil, "")
	cases := []struct{ id, header, size string }{
		{id, "bytes=100-", "100"},
		{id, "bytes=200-300", "100"},
		{id, "bytes=-0", "100"},
		{id, "bytes=99999999999999999999-", "100"},
		{empty, "bytes=0-", "0"},
		{empty, "bytes=-1", "0"},
	}
	for _, c := range cases {
		rec := e.Do(t, "GET", "/v1/storage/get/"+c.id, "", "Range", c.header)
		if rec.Code != http.StatusRequestedRangeNotSatisfiable {
			t.Errorf("%s: %d, want 416", c.header, rec.Code)
			continue
		}
		wantHeader(t, rec, "Content-Range", "bytes */"+c.size)
		if m := apitest.JSONBody(t, rec); m["error"] != "range not satisfiable" {
			t.Errorf("%s: body %v", c.header, m)
		}
	}
}

func TestStorageGetConditional(t *testing.T) {
	e := newStorageEnv(t, nil)
	content := pattern(4000)
	id := e.putContent(t, content, "c.bin")
	etag := `"` + id + `"`
	for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
		rec := e.Do(t, "GET", "/v1/storage/get/"+id, "", "If-None-Match", inm)
		if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
			t.Errorf("If-None-Match %s: %d with %d bytes, want 304 and no body", inm, rec.Code, rec.Body.Len())
		}
		wantHeader(t, rec, "ETag", etag)
	}
	rec := e.Do(t, "GET", "/v1/storage/get/"+id, "", "If-None-Match", `"QmOther"`)
	if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), content) {
		t.Errorf("If-None-Match other: %d", rec.Code)
	}
	// If-Range: the range only while the ETag still matches.
	rec = e.Do(t, "GET", "/v1/storage/get/"+id, "", "Range", "bytes=0-9", "If-Range", etag)
	if rec.Code != 206 || rec.Body.Len() != 10 {
		t.Errorf("If-Range matching: %d, %d bytes", rec.Code, rec.Body.Len())
	}
	rec = e.Do(t, "GET", "/v1/storage/get/"+id, "", "Range", "bytes=0-9", "If-Range", `"QmOther"`)
	if rec.Code != 200 || rec.Body.Len() != len(content) {
		t.Errorf("If-Range other: %d, %d bytes", rec.Code, rec.Body.Len())
	}
	// An unknown CID is 404 even with a matching If-None-Match.
	unknown := "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"
	apitest.WantError(t, e.Do(t, "GET", "/v1/storage/get/"+unknown, "", "If-None-Match", `"`+unknown+`"`), 404, sdk.CodeNotFound, "content not found")
}

func TestStorageGetUnknown(t *testing.T) {
	e := newStorageEnv(t, nil)
	unknown := "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"
	apitest.WantError(t, e.Do(t, "GET", "/v1/storage/get/"+unknown, ""), 404, sdk.CodeNotFound, "content not found")
	apitest.WantError(t, e.Do(t, "GET", "/v1/storage/get/"+unknown, "", "Range", "bytes=0-1"), 404, sdk.CodeNotFound, "content not found")
}

// The response starts while the content is still being read: the
// handler copies chunk by chunk instead of reading it all first. The
// store's reader holds back the rest until the client has seen the first
// bytes; a handler that read everything first would never send them.
func TestStorageGetStreams(t *testing.T) {
	e := newStorageEnv(t, nil)
	content := pattern(3 * storage.ChunkSize)
	id := e.putContent(t, content, "s.bin")
	release := make(chan struct{})
	e.Plugins.Mu.Lock()
	e.Plugins.Store = &heldStore{recordingStore: e.store, release: release, after: storage.ChunkSize}
	e.Plugins.Mu.Unlock()

	srv := httptest.NewServer(e.Srv.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/v1/storage/get/" + id)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	br := bufio.NewReader(resp.Body)
	first := make([]byte, 1024)
	if _, err := io.ReadFull(br, first); err != nil {
		t.Fatal(err)
	}
	close(release)
	rest, err := io.ReadAll(br)
	if err != nil {
		t.Fatal(err)
	}
	if got := append(first, rest...); !bytes.Equal(got, content) {
		t.Fatalf("got %d bytes, want the %d stored", len(got), len(content))
	}
}

// heldStore's Get readers stop after `after` bytes until release closes.
type heldStore struct {
	*recordingStore
	release chan struct{}
	after   int
}

func (h *heldStore) Get(ctx context.Context, ns, id string, off, n int64) (io.ReadCloser, storage.Stat, error) {
	rc, st, err := h.recordingStore.Get(ctx, ns, id, off, n)
	if err != nil || n >= 0 {
		return rc, st, err // ranged reads (the sniff) are not held
	}
	return &heldReader{ReadCloser: rc, left: h.after, release: h.release}, st, nil
}

type heldReader struct {
	io.ReadCloser
	left    int
	release chan struct{}
}

func (h *heldReader) Read(p []byte) (int, error) {
	if h.left == 0 {
		<-h.release
		return h.ReadCloser.Read(p)
	}
	n, err := h.ReadCloser.Read(p[:min(len(p), h.left)])
	h.left -= n
	return n, err
}

// RFC 9110 §14.2: a malformed Range is ignored — the whole content, 200
// (GET and HEAD) — not refused with 416.
func TestStorageGetRangeMalformedIgnored(t *testing.T) {
	e := newStorageEnv(t, nil)
	content := pattern(100)
	id := e.putContent(t, content, "")
	for _, h := range []string{"bytes=abc", "bytes=5-2", "bytes=1-x", "bytes=+1-2", "bytes=", "bytes=-", "bytes=3", "bytes=-1-2"} {
		rec := e.Do(t, "GET", "/v1/storage/get/"+id, "", "Range", h)
		if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), content) {
			t.Errorf("GET with Range %q: %d, %d bytes; want 200 with the whole content", h, rec.Code, rec.Body.Len())
			continue
		}
		wantHeader(t, rec, "Content-Length", "100")
		if cr := rec.Header().Get("Content-Range"); cr != "" {
			t.Errorf("GET with Range %q: Content-Range %q on a 200", h, cr)
		}
		rec = e.Do(t, "HEAD", "/v1/storage/get/"+id, "", "Range", h)
		if rec.Code != http.StatusOK {
			t.Errorf("HEAD with Range %q: %d, want 200", h, rec.Code)
		}
	}
}

// A client that stops reading is cut off after the request timeout
// without progress, and the content stream is closed.
func TestStorageGetStalled(t *testing.T) {
	e := newStorageEnv(t, func(o *server.Options) { o.RequestTimeout = 300 * time.Millisecond })
	closed := make(chan struct{})
	e.Plugins.Mu.Lock()
	e.Plugins.Store = &endlessStore{recordingStore: e.store, closed: closed}
	e.Plugins.Mu.Unlock()
	srv := httptest.NewServer(e.Srv.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/v1/storage/get/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	// Read nothing: the server fills the socket buffers, then its write
	// waits past the timeout.
	select {
	case <-closed:
	case <-time.After(time.Minute): // a liveness guard, not a timing assertion
		t.Fatal("the content stream of a stalled download stayed open")
	}
}

// endlessStore serves 1 GiB of zeros for any CID and reports when the
// reader is closed.
type endlessStore struct {
	*recordingStore
	closed chan struct{}
}

func (s *endlessStore) Status(ctx context.Context, ns, id string) (storage.PinStatus, error) {
	return storage.PinStatus{}, sdk.Errorf(sdk.CodeNotFound, "pin not found")
}

func (s *endlessStore) Get(ctx context.Context, ns, id string, off, n int64) (io.ReadCloser, storage.Stat, error) {
	const size = 1 << 30
	return &closeSignal{Reader: io.LimitReader(zeros{}, size-off), closed: s.closed}, storage.Stat{CID: id, Size: size}, nil
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

type closeSignal struct {
	io.Reader
	once   sync.Once
	closed chan struct{}
}

func (c *closeSignal) Close() error {
	c.once.Do(func() { close(c.closed) })
	return nil
}

// HEAD answers GET's headers — Content-Length, ETag, Content-Type,
// Accept-Ranges, Content-Disposition, Content-Range — and no body, for
// whole content and ranges (including one that sniffs separately).
func TestStorageHead(t *testing.T) {
	e := newStorageEnv(t, nil)
	content := append(append([]byte{}, pngHead...), pattern(3000)...)
	id := e.putContent(t, content, "pic.png")
	for _, rng := range []string{"", "bytes=0-99", "bytes=1000-", "bytes=abc"} {
		var hdr []string
		if rng != "" {
			hdr = []string{"Range", rng}
		}
		get := e.Do(t, "GET", "/v1/storage/get/"+id, "", hdr...)
		head := e.Do(t, "HEAD", "/v1/storage/get/"+id, "", hdr...)
		if head.Code != get.Code || head.Body.Len() != 0 {
			t.Errorf("Range %q: HEAD %d with %d body bytes, GET %d", rng, head.Code, head.Body.Len(), get.Code)
		}
		for _, h := range []string{"Content-Length", "ETag", "Content-Type", "Accept-Ranges", "Content-Disposition", "Content-Range", "X-Content-Type-Options"} {
			if g, hd := get.Header().Get(h), head.Header().Get(h); g != hd {
				t.Errorf("Range %q: %s: HEAD %q, GET %q", rng, h, hd, g)
			}
		}
		if head.Header().Get("Content-Type") != "image/png" {
			t.Errorf("Range %q: HEAD Content-Type %q", rng, head.Header().Get("Content-Type"))
		}
	}
	unknown := e.putUnpinned(t, []byte("nobody pins this"))
	if rec := e.Do(t, "HEAD", "/v1/storage/get/"+unknown, ""); rec.Code != 404 {
		t.Errorf("HEAD of unpinned content: %d, want 404", rec.Code)
	}
}
