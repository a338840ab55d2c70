package e2e

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// Issue 8 on the storage routes, mounted over HTTP against the real host
// and the real storage plugin (embedded driver):
//   - defect 6: a CID is no key to another namespace's content;
//   - defect 9: invalid UTF-8 in an upload's name is 400, not 500;
//   - a malformed Range is ignored (RFC 9110), HEAD answers GET's headers.

// securityStorageHost starts a host with the storage, SQLite database and
// auth plugins (simple keys allowed) and returns it with an API key of
// namespace "alpha" and one of "beta", as header pairs.
func securityStorageHost(t *testing.T) (h *host, alpha, beta []string) {
	t.Helper()
	h = storageHost(t, "", databaseBlock(`    driver = "sqlite"`)+
		authBlock(`    allow_simple_keys = true`))
	key := func(wallet, ns string) []string {
		resp, b := h.request("POST", "/v1/auth/simple-key", strings.NewReader(`{"wallet":"`+wallet+`","namespace":"`+ns+`"}`), "Content-Type", "application/json")
		k, _ := decodeObject(t, b)["api_key"].(string)
		if resp.StatusCode != 200 || k == "" {
			t.Fatalf("simple-key for %s: %d %s", ns, resp.StatusCode, b)
		}
		return []string{"X-API-Key", k}
	}
	return h, key("0x1111111111111111111111111111111111111111", "alpha"),
		key("0x2222222222222222222222222222222222222222", "beta")
}

// TestSecurityStorageCIDNeedsAPin: alpha's file, asked for by CID with
// beta's key, is 404 on every read route — GET, HEAD, a range, a
// conditional GET — exactly like content that was never stored, and beta
// cannot pin it by CID either. Beta gets its own pin only by uploading the
// bytes; then alpha's unpin leaves beta's reads alone and ends alpha's.
func TestSecurityStorageCIDNeedsAPin(t *testing.T) {
	h, alpha, beta := securityStorageHost(t)
	secret := []byte("alpha's payroll, not for beta: 4242 4242 4242 4242\n")
	code, m := h.uploadForm("payroll.txt", secret, nil, alpha...)
	id, _ := m["cid"].(string)
	if code != 200 || id == "" {
		t.Fatalf("alpha's upload: %d %v", code, m)
	}
	// A well-formed CID of content never stored (kubo's CID of 3 MiB of
	// "a", BACKENDS.md): beta's answers for alpha's CID must match these.
	const never = "Qmap3J76mEJhxk9Bh1C4cjuKv4gFTaJNYzADWW27R8YM4H"
	_, neverBody := h.request("GET", "/v1/storage/get/"+never, nil, beta...)
	neverMsg, _ := decodeObject(t, neverBody)["error"].(string)

	reads := []struct {
		what, method string
		hdr          []string
	}{
		{"GET", "GET", nil},
		{"HEAD", "HEAD", nil},
		{"GET with Range", "GET", []string{"Range", "bytes=0-9"}},
		{"GET with a suffix Range", "GET", []string{"Range", "bytes=-5"}},
		{"HEAD with Range", "HEAD", []string{"Range", "bytes=0-9"}},
		{"GET with If-None-Match", "GET", []string{"If-None-Match", `"` + id + `"`}},
		{"GET with If-None-Match *", "GET", []string{"If-None-Match", "*"}},
	}
	for _, r := range reads {
		resp, b := h.request(r.method, "/v1/storage/get/"+id, nil, append(r.hdr, beta...)...)
		if resp.StatusCode != 404 {
			t.Errorf("beta's %s of alpha's CID: %d %q, want 404", r.what, resp.StatusCode, b)
			continue
		}
		if bytes.Contains(b, secret[:10]) {
			t.Errorf("beta's %s of alpha's CID carries alpha's bytes: %q", r.what, b)
		}
		if r.method == "GET" {
			if msg, _ := decodeObject(t, b)["error"].(string); msg != neverMsg {
				t.Errorf("beta's %s of alpha's CID says %q, of content never stored %q: they must not differ", r.what, msg, neverMsg)
			}
		}
	}
	if resp, b := h.request("GET", "/v1/storage/status/"+id, nil, beta...); resp.StatusCode != 404 {
		t.Errorf("beta's status of alpha's CID: %d %s, want 404", resp.StatusCode, b)
	}
	if resp, b := h.request("POST", "/v1/storage/pin", strings.NewReader(`{"cid":"`+id+`","name":"mine.txt"}`),
		append([]string{"Content-Type", "application/json"}, beta...)...); resp.StatusCode != 404 {
		t.Fatalf("beta's pin by CID of alpha's content: %d %s, want 404", resp.StatusCode, b)
	}
	// The refused pin left beta nothing to read.
	if resp, b := h.request("GET", "/v1/storage/get/"+id, nil, beta...); resp.StatusCode != 404 {
		t.Fatalf("beta's get after a refused pin: %d %q, want 404", resp.StatusCode, b)
	}

	// Alpha reads its own file.
	if resp, b := h.request("GET", "/v1/storage/get/"+id, nil, alpha...); resp.StatusCode != 200 || !bytes.Equal(b, secret) {
		t.Fatalf("alpha's get: %d %q", resp.StatusCode, b)
	}

	// Beta holding the bytes uploads them: the same CID, its own pin.
	if code, m := h.uploadForm("copy.txt", secret, nil, beta...); code != 200 || m["cid"] != id {
		t.Fatalf("beta's upload of the same bytes: %d %v (want cid %s)", code, m, id)
	}
	if resp, b := h.request("DELETE", "/v1/storage/unpin/"+id, nil, alpha...); resp.StatusCode != 200 {
		t.Fatalf("alpha's unpin: %d %s", resp.StatusCode, b)
	}
	resp, b := h.request("GET", "/v1/storage/get/"+id, nil, beta...)
	if resp.StatusCode != 200 || !bytes.Equal(b, secret) || resp.Header.Get("Content-Disposition") != "attachment; filename=copy.txt" {
		t.Errorf("beta's get of its own pin: %d %q %q", resp.StatusCode, b, resp.Header.Get("Content-Disposition"))
	}
	if resp, b := h.request("GET", "/v1/storage/get/"+id, nil, alpha...); resp.StatusCode != 404 {
		t.Errorf("alpha's get after its unpin: %d %q, want 404", resp.StatusCode, b)
	}
}

// TestSecurityStorageRangeAndHead: "Range: bytes=abc" is ignored (200,
// the whole body) rather than refused; an unsatisfiable range is still
// 416; HEAD answers GET's headers with no body.
func TestSecurityStorageRangeAndHead(t *testing.T) {
	h := storageHost(t, "", "")
	content := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte("0123456789"), 30)...)
	code, m := h.uploadForm("pic.png", content, nil)
	id, _ := m["cid"].(string)
	if code != 200 || id == "" {
		t.Fatalf("upload: %d %v", code, m)
	}
	path := "/v1/storage/get/" + id
	for _, rng := range []string{"bytes=abc", "bytes=5-2", "bytes=1-x", "bytes="} {
		resp, b := h.request("GET", path, nil, "Range", rng)
		if resp.StatusCode != 200 || !bytes.Equal(b, content) || resp.Header.Get("Content-Range") != "" {
			t.Errorf("Range %q: %d, %d bytes, Content-Range %q; want 200 with the whole %d bytes", rng, resp.StatusCode, len(b), resp.Header.Get("Content-Range"), len(content))
		}
	}
	size := fmt.Sprint(len(content))
	if resp, _ := h.request("GET", path, nil, "Range", "bytes="+size+"-"); resp.StatusCode != 416 || resp.Header.Get("Content-Range") != "bytes */"+size {
		t.Errorf("unsatisfiable range: %d %q, want 416 bytes */%s", resp.StatusCode, resp.Header.Get("Content-Range"), size)
	}

	for _, hdr := range [][]string{nil, {"Range", "bytes=2-11"}, {"Range", "bytes=100-"}} {
		get, getBody := h.request("GET", path, nil, hdr...)
		head, headBody := h.request("HEAD", path, nil, hdr...)
		if head.StatusCode != get.StatusCode || len(headBody) != 0 || get.StatusCode/100 != 2 || len(getBody) == 0 {
			t.Errorf("%v: HEAD %d with %d body bytes; GET %d with %d", hdr, head.StatusCode, len(headBody), get.StatusCode, len(getBody))
			continue
		}
		for _, name := range []string{"Content-Length", "ETag", "Content-Type", "Accept-Ranges", "Content-Range", "Content-Disposition"} {
			if g, hd := get.Header.Get(name), head.Header.Get(name); g != hd || (g == "" && name != "Content-Range") {
				t.Errorf("%v: %s: HEAD %q, GET %q", hdr, name, hd, g)
			}
		}
		if ct := head.Header.Get("Content-Type"); ct != "image/png" {
			t.Errorf("%v: HEAD Content-Type %q, want image/png (sniffed from the file's start)", hdr, ct)
		}
	}
	if resp, _ := h.request("HEAD", "/v1/storage/get/Qmap3J76mEJhxk9Bh1C4cjuKv4gFTaJNYzADWW27R8YM4H", nil); resp.StatusCode != 404 {
		t.Errorf("HEAD of content never stored: %d, want 404", resp.StatusCode)
	}
}

// TestSecurityStorageInvalidUTF8: a name that is not UTF-8 — in a JSON
// upload, a late JSON name, a multipart filename, a pin — is 400 naming
// the field (it used to fail inside gRPC: 500), and nothing is pinned.
func TestSecurityStorageInvalidUTF8(t *testing.T) {
	h := storageHost(t, "", "")
	jsonCases := []struct{ what, body, msg string }{
		{"JSON upload name", "{\"name\":\"\xff\xfe\",\"data\":\"aGk=\"}", `invalid UTF-8 in "name"`},
		{"JSON upload late name", "{\"data\":\"aGk=\",\"name\":\"a\xc3\"}", `invalid UTF-8 in "name"`},
		{"JSON pin name", "{\"cid\":\"" + helloCID + "\",\"name\":\"\xff\"}", `invalid UTF-8 in "name"`},
	}
	for i, c := range jsonCases {
		path := "/v1/storage/upload"
		if i == 2 {
			path = "/v1/storage/pin"
		}
		resp, b := h.request("POST", path, strings.NewReader(c.body), "Content-Type", "application/json")
		if msg, _ := decodeObject(t, b)["error"].(string); resp.StatusCode != 400 || msg != c.msg {
			t.Errorf("%s: %d %s, want 400 %q", c.what, resp.StatusCode, b, c.msg)
		}
	}
	// A multipart filename with raw invalid bytes (written by hand: the
	// multipart writer would be fine with it too, but be explicit).
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	hdr := make(map[string][]string)
	hdr["Content-Disposition"] = []string{"form-data; name=\"file\"; filename=\"r\xe9sum\xe9.txt\""}
	hdr["Content-Type"] = []string{"application/octet-stream"}
	pw, _ := mw.CreatePart(hdr)
	_, _ = pw.Write([]byte("hello world\n"))
	_ = mw.Close()
	resp, b := h.request("POST", "/v1/storage/upload", &body, "Content-Type", mw.FormDataContentType())
	if msg, _ := decodeObject(t, b)["error"].(string); resp.StatusCode != 400 || msg != `invalid UTF-8 in "filename"` {
		t.Errorf("multipart filename in Latin-1: %d %s, want 400 invalid UTF-8 in \"filename\"", resp.StatusCode, b)
	}
	if resp, b := h.request("GET", "/v1/storage/status/"+helloCID, nil); resp.StatusCode != 404 {
		t.Errorf("a refused upload left a pin: %d %s", resp.StatusCode, b)
	}
	// Valid non-ASCII names pass.
	if code, m := h.uploadForm("résumé 😀.txt", []byte("hello world\n"), nil); code != 200 || m["name"] != "résumé 😀.txt" {
		t.Errorf("UTF-8 filename: %d %v", code, m)
	}
	if r := h.do(http.MethodGet, "/v1/health", ""); r.code != 200 {
		t.Errorf("health after the refused uploads: %d %s", r.code, r.raw)
	}
}
