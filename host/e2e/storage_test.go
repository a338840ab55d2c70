package e2e

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"strings"
	"testing"
)

// The storage domain through the real host and the real storage plugin
// (embedded driver: an offline boxo blockstore producing kubo's CIDs).

// helloCID is `ipfs add` of "hello world\n" with kubo's defaults
// (BACKENDS.md).
const helloCID = "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"

// storageBlock is a plugin block for the real storage plugin; extra goes
// inside its config block.
func storageBlock(extra string) string {
	return pluginBlock("storage", bins.storage, "    driver = \"embedded\"\n"+extra)
}

// storageHost starts a host with the storage plugin; server is added to
// the server block (e.g. max_upload_bytes), plugins after the storage
// block.
func storageHost(t *testing.T, server, plugins string) *host {
	t.Helper()
	return startHost(t, func(port int) string {
		return serverConfig(port, "e2e", "10s", server, storageBlock("")+plugins)
	})
}

// uploadForm posts content as the multipart field "file" (after the
// given fields); it returns the status and the decoded answer.
func (h *host) uploadForm(name string, content []byte, fields []string, hdr ...string) (int, map[string]any) {
	h.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for i := 0; i+1 < len(fields); i += 2 {
		_ = mw.WriteField(fields[i], fields[i+1])
	}
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(content)
	_ = mw.Close()
	resp, body := h.request("POST", "/v1/storage/upload", &b, append([]string{"Content-Type", mw.FormDataContentType()}, hdr...)...)
	return resp.StatusCode, decodeObject(h.t, body)
}

func decodeObject(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("answer is not a JSON object: %q", b)
	}
	return m
}

func TestStorageRoundTrip(t *testing.T) {
	h := storageHost(t, "", "")
	hello := []byte("hello world\n")

	code, up := h.uploadForm("hello.txt", hello, nil)
	if code != 200 || up["cid"] != helloCID || up["name"] != "hello.txt" || up["size"] != float64(len(hello)) {
		t.Fatalf("multipart upload: %d %v, want cid %s", code, up, helloCID)
	}
	jsonBody := `{"name":"hello-json.txt","data":"` + base64.StdEncoding.EncodeToString(hello) + `"}`
	resp, b := h.request("POST", "/v1/storage/upload", strings.NewReader(jsonBody), "Content-Type", "application/json")
	if m := decodeObject(t, b); resp.StatusCode != 200 || m["cid"] != helloCID || m["name"] != "hello-json.txt" || m["size"] != float64(12) {
		t.Fatalf("JSON upload: %d %s", resp.StatusCode, b)
	}

	resp, b = h.request("GET", "/v1/storage/get/"+helloCID, nil)
	if resp.StatusCode != 200 || !bytes.Equal(b, hello) {
		t.Fatalf("get: %d %q", resp.StatusCode, b)
	}
	for name, want := range map[string]string{
		"Content-Length":      "12",
		"ETag":                `"` + helloCID + `"`,
		"Content-Type":        "text/plain; charset=utf-8",
		"Content-Disposition": "attachment; filename=hello-json.txt", // the JSON upload renamed the pin
		"Accept-Ranges":       "bytes",
	} {
		if got := resp.Header.Get(name); got != want {
			t.Errorf("get %s: %q, want %q", name, got, want)
		}
	}

	resp, b = h.request("GET", "/v1/storage/get/"+helloCID, nil, "Range", "bytes=6-10")
	if resp.StatusCode != 206 || string(b) != "world" || resp.Header.Get("Content-Range") != "bytes 6-10/12" {
		t.Fatalf("range: %d %q %q", resp.StatusCode, b, resp.Header.Get("Content-Range"))
	}
	resp, _ = h.request("GET", "/v1/storage/get/"+helloCID, nil, "Range", "bytes=12-")
	if resp.StatusCode != 416 || resp.Header.Get("Content-Range") != "bytes */12" {
		t.Fatalf("unsatisfiable range: %d %q", resp.StatusCode, resp.Header.Get("Content-Range"))
	}
	resp, b = h.request("GET", "/v1/storage/get/"+helloCID, nil, "If-None-Match", `"`+helloCID+`"`)
	if resp.StatusCode != 304 || len(b) != 0 {
		t.Fatalf("If-None-Match: %d %q", resp.StatusCode, b)
	}

	resp, b = h.request("GET", "/v1/storage/status/"+helloCID, nil)
	st := decodeObject(t, b)
	if peers, _ := st["peers"].([]any); resp.StatusCode != 200 || st["cid"] != helloCID || st["name"] != "hello-json.txt" ||
		st["status"] != "pinned" || len(peers) == 0 {
		t.Fatalf("status: %d %s", resp.StatusCode, b)
	}
	for _, f := range []string{"replication_min", "replication_max", "replication_factor"} {
		if _, ok := st[f].(float64); !ok {
			t.Errorf("status answer without a number %q: %s", f, b)
		}
	}

	// Malformed and unknown CIDs.
	for _, path := range []string{"/v1/storage/get/nope", "/v1/storage/status/Qm123"} {
		if resp, b := h.request("GET", path, nil); resp.StatusCode != 400 || !strings.Contains(string(b), "malformed CID") {
			t.Errorf("GET %s: %d %s, want 400 malformed CID", path, resp.StatusCode, b)
		}
	}
	unknown := "bafkreie7q3iidccmpvszul7kudcvvuavuo7u6gzlbobczuk5nqk3b4akba" // sha256 of nothing stored here
	for _, path := range []string{"/v1/storage/get/" + unknown, "/v1/storage/status/" + unknown} {
		if resp, b := h.request("GET", path, nil); resp.StatusCode != 404 {
			t.Errorf("GET %s: %d %s, want 404", path, resp.StatusCode, b)
		}
	}
	resp, b = h.request("POST", "/v1/storage/pin", strings.NewReader(`{"cid":"`+unknown+`"}`), "Content-Type", "application/json")
	if resp.StatusCode != 404 {
		t.Errorf("pin of unknown content: %d %s", resp.StatusCode, b)
	}

	// Unpin, then the pin is gone.
	resp, b = h.request("DELETE", "/v1/storage/unpin/"+helloCID, nil)
	if m := decodeObject(t, b); resp.StatusCode != 200 || m["status"] != "ok" || m["cid"] != helloCID {
		t.Fatalf("unpin: %d %s", resp.StatusCode, b)
	}
	if resp, b := h.request("GET", "/v1/storage/status/"+helloCID, nil); resp.StatusCode != 404 {
		t.Errorf("status after unpin: %d %s", resp.StatusCode, b)
	}
	// Pin it again by CID, with a name.
	resp, b = h.request("POST", "/v1/storage/pin", strings.NewReader(`{"cid":"`+helloCID+`","name":"again.txt"}`), "Content-Type", "application/json")
	if m := decodeObject(t, b); resp.StatusCode != 200 || m["cid"] != helloCID || m["name"] != "again.txt" {
		t.Fatalf("pin: %d %s", resp.StatusCode, b)
	}
}

// An upload over server.max_upload_bytes is 413 and leaves no pin. The
// CID of the refused bytes comes from a second host without the limit,
// where they are uploaded unpinned.
func TestStorageUploadLimit(t *testing.T) {
	const limit = 1 << 20
	small := storageHost(t, fmt.Sprintf("  max_upload_bytes = %d", limit), "")
	big := storageHost(t, "", "")

	content := make([]byte, limit+1)
	for i := range content {
		content[i] = byte(i % 251)
	}
	if code, m := small.uploadForm("big.bin", content[:limit], nil); code != 200 || m["size"] != float64(limit) {
		t.Fatalf("upload of exactly the limit: %d %v", code, m)
	}
	code, m := small.uploadForm("big.bin", content, nil)
	if code != 413 || m["code"] != "too_large" {
		t.Fatalf("upload over the limit: %d %v, want 413 too_large", code, m)
	}
	code, m = big.uploadForm("big.bin", content, []string{"pin", "false"})
	if code != 200 {
		t.Fatalf("the same bytes without the limit: %d %v", code, m)
	}
	id, _ := m["cid"].(string)
	if resp, b := small.request("GET", "/v1/storage/status/"+id, nil); resp.StatusCode != 404 {
		t.Errorf("status of the refused upload: %d %s, want 404 (no pin)", resp.StatusCode, b)
	}
	if resp, b := big.request("GET", "/v1/storage/status/"+id, nil); resp.StatusCode != 404 {
		t.Errorf("status of an upload with pin=false: %d %s, want 404 (no pin)", resp.StatusCode, b)
	}
}

// Pins are per namespace: two API keys of two namespaces (unsigned keys
// from the auth plugin, allowed for this test).
func TestStorageNamespaces(t *testing.T) {
	h := storageHost(t, "", sqliteBlock()+pluginBlock("auth", bins.auth, `    key_secret        = "e2e-storage-secret-0123456789abcdefghij"
    allow_simple_keys = true`))
	key := func(wallet, ns string) string {
		resp, b := h.request("POST", "/v1/auth/simple-key", strings.NewReader(`{"wallet":"`+wallet+`","namespace":"`+ns+`"}`), "Content-Type", "application/json")
		m := decodeObject(t, b)
		k, _ := m["api_key"].(string)
		if resp.StatusCode != 200 || k == "" {
			t.Fatalf("simple-key for %s: %d %s", ns, resp.StatusCode, b)
		}
		return k
	}
	alpha := []string{"X-API-Key", key("0x1111111111111111111111111111111111111111", "alpha")}
	beta := []string{"X-API-Key", key("0x2222222222222222222222222222222222222222", "beta")}

	if code, _ := h.uploadForm("a.txt", []byte("hello world\n"), nil); code != 401 {
		t.Errorf("upload without a credential: %d, want 401", code)
	}
	code, m := h.uploadForm("a.txt", []byte("hello world\n"), nil, alpha...)
	if code != 200 || m["cid"] != helloCID {
		t.Fatalf("alpha's upload: %d %v", code, m)
	}
	if resp, b := h.request("GET", "/v1/storage/status/"+helloCID, nil, alpha...); resp.StatusCode != 200 {
		t.Fatalf("alpha's status: %d %s", resp.StatusCode, b)
	}
	if resp, b := h.request("GET", "/v1/storage/status/"+helloCID, nil, beta...); resp.StatusCode != 404 {
		t.Errorf("beta sees alpha's pin: %d %s", resp.StatusCode, b)
	}
	if resp, b := h.request("DELETE", "/v1/storage/unpin/"+helloCID, nil, beta...); resp.StatusCode != 404 {
		t.Errorf("beta unpinned alpha's pin: %d %s", resp.StatusCode, b)
	}
	if resp, b := h.request("GET", "/v1/storage/status/"+helloCID, nil, alpha...); resp.StatusCode != 200 {
		t.Errorf("alpha's pin after beta's unpin: %d %s", resp.StatusCode, b)
	}
	// A CID is no key to alpha's content (issue 8, defect 6): beta can
	// neither read it nor pin it by CID; beta uploading the same bytes
	// holds a pin of its own, which leaves alpha's alone.
	resp, b := h.request("GET", "/v1/storage/get/"+helloCID, nil, beta...)
	if resp.StatusCode != 404 {
		t.Errorf("beta's get of alpha's content: %d %q, want 404", resp.StatusCode, b)
	}
	resp, b = h.request("POST", "/v1/storage/pin", strings.NewReader(`{"cid":"`+helloCID+`","name":"b.txt"}`), append([]string{"Content-Type", "application/json"}, beta...)...)
	if resp.StatusCode != 404 {
		t.Fatalf("beta's pin by CID of alpha's content: %d %s, want 404", resp.StatusCode, b)
	}
	if code, m := h.uploadForm("b.txt", []byte("hello world\n"), nil, beta...); code != 200 || m["cid"] != helloCID {
		t.Fatalf("beta's upload of the same bytes: %d %v", code, m)
	}
	if resp, b := h.request("DELETE", "/v1/storage/unpin/"+helloCID, nil, alpha...); resp.StatusCode != 200 {
		t.Fatalf("alpha's unpin: %d %s", resp.StatusCode, b)
	}
	resp, b = h.request("GET", "/v1/storage/status/"+helloCID, nil, beta...)
	if m := decodeObject(t, b); resp.StatusCode != 200 || m["name"] != "b.txt" {
		t.Errorf("beta's pin after alpha's unpin: %d %s", resp.StatusCode, b)
	}
}
