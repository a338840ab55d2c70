package storage_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/orama-network/orama/host/internal/api/apitest"
	storageapi "github.com/orama-network/orama/host/internal/api/storage"
	"github.com/orama-network/orama/host/internal/server"
	"github.com/orama-network/orama/host/internal/server/servertest"
	"github.com/orama-network/orama/sdk"
	"github.com/orama-network/orama/sdk/storage"
)

func TestStorageUploadMultipart(t *testing.T) {
	e := newStorageEnv(t, nil)
	content := pattern(200 << 10) // over the 64 KiB MaxBodyBytes of the test server
	id := uploadOK(t, e.upload(t, fileParts("photo.bin", content)), "photo.bin", len(content))
	if !bytes.Equal(e.stored(t, id), content) {
		t.Fatal("stored content differs from the upload")
	}
	p, err := e.store.Memory.Status(t.Context(), "default", id)
	if err != nil || p.Name != "photo.bin" || p.Status != storage.StatusPinned {
		t.Fatalf("pin after upload: %+v, %v", p, err)
	}
	if calls := e.store.callsMade(); len(calls) != 1 || calls[0] != "Put default" {
		t.Errorf("plugin calls %v, want one Put in namespace default", calls)
	}
}

func TestStorageUploadMultipartPinField(t *testing.T) {
	content := []byte("pin field test\n")
	file := formPart{field: "file", filename: "a.txt", content: content}
	cases := []struct {
		name   string
		parts  []formPart
		pinned bool
	}{
		{"no pin field", []formPart{file}, true},
		{"pin true first", []formPart{{field: "pin", content: []byte("true")}, file}, true},
		{"pin false first", []formPart{{field: "pin", content: []byte("false")}, file}, false},
		{"pin FALSE first", []formPart{{field: "pin", content: []byte("FALSE")}, file}, false},
		{"empty pin is the default", []formPart{{field: "pin"}, file}, true},
		{"late pin agreeing", []formPart{file, {field: "pin", content: []byte("true")}}, true},
		{"late pin agreeing with false", []formPart{{field: "pin", content: []byte("false")}, file, {field: "pin", content: []byte("false")}}, false},
		{"other fields skipped", []formPart{{field: "note", content: []byte("x")}, file, {field: "more", content: []byte("y")}}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newStorageEnv(t, nil)
			id := uploadOK(t, e.upload(t, c.parts), "a.txt", len(content))
			if !bytes.Equal(e.stored(t, id), content) {
				t.Error("stored content differs")
			}
			if got := len(e.pins(t, "default")) == 1; got != c.pinned {
				t.Errorf("pinned = %v, want %v", got, c.pinned)
			}
		})
	}
}

func TestStorageUploadMultipartRefused(t *testing.T) {
	file := formPart{field: "file", filename: "a.txt", content: []byte("abc")}
	cases := []struct {
		name  string
		parts []formPart
		msg   string
	}{
		{"no file", []formPart{{field: "pin", content: []byte("true")}}, `multipart field "file" is required`},
		{"empty form", nil, `multipart field "file" is required`},
		{"bad pin", []formPart{{field: "pin", content: []byte("yes")}, file}, `pin must be "true" or "false"`},
		{"late pin contradicting", []formPart{file, {field: "pin", content: []byte("false")}}, storageapi.UploadPinLate},
		{"late bad pin", []formPart{file, {field: "pin", content: []byte("maybe")}}, `pin must be "true" or "false"`},
		{"two files", []formPart{file, file}, `only one "file" part per upload`},
		{"huge other field", []formPart{{field: "meta", content: bytes.Repeat([]byte("m"), storageapi.MaxFormField+1)}, file}, `form field "meta" larger than`},
		{"name too long", []formPart{{field: "file", filename: strings.Repeat("n", storageapi.MaxPinName+1), content: []byte("x")}}, "name longer than 1024 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newStorageEnv(t, func(o *server.Options) { o.MaxBodyBytes = 1 << 10 })
			e.wantRefused(t, e.upload(t, c.parts), c.msg)
		})
	}
}

func TestStorageUploadBrokenMultipart(t *testing.T) {
	e := newStorageEnv(t, nil)
	body, ct := multipartBody(t, fileParts("a.txt", pattern(5000))...)
	// Cut inside the file: the upload must fail, not store a prefix.
	apitest.WantError(t, e.raw(t, "POST", "/v1/storage/upload", body[:3000], "Content-Type", ct), 400, sdk.CodeInvalid, "reading the upload")
	apitest.WantError(t, e.raw(t, "POST", "/v1/storage/upload", body, "Content-Type", "multipart/form-data"), 400, sdk.CodeInvalid, "invalid multipart body")
	if ps := e.pins(t, "default"); len(ps) != 0 {
		t.Errorf("broken uploads left pins: %+v", ps)
	}
}

func TestStorageUploadJSON(t *testing.T) {
	content := pattern(100 << 10) // its base64 is over the 64 KiB MaxBodyBytes
	b64 := base64.StdEncoding.EncodeToString(content)
	cases := []struct{ name, body, wantName string }{
		{"name first", `{"name":"x.bin","data":"` + b64 + `"}`, "x.bin"},
		{"name last", `{"data":"` + b64 + `","name":"late.bin"}`, "late.bin"},
		{"no name", `{"data":"` + b64 + `"}`, ""},
		{"null name", `{"name":null,"data":"` + b64 + `"}`, ""},
		{"keys any case, white space", " \n{ \"Name\" : \"c.bin\" ,\r\n\t\"DATA\":\"" + b64 + "\" }\n", "c.bin"},
		{"unknown fields skipped", `{"meta":{"a":[1,-2.5e3,true,false,null,{"b":"\"q\""}],"c":{}},"list":[],"n":0,"data":"` + b64 + `","x":"y","name":"u.bin"}`, "u.bin"},
		{"escaped slashes and line breaks", `{"name":"e.bin","data":"` + mimeStyle(b64) + `"}`, "e.bin"},
		{"unicode name", `{"name":"caf\u00e9 \ud83d\ude00 \ud800.txt","data":"` + b64 + `"}`, "café 😀 \uFFFD.txt"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newStorageEnv(t, nil)
			id := uploadOK(t, e.raw(t, "POST", "/v1/storage/upload", []byte(c.body), "Content-Type", "application/json"), c.wantName, len(content))
			if !bytes.Equal(e.stored(t, id), content) {
				t.Fatal("stored content differs from the upload")
			}
			p, err := e.store.Memory.Status(t.Context(), "default", id)
			if err != nil || p.Name != c.wantName {
				t.Fatalf("pin %+v (%v), want name %q", p, err, c.wantName)
			}
		})
	}
}

// mimeStyle writes b64 the way some encoders do: "/" escaped as "\/" and
// a line break every 76 characters.
func mimeStyle(b64 string) string {
	var b strings.Builder
	for i := 0; i < len(b64); i += 76 {
		line := b64[i:min(i+76, len(b64))]
		b.WriteString(strings.ReplaceAll(line, "/", `\/`))
		b.WriteString(`\r\n`)
	}
	return b.String()
}

func TestStorageUploadJSONEmptyData(t *testing.T) {
	e := newStorageEnv(t, nil)
	id := uploadOK(t, e.Do(t, "POST", "/v1/storage/upload", `{"name":"empty","data":""}`), "empty", 0)
	if got := e.stored(t, id); len(got) != 0 {
		t.Errorf("stored %d bytes", len(got))
	}
}

func TestStorageUploadJSONRefused(t *testing.T) {
	cases := []struct{ name, body, msg string }{
		{"empty body", "", "invalid JSON body: empty body"},
		{"not an object", `["data"]`, "expected an object"},
		{"no data", `{"name":"a"}`, "data is required"},
		{"data not a string", `{"data":5}`, "data must be a base64 string"},
		{"data null", `{"data":null}`, "data must be a base64 string"},
		{"bad base64", `{"data":"aGk*"}`, "data is not valid base64"},
		{"bad padding", `{"data":"aGk"}`, "data is not valid base64"},
		{"unicode in base64", `{"data":"aG\u00e9k="}`, "data is not valid base64"},
		{"trailing data", `{"data":"aGk="} {}`, "unexpected data after the JSON value"},
		{"data twice", `{"data":"aGk=","data":"aGk="}`, "data given twice"},
		{"missing comma", `{"name":"a" "data":"aGk="}`, "expected ',' or '}'"},
		{"missing colon", `{"data" "aGk="}`, "expected ':'"},
		{"truncated in data", `{"data":"aGk=`, "unexpected end of input"},
		{"truncated after data", `{"data":"aGk=",`, "unexpected end of input"},
		{"control character", "{\"data\":\"aG\nk=\"}", "control character"},
		{"bad escape", `{"data":"aG\k="}`, "invalid escape"},
		{"name not a string", `{"name":1,"data":"aGk="}`, "name must be a string"},
		{"late name not a string", `{"data":"aGk=","name":[]}`, "name must be a string"},
		{"name too long", `{"name":"` + strings.Repeat("n", storageapi.MaxPinName+1) + `","data":"aGk="}`, "name longer than 1024 bytes"},
		{"bad literal", `{"x":nul,"data":"aGk="}`, "invalid literal"},
		{"deep nesting", `{"x":` + strings.Repeat("[", storageapi.MaxJSONDepth+2) + `,"data":"aGk="}`, "nested deeper than"},
		{"stray character", `{"x":@,"data":"aGk="}`, "unexpected character"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newStorageEnv(t, nil)
			e.wantRefused(t, e.raw(t, "POST", "/v1/storage/upload", []byte(c.body), "Content-Type", "application/json"), c.msg)
		})
	}
}

func TestStorageUploadTooLarge(t *testing.T) {
	const limit = 1000
	e := newStorageEnv(t, func(o *server.Options) { o.MaxUploadBytes = limit; o.MaxBodyBytes = 100 })
	// Exactly the limit is fine, in both forms.
	uploadOK(t, e.upload(t, fileParts("max", pattern(limit))), "max", limit)
	uploadOK(t, e.Do(t, "POST", "/v1/storage/upload", `{"name":"max","data":"`+base64.StdEncoding.EncodeToString(pattern(limit))+`"}`), "max", limit)
	before := e.pins(t, "default")

	over := pattern(limit + 1)
	over[0] = 'X' // content no earlier upload had
	apitest.WantError(t, e.upload(t, fileParts("big", over)), 413, sdk.CodeTooLarge, "upload larger than 1000 bytes")
	apitest.WantError(t, e.Do(t, "POST", "/v1/storage/upload", `{"name":"big","data":"`+base64.StdEncoding.EncodeToString(over)+`"}`), 413, sdk.CodeTooLarge, "upload larger than 1000 bytes")
	if after := e.pins(t, "default"); len(after) != len(before) {
		t.Errorf("pins %d after refused uploads, want %d", len(after), len(before))
	}

	// A declared body beyond the upload body limit is refused before a
	// byte is read.
	body := &countingReader{r: bytes.NewReader(make([]byte, storageapi.UploadBodyLimit(limit)+1))}
	req := httptest.NewRequest("POST", "/v1/storage/upload", body)
	req.ContentLength = storageapi.UploadBodyLimit(limit) + 1
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	e.Srv.Handler().ServeHTTP(rec, req)
	apitest.WantError(t, rec, 413, sdk.CodeTooLarge, "request body larger than")
	if body.n != 0 {
		t.Errorf("read %d bytes of a body refused by its Content-Length", body.n)
	}
	// Other routes keep MaxBodyBytes.
	apitest.WantError(t, e.Do(t, "POST", "/v1/storage/pin", `{"cid":"`+strings.Repeat("x", 200)+`"}`), 413, sdk.CodeTooLarge, "request body larger than 100 bytes")
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// The file reaches Put while the client is still sending it: the handler
// neither parses the whole form nor buffers the file. The client sends
// half the file, then waits until the store has read that half before it
// sends the rest; a handler that buffered would never let the store read.
func TestStorageUploadStreams(t *testing.T) {
	e := newStorageEnv(t, nil)
	gate := &gatedStore{recordingStore: e.store, want: 64 << 10, reached: make(chan struct{})}
	e.Plugins.Mu.Lock()
	e.Plugins.Store = gate
	e.Plugins.Mu.Unlock()

	content := pattern(256 << 10)
	body, ct := multipartBody(t, fileParts("s.bin", content)...)
	split := bytes.Index(body, content) + len(content)/2
	pr, pw := io.Pipe()
	req := httptest.NewRequest("POST", "/v1/storage/upload", pr)
	req.Header.Set("Content-Type", ct)
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.Srv.Handler().ServeHTTP(rec, req)
	}()
	if _, err := pw.Write(body[:split]); err != nil {
		t.Fatal(err)
	}
	select {
	case <-gate.reached:
	case <-time.After(time.Minute): // a liveness guard, not a timing assertion
		t.Fatal("the store read nothing while the body was incomplete: the handler buffers uploads")
	}
	if _, err := pw.Write(body[split:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	<-done
	id := uploadOK(t, rec, "s.bin", len(content))
	if !bytes.Equal(e.stored(t, id), content) {
		t.Fatal("stored content differs")
	}
}

// gatedStore closes reached once Put has read want bytes of the upload.
type gatedStore struct {
	*recordingStore
	want    int
	reached chan struct{}
}

func (g *gatedStore) Put(ctx context.Context, ns string, r io.Reader, o storage.PutOptions) (storage.PutResult, error) {
	return g.recordingStore.Put(ctx, ns, &watchReader{r: r, want: g.want, reached: g.reached}, o)
}

type watchReader struct {
	r       io.Reader
	n, want int
	reached chan struct{}
}

func (w *watchReader) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	if w.n < w.want && w.n+n >= w.want {
		close(w.reached)
	}
	w.n += n
	return n, err
}

func TestStorageUploadNamespace(t *testing.T) {
	e := withStore(servertest.NewAuth(t, nil))
	rec := e.upload(t, fileParts("a.txt", []byte("alpha's\n")), "X-API-Key", apitest.KeyAlpha)
	id := uploadOK(t, rec, "a.txt", 8)
	if _, err := e.store.Memory.Status(t.Context(), "alpha", id); err != nil {
		t.Errorf("alpha's upload is not pinned in alpha: %v", err)
	}
	if _, err := e.store.Memory.Status(t.Context(), "beta", id); err == nil {
		t.Error("alpha's upload is pinned in beta")
	}
	apitest.WantError(t, e.upload(t, fileParts("a.txt", []byte("x"))), 401, sdk.CodeUnauthorized, "")
	if calls := e.store.callsMade(); len(calls) != 1 || calls[0] != "Put alpha" {
		t.Errorf("plugin calls %v, want [Put alpha]", calls)
	}
}

// A client that stops sending halfway is cut off after the request
// timeout without progress: the upload fails and pins nothing.
func TestStorageUploadStalled(t *testing.T) {
	e := newStorageEnv(t, func(o *server.Options) { o.RequestTimeout = 300 * time.Millisecond })
	srv := httptest.NewServer(e.Srv.Handler())
	defer srv.Close()
	body, ct := multipartBody(t, fileParts("stall.bin", pattern(1<<20))...)
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	head := "POST /v1/storage/upload HTTP/1.1\r\nHost: x\r\nContent-Type: " + ct +
		"\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n"
	if _, err := conn.Write(append([]byte(head), body[:len(body)/2]...)); err != nil {
		t.Fatal(err)
	}
	// Send nothing more; wait for the answer.
	_ = conn.SetReadDeadline(time.Now().Add(time.Minute)) // a liveness guard only
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a stalled upload: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || !strings.Contains(string(b), "reading the upload") {
		t.Fatalf("stalled upload: %d %s, want 400 reading the upload", resp.StatusCode, b)
	}
	if ps := e.pins(t, "default"); len(ps) != 0 {
		t.Errorf("a stalled upload left pins: %+v", ps)
	}
}

// Once the body has been read to its end, the idle limit no longer
// applies: a Put that takes longer than the request timeout to finish
// (a slow pin) completes, its request context intact. (net/http's
// background read, which starts at the body's end and cancels the
// context when it fails, must not inherit an idle deadline.)
func TestStorageUploadSlowFinish(t *testing.T) {
	const timeout = 200 * time.Millisecond
	e := newStorageEnv(t, func(o *server.Options) { o.RequestTimeout = timeout })
	e.Plugins.Mu.Lock()
	e.Plugins.Store = &slowFinishStore{recordingStore: e.store, wait: 3 * timeout}
	e.Plugins.Mu.Unlock()
	srv := httptest.NewServer(e.Srv.Handler())
	defer srv.Close()
	resp, err := http.Post(srv.URL+"/v1/storage/upload", "application/json", strings.NewReader(`{"name":"s","data":"aGk="}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("upload with a slow finish: %d %s", resp.StatusCode, b)
	}
}

// slowFinishStore's Put reads the upload, then waits before it stores
// it, failing if its context ends meanwhile.
type slowFinishStore struct {
	*recordingStore
	wait time.Duration
}

func (s *slowFinishStore) Put(ctx context.Context, ns string, r io.Reader, o storage.PutOptions) (storage.PutResult, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return storage.PutResult{}, err
	}
	select {
	case <-ctx.Done():
		return storage.PutResult{}, sdk.Errorf(sdk.CodeInternal, "request context ended while the upload finished: %v", ctx.Err())
	case <-time.After(s.wait):
	}
	return s.recordingStore.Put(ctx, ns, bytes.NewReader(b), o)
}
