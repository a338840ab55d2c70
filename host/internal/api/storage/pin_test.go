package storage_test

import (
	"slices"
	"testing"

	"github.com/orama-network/orama/host/internal/api/apitest"
	"github.com/orama-network/orama/host/internal/server/servertest"
	"github.com/orama-network/orama/sdk"
)

func TestStoragePin(t *testing.T) {
	e := newStorageEnv(t, nil)
	id := e.putUnpinned(t, []byte("pin me\n"))
	apitest.WantBody(t, e.Do(t, "POST", "/v1/storage/pin", `{"cid":"`+id+`","name":"doc.txt","replication":3}`), 200,
		`{"cid":"`+id+`","name":"doc.txt"}`)
	p, err := e.store.Memory.Status(t.Context(), "default", id)
	if err != nil || p.Name != "doc.txt" || p.ReplicationMin != 3 {
		t.Fatalf("pin %+v, %v", p, err)
	}
	// Without name and replication: an unnamed pin, default replication.
	id2 := e.putUnpinned(t, []byte("second\n"))
	apitest.WantBody(t, e.Do(t, "POST", "/v1/storage/pin", `{"cid":"`+id2+`"}`), 200, `{"cid":"`+id2+`","name":""}`)
}

func TestStoragePinRefused(t *testing.T) {
	e := newStorageEnv(t, nil)
	id := e.putUnpinned(t, []byte("x"))
	cases := []struct {
		body   string
		status int
		code   sdk.Code
		msg    string
	}{
		{`{}`, 400, sdk.CodeInvalid, "cid is required"},
		{`{"cid":""}`, 400, sdk.CodeInvalid, "cid is required"},
		{`{"cid":"zzz"}`, 400, sdk.CodeInvalid, "malformed CID"},
		{`{"cid":"` + id + `","replication":-1}`, 400, sdk.CodeInvalid, "replication must not be negative"},
		{`{"cid":"` + id + `","replication":1.5}`, 400, sdk.CodeInvalid, `field "replication" must be a number`},
		{`{"cid":"` + id + `","name":"` + string(make([]byte, 0)) + `x` + `","extra":`, 400, sdk.CodeInvalid, "invalid JSON body"},
		{`{"cid":"QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"}`, 404, sdk.CodeNotFound, "content not found"},
	}
	for _, c := range cases {
		apitest.WantError(t, e.Do(t, "POST", "/v1/storage/pin", c.body), c.status, c.code, c.msg)
	}
	if ps := e.pins(t, "default"); len(ps) != 0 {
		t.Errorf("refused pins left %+v", ps)
	}
}

func TestStorageStatus(t *testing.T) {
	e := newStorageEnv(t, nil)
	id := e.putContent(t, []byte("status\n"), "s.txt")
	apitest.WantBody(t, e.Do(t, "GET", "/v1/storage/status/"+id, ""), 200,
		`{"cid":"`+id+`","name":"s.txt","status":"pinned","replication_min":1,"replication_max":1,"replication_factor":1,"peers":["memory"]}`)
	unpinned := e.putUnpinned(t, []byte("content without a pin\n"))
	apitest.WantError(t, e.Do(t, "GET", "/v1/storage/status/"+unpinned, ""), 404, sdk.CodeNotFound, "pin not found")
}

func TestStorageUnpin(t *testing.T) {
	e := newStorageEnv(t, nil)
	id := e.putContent(t, []byte("unpin\n"), "u.txt")
	apitest.WantBody(t, e.Do(t, "DELETE", "/v1/storage/unpin/"+id, ""), 200, `{"status":"ok","cid":"`+id+`"}`)
	if ps := e.pins(t, "default"); len(ps) != 0 {
		t.Errorf("pins after unpin: %+v", ps)
	}
	apitest.WantError(t, e.Do(t, "DELETE", "/v1/storage/unpin/"+id, ""), 404, sdk.CodeNotFound, "pin not found")
	// Reads need a pin: without one the content is not found.
	apitest.WantError(t, e.Do(t, "GET", "/v1/storage/get/"+id, ""), 404, sdk.CodeNotFound, "content not found")
}

func TestStorageMethods(t *testing.T) {
	e := newStorageEnv(t, nil)
	for _, c := range []struct{ method, path string }{
		{"GET", "/v1/storage/upload"},
		{"GET", "/v1/storage/pin"},
		{"POST", "/v1/storage/get/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"},
		{"GET", "/v1/storage/unpin/QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"},
	} {
		if rec := e.Do(t, c.method, c.path, ""); rec.Code != 405 {
			t.Errorf("%s %s: %d, want 405", c.method, c.path, rec.Code)
		}
	}
}

// Every call reaches the plugin in the credential's namespace: a pin of
// alpha is invisible to beta (status, unpin, get, HEAD, ranges, pin by
// CID), and content pinned by both stays pinned for one when the other
// unpins.
func TestStorageNamespaces(t *testing.T) {
	e := withStore(servertest.NewAuth(t, nil))
	alpha, beta := []string{"X-API-Key", apitest.KeyAlpha}, []string{"X-API-Key", apitest.KeyBeta}
	id := uploadOK(t, e.upload(t, fileParts("a.txt", []byte("shared\n")), alpha...), "a.txt", 7)

	apitest.WantError(t, e.Do(t, "GET", "/v1/storage/status/"+id, "", beta...), 404, sdk.CodeNotFound, "pin not found")
	apitest.WantError(t, e.Do(t, "DELETE", "/v1/storage/unpin/"+id, "", beta...), 404, sdk.CodeNotFound, "pin not found")
	if rec := e.Do(t, "GET", "/v1/storage/status/"+id, "", alpha...); rec.Code != 200 {
		t.Fatalf("alpha's status: %d %s", rec.Code, rec.Body)
	}
	apitest.WantError(t, e.Do(t, "GET", "/v1/storage/get/"+id, "", beta...), 404, sdk.CodeNotFound, "content not found")
	apitest.WantError(t, e.Do(t, "GET", "/v1/storage/get/"+id, "", append([]string{"Range", "bytes=0-1"}, beta...)...), 404, sdk.CodeNotFound, "content not found")
	if rec := e.Do(t, "HEAD", "/v1/storage/get/"+id, "", beta...); rec.Code != 404 {
		t.Errorf("beta's HEAD of alpha's content: %d", rec.Code)
	}
	apitest.WantError(t, e.Do(t, "POST", "/v1/storage/pin", `{"cid":"`+id+`","name":"b.txt"}`, beta...), 404, sdk.CodeNotFound, "content not found")
	uploadOK(t, e.upload(t, fileParts("b.txt", []byte("shared\n")), beta...), "b.txt", 7)
	apitest.WantBody(t, e.Do(t, "DELETE", "/v1/storage/unpin/"+id, "", alpha...), 200, `{"status":"ok","cid":"`+id+`"}`)
	rec := e.Do(t, "GET", "/v1/storage/get/"+id, "", beta...)
	if rec.Code != 200 || rec.Body.String() != "shared\n" {
		t.Fatalf("beta's get: %d %s", rec.Code, rec.Body)
	}
	wantHeader(t, rec, "Content-Disposition", "attachment; filename=b.txt") // beta's name for it
	apitest.WantError(t, e.Do(t, "GET", "/v1/storage/get/"+id, ""), 401, sdk.CodeUnauthorized, "")

	// Each get asks for the pin's name while it opens the stream (and a
	// refused get does not wait for that answer), so beta's Status calls
	// are left out and the others compared in any order.
	want := []string{"Put alpha", "Unpin beta", "Status alpha",
		"Get beta", "Stat beta", "Get beta", "Pin beta", "Put beta",
		"Unpin alpha", "Get beta"}
	got := slices.DeleteFunc(e.store.callsMade(), func(c string) bool { return c == "Status beta" })
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("plugin calls\n got %v\nwant %v", got, want)
	}
}
