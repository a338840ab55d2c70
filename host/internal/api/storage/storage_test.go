package storage_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/host/internal/server"
	"github.com/orama-network/orama/host/internal/server/servertest"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/storage"
	"github.com/orama-network/orama/sdk/storage/storagetest"
)

// recordingStore is storagetest.Memory that records the namespace of
// every call by method.
type recordingStore struct {
	*storagetest.Memory
	mu    sync.Mutex
	calls []string // "Method namespace"
}

func (s *recordingStore) record(method, ns string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, method+" "+ns)
}

func (s *recordingStore) callsMade() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.calls...)
}

func (s *recordingStore) Put(ctx context.Context, ns string, r io.Reader, o storage.PutOptions) (storage.PutResult, error) {
	s.record("Put", ns)
	return s.Memory.Put(ctx, ns, r, o)
}

func (s *recordingStore) Get(ctx context.Context, ns, id string, off, n int64) (io.ReadCloser, storage.Stat, error) {
	s.record("Get", ns)
	return s.Memory.Get(ctx, ns, id, off, n)
}

func (s *recordingStore) Stat(ctx context.Context, ns, id string) (storage.Stat, error) {
	s.record("Stat", ns)
	return s.Memory.Stat(ctx, ns, id)
}

func (s *recordingStore) Pin(ctx context.Context, ns, id, name string, repl int) (storage.PinStatus, error) {
	s.record("Pin", ns)
	return s.Memory.Pin(ctx, ns, id, name, repl)
}

func (s *recordingStore) Unpin(ctx context.Context, ns, id string) error {
	s.record("Unpin", ns)
	return s.Memory.Unpin(ctx, ns, id)
}

func (s *recordingStore) Status(ctx context.Context, ns, id string) (storage.PinStatus, error) {
	s.record("Status", ns)
	return s.Memory.Status(ctx, ns, id)
}

// storageEnv is a testEnv whose storage domain is a recordingStore.
type storageEnv struct {
	*servertest.Env
	store *recordingStore
}

func withStore(e *servertest.Env) *storageEnv {
	st := &recordingStore{Memory: storagetest.NewMemory()}
	e.Plugins.Mu.Lock()
	e.Plugins.Store = st
	e.Plugins.Mu.Unlock()
	return &storageEnv{Env: e, store: st}
}

// newStorageEnv has authentication off (namespace "default") and the
// test defaults, whose MaxBodyBytes is 64 KiB: uploads larger than that
// show the generic body limit does not apply to them.
func newStorageEnv(t testing.TB, mod func(*server.Options)) *storageEnv {
	t.Helper()
	return withStore(servertest.New(t, mod))
}

// formPart is one part of a multipart body; a file when filename is set.
type formPart struct {
	field, filename string
	content         []byte
}

func fileParts(name string, content []byte) []formPart {
	return []formPart{{field: "file", filename: name, content: content}}
}

// multipartBody encodes parts in order; it returns the body and its
// Content-Type.
func multipartBody(t testing.TB, parts ...formPart) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		var w io.Writer
		var err error
		if p.filename != "" {
			w, err = mw.CreateFormFile(p.field, p.filename)
		} else {
			w, err = mw.CreateFormField(p.field)
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(p.content); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), mw.FormDataContentType()
}

// upload posts a multipart body through the full handler.
func (e *storageEnv) upload(t testing.TB, parts []formPart, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	body, ct := multipartBody(t, parts...)
	return e.raw(t, "POST", "/v1/storage/upload", body, append([]string{"Content-Type", ct}, hdr...)...)
}

// raw sends body as it is; hdr are name/value pairs.
func (e *storageEnv) raw(t testing.TB, method, path string, body []byte, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	e.Srv.Handler().ServeHTTP(rec, req)
	return rec
}

// uploadOK checks a 200 upload answer and returns its CID.
func uploadOK(t testing.TB, rec *httptest.ResponseRecorder, name string, size int) string {
	t.Helper()
	if rec.Code != http.StatusOK {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body)
	}
	m := apitest.JSONBody(t, rec)
	id, _ := m["cid"].(string)
	if storage.CheckCID(id) != nil || m["name"] != name || m["size"] != jsonNum(size) || len(m) != 3 {
		t.Fatalf("upload answer %s, want {cid, name:%q, size:%d}", rec.Body, name, size)
	}
	return id
}

// jsonNum is how apitest.JSONBody (UseNumber) decodes an integer.
func jsonNum(n int) json.Number { return json.Number(strconv.Itoa(n)) }

// stored returns the content of id in the store.
func (e *storageEnv) stored(t testing.TB, id string) []byte {
	t.Helper()
	b, ok := e.store.Memory.Blob(id)
	if !ok {
		t.Fatalf("content %s: not stored", id)
	}
	return b
}

// pins returns the CIDs ns pins.
func (e *storageEnv) pins(t testing.TB, ns string) []storage.PinStatus {
	t.Helper()
	ps, err := e.store.Memory.Pins(t.Context(), ns)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// wantRefused checks that rec is a 400 invalid upload naming msg and
// that the default namespace pins nothing after it.
func (e *storageEnv) wantRefused(t testing.TB, rec *httptest.ResponseRecorder, msg string) {
	t.Helper()
	apitest.WantError(t, rec, 400, sdk.CodeInvalid, msg)
	if ps := e.pins(t, "default"); len(ps) != 0 {
		t.Errorf("a refused upload left pins: %+v", ps)
	}
}

// pattern is n bytes of a repeating, position-dependent pattern.
func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/251)
	}
	return b
}

func TestStorageUnavailable(t *testing.T) {
	e := servertest.New(t, nil) // no store: the plugin is down
	for _, c := range []struct{ method, path, body string }{
		{"POST", "/v1/storage/upload", `{"name":"a","data":"aGk="}`},
		{"POST", "/v1/storage/pin", `{"cid":"QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"}`},
		{"GET", "/v1/storage/status/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", ""},
		{"GET", "/v1/storage/get/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", ""},
		{"DELETE", "/v1/storage/unpin/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", ""},
	} {
		rec := e.Do(t, c.method, c.path, c.body)
		apitest.WantError(t, rec, 503, sdk.CodeUnavailable, "storage plugin is restarting")
		if rec.Header().Get("Retry-After") == "" {
			t.Errorf("%s %s: no Retry-After", c.method, c.path)
		}
	}
}

func TestStorageMalformedCID(t *testing.T) {
	e := newStorageEnv(t, nil)
	for _, c := range []struct{ method, path, body string }{
		{"GET", "/v1/storage/get/not-a-cid", ""},
		{"GET", "/v1/storage/status/Qm123", ""},
		{"DELETE", "/v1/storage/unpin/bafy%21", ""},
		{"POST", "/v1/storage/pin", `{"cid":"nope"}`},
	} {
		apitest.WantError(t, e.Do(t, c.method, c.path, c.body), 400, sdk.CodeInvalid, "malformed CID")
	}
	if calls := e.store.callsMade(); len(calls) != 0 {
		t.Errorf("malformed CIDs reached the plugin: %v", calls)
	}
}
